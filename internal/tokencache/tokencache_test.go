package tokencache

import (
	"context"
	"errors"
	"fmt"
	"sort"
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
		LoadLive: func(context.Context, string, int) ([]sess, error) { return nil, nil },
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

// pagedSource serves sessions s0000… in id order, in batches, as the
// database would; onBatch, when set, runs before each batch is returned.
func pagedSource(n int, onBatch func(call int)) (Source[sess], *int) {
	all := make([]sess, n)
	for i := range all {
		all[i] = sess{id: fmt.Sprintf("s%06d", i), expires: time.Now().Add(time.Hour)}
	}
	calls := 0
	return Source[sess]{
		LoadLive: func(_ context.Context, after string, limit int) ([]sess, error) {
			calls++
			if onBatch != nil {
				onBatch(calls)
			}
			i := sort.Search(len(all), func(i int) bool { return all[i].id > after })
			return all[i:min(i+limit, len(all))], nil
		},
		Fetch:   func(context.Context, []byte) (sess, bool, error) { return sess{}, false, nil },
		Hash:    func(s sess) []byte { return []byte("h-" + s.id) },
		ID:      func(s sess) string { return s.id },
		Live:    func(sess) bool { return true },
		Expires: func(s sess) time.Time { return s.expires },
	}, &calls
}

func TestWarm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("reads every live session, in batches", func(t *testing.T) {
		t.Parallel()
		const n = 2*warmBatch + 3
		src, calls := pagedSource(n, nil)
		c := New("cache:test", src)
		if err := c.Warm(ctx); err != nil {
			t.Fatal(err)
		}
		if c.Len() != n || *calls != 3 || !c.Ready() {
			t.Fatalf("%d sessions in %d batches, ready %v", c.Len(), *calls, c.Ready())
		}
		for _, id := range []string{"s000000", fmt.Sprintf("s%06d", warmBatch), fmt.Sprintf("s%06d", n-1)} {
			if _, ok, _ := c.Lookup(ctx, []byte("h-"+id)); !ok {
				t.Fatalf("%s missing", id)
			}
		}
		if c.Misses() != 0 {
			t.Fatalf("%d misses", c.Misses())
		}
	})
	t.Run("a session revoked while it reads is not served as live", func(t *testing.T) {
		t.Parallel()
		var c *Cache[sess]
		src, _ := pagedSource(warmBatch+1, func(call int) {
			if call == 2 {
				// The first batch held s000001 as live; its revocation is
				// notified before the warm-up ends.
				c.Invalidate("s000001")
			}
		})
		c = New("cache:test", src)
		if err := c.Warm(ctx); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := c.Lookup(ctx, []byte("h-s000001")); ok {
			t.Fatal("the revoked session is served")
		}
		if _, ok, _ := c.Lookup(ctx, []byte("h-s000002")); !ok {
			t.Fatal("an unchanged session is missing")
		}
	})
	t.Run("a failed warm-up keeps the contents", func(t *testing.T) {
		t.Parallel()
		src, _ := pagedSource(3, nil)
		c := New("cache:test", src)
		if err := c.Warm(ctx); err != nil {
			t.Fatal(err)
		}
		src.LoadLive = func(context.Context, string, int) ([]sess, error) { return nil, errors.New("database down") }
		c.src = src
		if err := c.Warm(ctx); err == nil {
			t.Fatal("no error")
		}
		if c.Len() != 3 || c.dirty != nil {
			t.Fatalf("%d sessions, dirty %v", c.Len(), c.dirty)
		}
	})
}
