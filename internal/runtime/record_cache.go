package runtime

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// recordNotifyKind is the cache notification a trigger on runtime_records
// sends for every change that matters to readers (migration 00010).
const recordNotifyKind = "runtime_record"

// RecordCache keeps the runtime records of games that may hold an engine in
// memory, so that the players' hot path (checking orders: which engine,
// which token, which turn) does not read them from the database each time.
// It is warmed at start; the code that commits a change on this replica
// drops the entry at once (the next read loads the committed row), and the
// database's notifications drop it for changes made anywhere, including
// other replicas and the lobby's transactions. A miss reads the database. Readers use it for pre-checks only: every write re-reads the
// record under its row lock.
type RecordCache struct {
	db    *postgres.DB
	mu    sync.RWMutex
	recs  map[string]runtimestore.RuntimeRecord
	epoch uint64 // bumped by every invalidation: a read that raced one is not kept
	ready atomic.Bool
}

func newRecordCache(db *postgres.DB) *RecordCache {
	return &RecordCache{db: db, recs: map[string]runtimestore.RuntimeRecord{}}
}

// Name implements lifecycle.Component.
func (c *RecordCache) Name() string { return "cache:runtime" }

// Start warms the cache.
func (c *RecordCache) Start(ctx context.Context) error { return c.Warm(ctx) }

// Stop implements lifecycle.Component.
func (c *RecordCache) Stop(context.Context) error { return nil }

// Ready reports whether the cache has been warmed.
func (c *RecordCache) Ready() bool { return c.ready.Load() }

// Warm replaces the contents with every record that may hold an engine.
func (c *RecordCache) Warm(ctx context.Context) error {
	c.mu.RLock()
	epoch := c.epoch
	c.mu.RUnlock()
	rows, err := runtimestore.New(c.db.Pool).ListCachedRecords(ctx)
	if err != nil {
		return postgres.Translate(err)
	}
	recs := make(map[string]runtimestore.RuntimeRecord, len(rows))
	for _, r := range rows {
		recs[r.GameID] = r
	}
	c.mu.Lock()
	if c.epoch == epoch {
		c.recs = recs
	} else {
		// Invalidated while loading: start empty and fill on misses.
		c.recs = map[string]runtimestore.RuntimeRecord{}
	}
	c.mu.Unlock()
	c.ready.Store(true)
	return nil
}

// get returns the game's record, cached or from the database (then kept).
// The error is the database's (pgx.ErrNoRows when the game has none).
func (c *RecordCache) get(ctx context.Context, gameID string) (runtimestore.RuntimeRecord, error) {
	c.mu.RLock()
	r, ok := c.recs[gameID]
	epoch := c.epoch
	c.mu.RUnlock()
	if ok {
		return r, nil
	}
	r, err := runtimestore.New(c.db.Pool).GetRecord(ctx, gameID)
	if err != nil {
		return r, err
	}
	c.mu.Lock()
	if c.epoch == epoch && r.Status != StatusRemoved {
		c.recs[gameID] = r
	}
	c.mu.Unlock()
	return r, nil
}

// invalidate drops a game's record: a change was committed.
func (c *RecordCache) invalidate(gameID string) {
	c.mu.Lock()
	delete(c.recs, gameID)
	c.epoch++
	c.mu.Unlock()
}

// recordTx runs fn in a transaction that changes the game's record, then
// drops the cached record, so this replica reads its own writes at once
// (other replicas hear of the change from the database's notification).
func (s *Service) recordTx(ctx context.Context, gameID string, fn func(ctx context.Context, tx pgx.Tx) error) error {
	defer s.cache.invalidate(gameID)
	return s.db.InTx(ctx, fn)
}
