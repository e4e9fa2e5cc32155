package runtime

import (
	"context"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// Record statuses (runtime_records.status).
const (
	StatusPending  = "pending"
	StatusStarting = "starting"
	StatusRunning  = "running"
	StatusStopping = "stopping"
	StatusStopped  = "stopped"
	StatusRemoved  = "removed"
	StatusFailed   = "failed"
)

// Record is what the runtime knows of a game's engine, for operators. The
// engine token is left out on purpose.
type Record struct {
	GameID       string
	Driver       string
	ContainerID  string
	Endpoint     string
	Status       string
	CurrentTurn  int
	Paused       bool
	SkipNextTick bool
	LastHealthAt *time.Time
	LastError    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Record returns the game's runtime record. Errors: errs.NotFound when the
// game was never started.
func (s *Service) Record(ctx context.Context, gameID string) (Record, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	r, err := runtimestore.New(s.db.Pool).GetRecord(ctx, gameID)
	if postgres.IsNoRows(err) {
		return Record{}, errs.E(errs.NotFound, "game %s has no engine", gameID).WithDetail("game_id", gameID)
	}
	if err != nil {
		return Record{}, postgres.Translate(err)
	}
	return recordFrom(r), nil
}

// RecordsPage returns one page of engine records (operators), without
// tokens, oldest first, and the cursor of the next page (nil on the last).
func (s *Service) RecordsPage(ctx context.Context, limit int, after *httpx.Cursor) ([]Record, *httpx.Cursor, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	p := runtimestore.PageRecordsParams{MaxRows: int32(limit + 1)}
	if after != nil {
		p.AfterCreated, p.AfterID = &after.At, &after.ID
	}
	rows, err := runtimestore.New(s.db.Pool).PageRecords(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	rows, next := httpx.PageOf(rows, limit, func(r runtimestore.RuntimeRecord) httpx.Cursor {
		return httpx.Cursor{At: r.CreatedAt, ID: r.GameID}
	})
	out := make([]Record, len(rows))
	for i, r := range rows {
		out[i] = recordFrom(r)
	}
	return out, next, nil
}

// lockGameAndRecord locks the game's row, then its record's, always in this
// order (as the lobby's transactions do, game first), so that no two
// transactions wait for each other's second lock.
func lockGameAndRecord(ctx context.Context, q *runtimestore.Queries, gameID string) (runtimestore.LockGameRow, runtimestore.RuntimeRecord, error) {
	g, err := q.LockGame(ctx, gameID)
	if err != nil {
		return g, runtimestore.RuntimeRecord{}, err
	}
	rec, err := q.LockRecord(ctx, gameID)
	return g, rec, err
}

func recordFrom(r runtimestore.RuntimeRecord) Record {
	return Record{GameID: r.GameID, Driver: r.Driver, ContainerID: r.ContainerID, Endpoint: r.Endpoint,
		Status: r.Status, CurrentTurn: int(r.CurrentTurn), Paused: r.Paused, SkipNextTick: r.SkipNextTick,
		LastHealthAt: r.LastHealthAt, LastError: r.LastError, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}
