package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/galaxy-platform/galaxy/internal/outbox/outboxstore"
)

// retain runs Cleanup at start and then every RetentionInterval until Stop.
// Every replica runs it; SKIP LOCKED in the delete keeps them from waiting
// on each other.
func (r *Relay) retain() {
	defer r.wg.Done()
	t := time.NewTicker(r.cfg.RetentionInterval)
	defer t.Stop()
	for {
		n, err := r.Cleanup(r.soft)
		switch {
		case err != nil && r.soft.Err() == nil:
			r.logger.Warn("outbox retention pass failed; the next one retries", "error", err, "deleted", n)
		case n > 0:
			r.logger.Info("outbox retention pass", "deleted", n, "retention", r.cfg.Retention.String())
		}
		select {
		case <-r.soft.Done():
			return
		case <-t.C:
		}
	}
}

// Cleanup deletes published events older than the retention, batch by
// batch, and returns how many it deleted. Pending events are never deleted,
// however old.
func (r *Relay) Cleanup(ctx context.Context) (int64, error) {
	q := outboxstore.New(r.pool)
	cutoff := time.Now().Add(-r.cfg.Retention)
	var total int64
	for {
		n, err := q.DeletePublishedBefore(ctx, outboxstore.DeletePublishedBeforeParams{
			Cutoff: cutoff, BatchSize: int32(r.cfg.RetentionBatch),
		})
		total += n
		r.metrics.deleted.Add(ctx, n)
		if err != nil {
			return total, fmt.Errorf("outbox retention: %w", err)
		}
		if n < int64(r.cfg.RetentionBatch) {
			return total, nil
		}
	}
}
