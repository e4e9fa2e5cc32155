package inbound

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/mail/inbound/inboundstore"
)

// CleanupArgs is the periodic job that deletes processed inbound mail older
// than BACKEND_MAIL_INBOUND_RETENTION (raw messages hold passwords: they
// are kept no longer than operators need them).
type CleanupArgs struct{}

// Kind implements river.JobArgs.
func (CleanupArgs) Kind() string { return "mail.inbound_cleanup" }

type cleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	s *Service
}

// cleanupInterval is how often the retention job runs.
const cleanupInterval = time.Hour

// Work deletes expired mail in batches, so no one statement holds locks
// long.
func (w *cleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	before := time.Now().Add(-w.s.cfg.Retention)
	total := int64(0)
	for {
		n, err := inboundstore.New(w.s.db.Pool).DeleteOldInbound(ctx, inboundstore.DeleteOldInboundParams{Before: before, MaxRows: 1000})
		if err != nil {
			return err
		}
		total += n
		if n < 1000 {
			break
		}
	}
	if total > 0 {
		w.s.logger.InfoContext(ctx, "inbound mail retention", "deleted", total)
	}
	return nil
}
