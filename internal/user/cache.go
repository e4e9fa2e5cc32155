package user

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/user/userstore"
)

// Cache holds every user in memory. It is write-through (the code path that
// commits a change puts the new row) and invalidated by notifications from
// other replicas; a miss falls back to the database, so a user created on
// another replica a moment ago is still found.
type Cache struct {
	db    *postgres.DB
	mu    sync.RWMutex
	users map[string]User
	// dirty, while a warm-up reads (non-nil), collects the users changed
	// meanwhile: the warm-up's rows of them may predate the change, so they
	// are left out of the new contents and read again on their next use.
	dirty map[string]struct{}
	ready atomic.Bool
}

// warmBatch is how many users one warm-up query reads. Batches keep each
// query and its result small (a warm-up at 100,000 users is 20 queries);
// the rows go straight into the new map, never into one slice of them all.
const warmBatch = 5_000

func newCache(db *postgres.DB) *Cache {
	return &Cache{db: db, users: map[string]User{}}
}

// Name implements lifecycle.Component.
func (c *Cache) Name() string { return "cache:user" }

// Start warms the cache.
func (c *Cache) Start(ctx context.Context) error { return c.warm(ctx) }

// Stop implements lifecycle.Component.
func (c *Cache) Stop(context.Context) error { return nil }

// Ready reports whether the cache has been warmed.
func (c *Cache) Ready() bool { return c.ready.Load() }

// warm replaces the contents with every user, read in batches in user_id
// order. The batches are not one snapshot, so the users changed while they
// are read (put here or notified by other replicas) are dropped from the
// result, to be read again when used.
func (c *Cache) warm(ctx context.Context) error {
	c.beginWarm()
	m, err := c.load(ctx)
	return c.endWarm(m, err)
}

// beginWarm starts collecting the users changed during a warm-up.
func (c *Cache) beginWarm() {
	c.mu.Lock()
	c.dirty = map[string]struct{}{}
	c.mu.Unlock()
}

// endWarm swaps in what a warm-up loaded, less the users changed meanwhile;
// after a failed load (err) the contents stay as they were.
func (c *Cache) endWarm(m map[string]User, err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	dirty := c.dirty
	c.dirty = nil
	if err != nil {
		return err
	}
	for id := range dirty {
		delete(m, id)
	}
	c.users = m
	c.ready.Store(true)
	return nil
}

// load reads every user, warmBatch at a time, into a map sized for them.
func (c *Cache) load(ctx context.Context) (map[string]User, error) {
	q := userstore.New(c.db.Pool)
	// Growing the map row by row was a fifth of a warm-up's time; the
	// planner's estimate (or the current size, on a resync) avoids most of
	// it. A wrong estimate only costs that again.
	size, err := q.EstimateUserCount(ctx)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	c.mu.RLock()
	size = max(size, int64(len(c.users)), warmBatch)
	c.mu.RUnlock()
	m := make(map[string]User, size+size/20)
	for after := ""; ; {
		rows, err := q.ListUsersPage(ctx, userstore.ListUsersPageParams{AfterID: after, MaxRows: warmBatch})
		if err != nil {
			return nil, postgres.Translate(err)
		}
		for _, u := range rows {
			m[u.UserID] = u
		}
		if len(rows) < warmBatch {
			return m, nil
		}
		after = rows[len(rows)-1].UserID
	}
}

func (c *Cache) get(ctx context.Context, id string) (User, error) {
	c.mu.RLock()
	u, ok := c.users[id]
	c.mu.RUnlock()
	if ok {
		return u, nil
	}
	ctx, cancel := c.db.WithTimeout(ctx)
	defer cancel()
	u, err := userstore.New(c.db.Pool).GetUser(ctx, id)
	if postgres.IsNoRows(err) {
		return User{}, ErrNotFound.WithDetail("user_id", id)
	}
	if err != nil {
		return User{}, postgres.Translate(err)
	}
	c.put(u)
	return u, nil
}

func (c *Cache) put(u User) {
	c.mu.Lock()
	c.users[u.UserID] = u
	c.markDirtyLocked(u.UserID)
	c.mu.Unlock()
}

func (c *Cache) invalidate(id string) {
	c.mu.Lock()
	delete(c.users, id)
	c.markDirtyLocked(id)
	c.mu.Unlock()
}

// markDirtyLocked notes a changed user for a warm-up under way, if any.
func (c *Cache) markDirtyLocked(id string) {
	if c.dirty != nil {
		c.dirty[id] = struct{}{}
	}
}
