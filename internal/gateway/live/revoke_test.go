package live

import (
	"encoding/json"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/push"
)

// TestSessionRevoked follows auth.session.revoked, as the backend publishes
// it when an administrator blocks a user, from the push stream to the
// browsers.
func TestSessionRevoked(t *testing.T) {
	t.Parallel()
	svc := newPushService(t)
	srv := startPushServer(t, svc, "127.0.0.1:0")
	hub := NewHub()
	sub := startSubscriber(t, srv.addr(), hub)
	joined(t, sub, svc)
	ts := startGateway(t, hub)

	s1 := openStream(t, ts, "alice", "s1")
	s1tab := openStream(t, ts, "alice", "s1") // a second tab of the same session
	s2 := openStream(t, ts, "alice", "s2")
	bob := openStream(t, ts, "bob", "s3")
	publish := func(kind string, payload any, users ...string) sseEvent {
		t.Helper()
		raw, err := json.Marshal(payload)
		if err != nil {
			t.Fatal(err)
		}
		svc.Publish(push.Event{UserIDs: users, Kind: kind, Payload: raw})
		return sseEvent{Name: kind, Data: string(raw)}
	}

	t.Run("the named session's streams get the event, then end", func(t *testing.T) {
		revoked := publish(KindSessionRevoked, map[string]any{
			"user_id": "alice", "session_ids": []string{"s1"}, "reason": "blocked"}, "alice")
		for _, c := range []*sseClient{s1, s1tab} {
			c.expect(t, revoked)
			c.expectEnd(t)
		}
		if got := hub.Stats().Revoked; got != 2 {
			t.Fatalf("%d streams revoked, want 2", got)
		}
	})

	t.Run("other sessions and users keep their streams", func(t *testing.T) {
		s2.expect(t, sseEvent{Name: KindSessionRevoked, Data: `{"reason":"blocked","session_ids":["s1"],"user_id":"alice"}`})
		marker := publish("test.marker", map[string]int{"n": 1}, "alice", "bob")
		s2.expect(t, marker)
		bob.expect(t, marker)
	})

	t.Run("a revocation naming no session ends every stream of the user", func(t *testing.T) {
		revoked := publish(KindSessionRevoked, map[string]any{"user_id": "alice", "reason": "blocked"}, "alice")
		s2.expect(t, revoked)
		s2.expectEnd(t)
		marker := publish("test.marker", map[string]int{"n": 2}, "bob")
		bob.expect(t, marker)
	})
}
