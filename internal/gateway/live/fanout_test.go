package live

import (
	"fmt"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/push"
)

// TestFanOut follows events from the backend's push stream to browsers.
func TestFanOut(t *testing.T) {
	t.Parallel()
	svc := newPushService(t)
	srv := startPushServer(t, svc, "127.0.0.1:0")
	hub := NewHub()
	sub := startSubscriber(t, srv.addr(), hub)
	joined(t, sub, svc)
	ts := startGateway(t, hub)

	a1 := openStream(t, ts, "alice", "s-a1")
	a2 := openStream(t, ts, "alice", "s-a2") // a second tab (or device)
	b := openStream(t, ts, "bob", "s-b")
	publish := func(kind, data string, users ...string) sseEvent {
		svc.Publish(push.Event{UserIDs: users, Kind: kind, Payload: []byte(data)})
		return sseEvent{Name: kind, Data: data}
	}

	t.Run("an event for one user reaches every stream of that user and no other", func(t *testing.T) {
		forAlice := publish("game.turn.ready", `{"game_id":"g1","turn":3}`, "alice")
		// Bob's next event is the marker sent after Alice's: had Alice's
		// event reached him, it would come first.
		marker := publish("test.marker", `{"n":1}`, "bob")
		a1.expect(t, forAlice)
		a2.expect(t, forAlice)
		b.expect(t, marker)
	})

	t.Run("an event for several users reaches each once", func(t *testing.T) {
		both := publish("lobby.game.started", `{"game_id":"g2"}`, "alice", "bob", "alice")
		marker := publish("test.marker", `{"n":2}`, "alice", "bob")
		for _, c := range []*sseClient{a1, a2, b} {
			c.expect(t, both, marker)
		}
	})

	t.Run("payloads arrive as compact JSON on one data line", func(t *testing.T) {
		svc.Publish(push.Event{UserIDs: []string{"bob"}, Kind: "notification.created",
			Payload: []byte("{\n  \"text\": \"two\\nlines\",\n  \"n\": [1, 2]\n}")})
		b.expect(t, sseEvent{Name: "notification.created", Data: `{"text":"two\nlines","n":[1,2]}`})
		svc.Publish(push.Event{UserIDs: []string{"bob"}, Kind: "empty.payload"})
		b.expect(t, sseEvent{Name: "empty.payload", Data: `{}`})
	})

	t.Run("events for users without a stream go nowhere", func(t *testing.T) {
		before := hub.Stats().Queued
		publish("game.turn.ready", `{}`, "carol")
		marker := publish("test.marker", `{"n":3}`, "bob")
		b.expect(t, marker)
		if got := hub.Stats().Queued - before; got != 1 {
			t.Fatalf("queued %d messages, want 1 (the marker)", got)
		}
	})

	t.Run("many events keep their order", func(t *testing.T) {
		var want []sseEvent
		for i := range 25 {
			want = append(want, publish("test.seq", fmt.Sprintf(`{"i":%d}`, i), "alice"))
		}
		a1.expect(t, want...)
		a2.expect(t, want...)
	})
}
