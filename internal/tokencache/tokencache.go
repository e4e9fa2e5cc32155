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
	// LoadLive returns up to limit live sessions whose ids sort after
	// after, in id order: the cache warms in batches of them.
	LoadLive func(ctx context.Context, after string, limit int) ([]S, error)
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
	// dirty, while a warm-up reads (non-nil), collects the sessions changed
	// meanwhile: the warm-up's rows of them may predate the change (a
	// revocation, above all), so they are left out of the new contents and
	// read again on their next use.
	dirty  map[string]struct{}
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

// warmBatch is how many sessions one warm-up query reads: each query and
// its result stay small however many sessions are live.
const warmBatch = 5_000

// Warm replaces the contents with every live session, read in batches. The
// batches are not one snapshot, so the sessions changed while they are read
// (put here or invalidated by other replicas) are left out, to be read
// again when used; on an error the contents stay as they were.
func (c *Cache[S]) Warm(ctx context.Context) error {
	c.mu.Lock()
	c.dirty = map[string]struct{}{}
	c.mu.Unlock()
	byHash, hashOf, err := c.load(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	dirty := c.dirty
	c.dirty = nil
	if err != nil {
		return err
	}
	for id := range dirty {
		if h, ok := hashOf[id]; ok {
			delete(byHash, h)
			delete(hashOf, id)
		}
	}
	c.byHash, c.hashOf = byHash, hashOf
	c.ready.Store(true)
	return nil
}

// load reads every live session, warmBatch at a time.
func (c *Cache[S]) load(ctx context.Context) (map[string]S, map[string]string, error) {
	byHash, hashOf := map[string]S{}, map[string]string{}
	for after := ""; ; {
		rows, err := c.src.LoadLive(ctx, after, warmBatch)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range rows {
			h := string(c.src.Hash(s)) // one copy for both maps
			byHash[h] = s
			hashOf[c.src.ID(s)] = h
		}
		if len(rows) < warmBatch {
			return byHash, hashOf, nil
		}
		after = c.src.ID(rows[len(rows)-1])
	}
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
	c.markDirtyLocked(id)
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
	c.markDirtyLocked(id)
	if h, ok := c.hashOf[id]; ok {
		delete(c.byHash, h)
		delete(c.hashOf, id)
	}
}

// markDirtyLocked notes a changed session for a warm-up under way, if any.
func (c *Cache[S]) markDirtyLocked(id string) {
	if c.dirty != nil {
		c.dirty[id] = struct{}{}
	}
}
