// Package tokencache is the write-through cache behind bearer-token
// authentication: token hash → live session, warmed at start-up, written
// through by the code that creates, extends or revokes a session, and
// invalidated by other replicas' notifications. A miss falls back to the
// database, so a session created on another replica a moment ago works
// everywhere at once.
package tokencache

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Source is how a cache reads sessions of type S from the database.
type Source[S any] struct {
	// LoadLive returns every live session (for warming).
	LoadLive func(ctx context.Context) ([]S, error)
	// Fetch returns the session of a token hash; ok is false when none.
	Fetch func(ctx context.Context, hash []byte) (s S, ok bool, err error)
	// Hash, ID and Live read a session's token hash, id and liveness
	// (not revoked; expiry is checked by the caller at use time).
	Hash func(S) []byte
	ID   func(S) string
	Live func(S) bool
	// Expires reads when a session expires: expired sessions are dropped
	// from the cache now and then, so its memory follows the live sessions
	// rather than every session since start-up.
	Expires func(S) time.Time
}

// sweepEvery is how often Put drops expired sessions; a sweep walks the
// whole cache under its lock, so it is not done on every write.
const sweepEvery = time.Minute

// Cache is a token-hash cache of sessions S. It is a lifecycle component:
// Start warms it, and Ready reports it warm for /readyz.
type Cache[S any] struct {
	name   string
	src    Source[S]
	mu     sync.RWMutex
	byHash map[string]S
	hashOf map[string]string // session id → token hash
	ready  atomic.Bool
	misses atomic.Int64
	swept  time.Time // last sweep of expired sessions (under mu)
	now    func() time.Time
}

// New returns an empty cache named name (e.g. "cache:auth").
func New[S any](name string, src Source[S]) *Cache[S] {
	return &Cache[S]{name: name, src: src, byHash: map[string]S{}, hashOf: map[string]string{}, now: time.Now}
}

// Name implements lifecycle.Component.
func (c *Cache[S]) Name() string { return c.name }

// Start warms the cache.
func (c *Cache[S]) Start(ctx context.Context) error { return c.Warm(ctx) }

// Stop implements lifecycle.Component.
func (c *Cache[S]) Stop(context.Context) error { return nil }

// Ready reports whether the cache has been warmed.
func (c *Cache[S]) Ready() bool { return c.ready.Load() }

// Misses counts lookups that went to the database.
func (c *Cache[S]) Misses() int64 { return c.misses.Load() }

// Warm replaces the contents with every live session.
func (c *Cache[S]) Warm(ctx context.Context) error {
	rows, err := c.src.LoadLive(ctx)
	if err != nil {
		return err
	}
	byHash := make(map[string]S, len(rows))
	hashOf := make(map[string]string, len(rows))
	for _, s := range rows {
		byHash[string(c.src.Hash(s))] = s
		hashOf[c.src.ID(s)] = string(c.src.Hash(s))
	}
	c.mu.Lock()
	c.byHash, c.hashOf = byHash, hashOf
	c.mu.Unlock()
	c.ready.Store(true)
	return nil
}

// Lookup returns the session of a token hash, cached or from the database.
func (c *Cache[S]) Lookup(ctx context.Context, hash []byte) (S, bool, error) {
	c.mu.RLock()
	s, ok := c.byHash[string(hash)]
	c.mu.RUnlock()
	if ok {
		return s, true, nil
	}
	c.misses.Add(1)
	s, ok, err := c.src.Fetch(ctx, hash)
	if err != nil || !ok {
		return s, false, err
	}
	c.Put(s)
	return s, true, nil
}

// Put stores a committed session, or drops it when it is no longer live.
func (c *Cache[S]) Put(s S) {
	h, id := string(c.src.Hash(s)), c.src.ID(s)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.src.Live(s) {
		delete(c.byHash, h)
		delete(c.hashOf, id)
		return
	}
	c.byHash[h] = s
	c.hashOf[id] = h
	c.sweepLocked()
}

// sweepLocked drops expired sessions, at most every sweepEvery.
func (c *Cache[S]) sweepLocked() {
	now := c.now()
	if c.src.Expires == nil || now.Sub(c.swept) < sweepEvery {
		return
	}
	c.swept = now
	for h, s := range c.byHash {
		if c.src.Expires(s).Before(now) {
			delete(c.byHash, h)
			delete(c.hashOf, c.src.ID(s))
		}
	}
}

// Len is how many sessions the cache holds.
func (c *Cache[S]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.byHash)
}

// Invalidate drops a session by id (a notification from another replica).
func (c *Cache[S]) Invalidate(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.hashOf[id]; ok {
		delete(c.byHash, h)
		delete(c.hashOf, id)
	}
}
