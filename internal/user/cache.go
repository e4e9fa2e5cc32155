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
	ready atomic.Bool
}

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

func (c *Cache) warm(ctx context.Context) error {
	rows, err := userstore.New(c.db.Pool).ListUsers(ctx)
	if err != nil {
		return postgres.Translate(err)
	}
	m := make(map[string]User, len(rows))
	for _, u := range rows {
		m[u.UserID] = u
	}
	c.mu.Lock()
	c.users = m
	c.mu.Unlock()
	c.ready.Store(true)
	return nil
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
	c.mu.Unlock()
}

func (c *Cache) invalidate(id string) {
	c.mu.Lock()
	delete(c.users, id)
	c.mu.Unlock()
}
