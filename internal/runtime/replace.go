package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// ReplaceArgs is the runtime.replace job: give a running or paused game a
// new engine, restored from its last stored snapshot, because the old one
// vanished, stopped answering its health checks, or is not the recorded
// one. One live job per game: the reason of the first request is kept.
type ReplaceArgs struct {
	GameID string `json:"game_id" river:"unique"`
	Reason string `json:"reason"`
}

// Kind implements river.JobArgs.
func (ReplaceArgs) Kind() string { return "runtime.replace" }

type replaceWorker struct {
	river.WorkerDefaults[ReplaceArgs]
	s *Service
}

// Timeout covers the old engine's graceful stop, then a start.
func (w *replaceWorker) Timeout(*river.Job[ReplaceArgs]) time.Duration { return MaxJobTimeout }

// NextRetry implements river.Worker with the runtime's backoff.
func (w *replaceWorker) NextRetry(job *river.Job[ReplaceArgs]) time.Time {
	return time.Now().Add(backoff.Delay(job.Attempt, w.s.cfg.RetryBaseDelay, w.s.cfg.RetryMaxDelay))
}

// Work runs one replacement attempt; see settleBringUp.
func (w *replaceWorker) Work(ctx context.Context, job *river.Job[ReplaceArgs]) error {
	return w.s.settleBringUp(ctx, job.Args.GameID, job.Attempt, job.MaxAttempts, true)
}

// queueReplaceTx marks the game's engine as being replaced (turns wait for
// it) and queues the replacement. A record that holds no engine to replace
// (stopping, removed) is left alone; it reports whether a replacement was
// asked for.
func (s *Service) queueReplaceTx(ctx context.Context, tx pgx.Tx, gameID, reason string) (bool, error) {
	n, err := runtimestore.New(tx).SetRecordReplacing(ctx, runtimestore.SetRecordReplacingParams{GameID: gameID, Reason: reason})
	if err != nil {
		return false, fmt.Errorf("record replacement of %s: %w", gameID, err)
	}
	if n == 0 {
		return false, nil
	}
	return true, s.insertReplaceTx(ctx, tx, gameID, reason)
}

func (s *Service) insertReplaceTx(ctx context.Context, tx pgx.Tx, gameID, reason string) error {
	if _, err := s.river.InsertTx(ctx, tx, ReplaceArgs{GameID: gameID, Reason: reason}, &river.InsertOpts{
		Queue: QueueStart, MaxAttempts: s.cfg.StartMaxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: liveStates},
	}); err != nil {
		return fmt.Errorf("queue replacement of %s: %w", gameID, err)
	}
	return nil
}
