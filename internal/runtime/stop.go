package runtime

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// StopArgs is the runtime.stop job: stop the game's engine, or remove it
// with its state when the game will never run again.
type StopArgs struct {
	GameID string `json:"game_id"`
	Reason string `json:"reason"`
	Remove bool   `json:"remove"`
}

// Kind implements river.JobArgs.
func (StopArgs) Kind() string { return "runtime.stop" }

type stopWorker struct {
	river.WorkerDefaults[StopArgs]
	s *Service
}

// Timeout leaves the driver its whole graceful stop budget.
func (w *stopWorker) Timeout(*river.Job[StopArgs]) time.Duration {
	return driver.DefaultStopTimeout + time.Minute
}

// NextRetry implements river.Worker with the runtime's backoff.
func (w *stopWorker) NextRetry(job *river.Job[StopArgs]) time.Time {
	return time.Now().Add(backoff.Delay(job.Attempt, w.s.cfg.RetryBaseDelay, w.s.cfg.RetryMaxDelay))
}

// Work stops or removes the engine and records the outcome. Both driver
// calls succeed when there is nothing left to do, so a retry is harmless.
func (w *stopWorker) Work(ctx context.Context, job *river.Job[StopArgs]) error {
	s, a := w.s, job.Args
	status := StatusStopped
	var err error
	if a.Remove {
		status, err = StatusRemoved, s.drv.Remove(ctx, a.GameID)
	} else {
		err = s.drv.Stop(ctx, a.GameID)
		if errs.Is(err, errs.NotFound) {
			err = nil // no engine: nothing to stop
		}
	}
	if err != nil {
		s.noteError(ctx, a.GameID, err)
		return err
	}
	s.logger.InfoContext(ctx, "engine "+status, "game_id", a.GameID, "reason", a.Reason)
	return s.recordTx(ctx, a.GameID, func(ctx context.Context, tx pgx.Tx) error {
		return runtimestore.New(tx).SetRecordStatus(ctx, runtimestore.SetRecordStatusParams{GameID: a.GameID, Status: status})
	})
}
