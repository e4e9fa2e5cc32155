package mail

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/galaxy-platform/galaxy/internal/mail/mailstore"
)

// CleanupArgs is the periodic retention job.
type CleanupArgs struct{}

// Kind implements river.JobArgs.
func (CleanupArgs) Kind() string { return "mail.cleanup" }

// InsertOpts keeps a single pending cleanup at a time.
func (CleanupArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

type cleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	s *Service
}

// cleanupBatch bounds each DELETE so retention never holds long locks.
const cleanupBatch = 1000

// Work deletes expired deliveries (cascading to their payloads, recipients,
// attempts and dead letters), expired malformed commands and expired
// idempotency keys, batch by batch. Store failures fail the job; River
// retries it and the next period runs anyway.
func (w *cleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	n, err := w.s.Cleanup(ctx)
	if err != nil {
		return err
	}
	// A pass that deleted nothing is routine: DEBUG, so it does not drown
	// the logs (or `galaxy dev`'s banner) every period.
	level := slog.LevelInfo
	if n == (CleanupCounts{}) {
		level = slog.LevelDebug
	}
	w.s.logger.Log(ctx, level, "mail retention pass", "deliveries", n.Deliveries,
		"malformed_commands", n.MalformedCommands, "idempotency_keys", n.IdempotencyKeys)
	return nil
}

// CleanupCounts says what one retention pass deleted.
type CleanupCounts struct {
	Deliveries, MalformedCommands, IdempotencyKeys int64
}

// Cleanup runs one retention pass now.
func (s *Service) Cleanup(ctx context.Context) (CleanupCounts, error) {
	var c CleanupCounts
	q := mailstore.New(s.pool())
	now := s.now()
	steps := []struct {
		count *int64
		run   func() (int64, error)
	}{
		{&c.Deliveries, func() (int64, error) {
			return q.DeleteExpiredDeliveries(ctx, mailstore.DeleteExpiredDeliveriesParams{
				Cutoff: now.Add(-s.cfg.DeliveryRetention), Batch: cleanupBatch})
		}},
		{&c.MalformedCommands, func() (int64, error) {
			return q.DeleteExpiredMalformedCommands(ctx, mailstore.DeleteExpiredMalformedCommandsParams{
				Cutoff: now.Add(-s.cfg.MalformedCommandRetention), Batch: cleanupBatch})
		}},
		{&c.IdempotencyKeys, func() (int64, error) { return q.DeleteExpiredIdempotencyKeys(ctx, cleanupBatch) }},
	}
	for _, step := range steps {
		for {
			n, err := step.run()
			if err != nil {
				return c, err
			}
			*step.count += n
			if n < cleanupBatch {
				break
			}
			if ctx.Err() != nil {
				return c, ctx.Err()
			}
			time.Sleep(10 * time.Millisecond) // let other work through between batches
		}
	}
	return c, nil
}
