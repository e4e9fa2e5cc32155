package runtime

import (
	"context"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
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

// Records lists the newest engine records (operators), without tokens.
func (s *Service) Records(ctx context.Context, limit int) ([]Record, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := runtimestore.New(s.db.Pool).ListRecords(ctx, int32(limit))
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Record, len(rows))
	for i, r := range rows {
		out[i] = recordFrom(r)
	}
	return out, nil
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
