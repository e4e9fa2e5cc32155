package keylock

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestLocks(t *testing.T) {
	t.Parallel()

	t.Run("the same key is held by one caller at a time", func(t *testing.T) {
		t.Parallel()
		var l Locks
		var mu sync.Mutex
		inside, most := 0, 0
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				unlock, err := l.Lock(t.Context(), "g")
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				inside++
				most = max(most, inside)
				mu.Unlock()
				time.Sleep(time.Millisecond)
				mu.Lock()
				inside--
				mu.Unlock()
				unlock()
			})
		}
		wg.Wait()
		if most != 1 {
			t.Errorf("%d callers held the lock at once", most)
		}
		if len(l.m) != 0 {
			t.Errorf("%d entries left after every unlock", len(l.m))
		}
	})

	t.Run("different keys do not wait for each other", func(t *testing.T) {
		t.Parallel()
		var l Locks
		unlockA, err := l.Lock(t.Context(), "a")
		if err != nil {
			t.Fatal(err)
		}
		defer unlockA()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		unlockB, err := l.Lock(ctx, "b")
		if err != nil {
			t.Fatalf("key b waited for key a: %v", err)
		}
		unlockB()
	})

	t.Run("waiting ends with the context", func(t *testing.T) {
		t.Parallel()
		var l Locks
		unlock, err := l.Lock(t.Context(), "g")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		if _, err := l.Lock(ctx, "g"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Lock = %v, want deadline exceeded", err)
		}
		unlock()
		if len(l.m) != 0 {
			t.Errorf("%d entries left after the waiter gave up", len(l.m))
		}
	})
}
