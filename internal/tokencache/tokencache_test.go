package tokencache

import (
	"context"
	"testing"
	"time"
)

type sess struct {
	id      string
	expires time.Time
}

// TestExpiredSessionsAreDropped: the cache's memory follows the live
// sessions: a sweep (at most every sweepEvery, on a write) drops the
// expired ones and keeps the others.
func TestExpiredSessionsAreDropped(t *testing.T) {
	t.Parallel()
	c := New("cache:test", Source[sess]{
		LoadLive: func(context.Context) ([]sess, error) { return nil, nil },
		Fetch:    func(context.Context, []byte) (sess, bool, error) { return sess{}, false, nil },
		Hash:     func(s sess) []byte { return []byte("h-" + s.id) },
		ID:       func(s sess) string { return s.id },
		Live:     func(sess) bool { return true },
		Expires:  func(s sess) time.Time { return s.expires },
	})
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	c.Put(sess{id: "old", expires: now.Add(time.Minute)})
	c.Put(sess{id: "new", expires: now.Add(time.Hour)})
	if c.Len() != 2 {
		t.Fatalf("%d sessions, want 2", c.Len())
	}
	now = now.Add(2 * time.Minute) // "old" expired; a sweep is due
	c.Put(sess{id: "newer", expires: now.Add(time.Hour)})
	if c.Len() != 2 {
		t.Fatalf("%d sessions after the sweep, want 2 (the expired one dropped)", c.Len())
	}
	if _, ok, _ := c.Lookup(context.Background(), []byte("h-old")); ok {
		t.Fatal("the expired session is still served from the cache")
	}
	if _, ok, _ := c.Lookup(context.Background(), []byte("h-new")); !ok {
		t.Fatal("a live session was dropped")
	}
}
