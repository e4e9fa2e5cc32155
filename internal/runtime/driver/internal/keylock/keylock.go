// Package keylock serialises work per key (a game id) without holding one
// lock for all keys: a slow stop of one engine must not delay the others.
package keylock

import (
	"context"
	"sync"
)

// Locks is a set of mutexes created on demand, one per key. The zero value
// is ready to use.
type Locks struct {
	mu sync.Mutex
	m  map[string]*entry
}

// entry is one key's mutex: a one-slot channel, so that waiting can end with
// a context, and the number of holders and waiters, so that it is dropped
// once nobody needs it.
type entry struct {
	ch   chan struct{}
	refs int
}

// Lock takes key's lock, waiting for ctx at most. The returned function
// releases it and must be called exactly once.
func (l *Locks) Lock(ctx context.Context, key string) (unlock func(), err error) {
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[string]*entry)
	}
	e := l.m[key]
	if e == nil {
		e = &entry{ch: make(chan struct{}, 1)}
		l.m[key] = e
	}
	e.refs++
	l.mu.Unlock()

	select {
	case e.ch <- struct{}{}:
		return func() {
			<-e.ch
			l.release(key, e)
		}, nil
	case <-ctx.Done():
		l.release(key, e)
		return nil, ctx.Err()
	}
}

// release drops a reference to e and forgets it when it was the last.
func (l *Locks) release(key string, e *entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.refs--
	if e.refs == 0 {
		delete(l.m, key)
	}
}
