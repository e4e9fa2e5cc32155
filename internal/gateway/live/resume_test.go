package live

import (
	"fmt"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/push"
)

// TestResume restarts the backend under a connected browser.
func TestResume(t *testing.T) {
	t.Parallel()
	svc := newPushService(t)
	srv := startPushServer(t, svc, "127.0.0.1:0")
	addr := srv.addr() // every later server listens here again
	hub := NewHub()
	sub := startSubscriber(t, addr, hub)
	joined(t, sub, svc)
	ts := startGateway(t, hub)
	browser := openStream(t, ts, "alice", "s1")

	n := 0
	publish := func(svc *push.Service) sseEvent {
		n++
		data := fmt.Sprintf(`{"n":%d}`, n)
		svc.Publish(push.Event{UserIDs: []string{"alice"}, Kind: "test.seq", Payload: []byte(data)})
		return sseEvent{Name: "test.seq", Data: data}
	}

	current := srv // the push server listening on addr now
	ok := t.Run("events published while the push listener is down arrive once, in order, without resync", func(t *testing.T) {
		before := publish(svc)
		browser.expect(t, before)

		current.stop()
		eventually(t, "the subscription to close", func() bool { return !sub.Open() })
		var missed []sseEvent
		for range 5 {
			missed = append(missed, publish(svc))
		}
		current = startPushServer(t, svc, addr)
		eventually(t, "the subscription to reopen", sub.Open)
		after := publish(svc)

		// One stream, in order: a duplicate or a resync would show up
		// before the event published after the restart.
		browser.expect(t, append(missed, after)...)
		if got := hub.Stats().Resyncs; got != 1 { // the first subscription's
			t.Fatalf("%d resyncs, want only the initial one", got)
		}
	})
	if !ok {
		return // the next step builds on this one
	}

	t.Run("a backend process restart makes browsers reload once", func(t *testing.T) {
		current.stop()
		eventually(t, "the subscription to close", func() bool { return !sub.Open() })

		fresh := newPushService(t) // a new process: new epoch, empty ring
		startPushServer(t, fresh, addr)
		eventually(t, "the subscriber to take the new epoch", func() bool {
			epoch, _ := sub.Position()
			return epoch == fresh.Epoch()
		})
		first := publish(fresh)
		browser.expect(t, sseEvent{Name: KindResync, Data: "{}"}, first)
	})
}
