package inbound

import (
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"go.opentelemetry.io/otel/metric"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/ratelimit"
)

// New builds the service. Register its workers with RegisterWorkers before
// the job client starts; the SMTP door is NewListener.
func New(cfg config.Inbound, db *postgres.DB, jobsClient *jobs.Client, deps Deps, logger *slog.Logger, meter metric.Meter) (*Service, error) {
	m, err := newMetrics(meter)
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, db: db, river: jobsClient.River(), deps: deps,
		senders: ratelimit.New(cfg.SenderEvery, cfg.SenderBurst),
		logger:  logger.With("module", "mail_inbound"), metrics: m}, nil
}

// QueueConfig sizes the inbound queue.
func QueueConfig(cfg config.Inbound) river.QueueConfig {
	return river.QueueConfig{MaxWorkers: cfg.Workers, FetchCooldown: 10 * time.Millisecond}
}

// RegisterWorkers adds the processing worker and the retention job to c.
func (s *Service) RegisterWorkers(c *jobs.Client) {
	jobs.Register(c, &processWorker{s: s})
	jobs.Register(c, &cleanupWorker{s: s})
	c.River().PeriodicJobs().Add(river.NewPeriodicJob(
		river.PeriodicInterval(cleanupInterval),
		func() (river.JobArgs, *river.InsertOpts) { return CleanupArgs{}, &river.InsertOpts{Queue: Queue} },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "mail.inbound_cleanup"},
	))
}
