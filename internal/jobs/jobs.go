// Package jobs runs background work on River: one client per process, shared
// by every domain, with a middleware that logs and traces every job.
//
// Domains register their workers with Register and enqueue with the River
// client's InsertTx inside their own transactions, so a job exists if and only
// if the business change that asked for it committed.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Client is the process's River client as a lifecycle component.
type Client struct {
	river   *river.Client[pgx.Tx]
	workers *river.Workers
	nWorker atomic.Int32
	logger  *slog.Logger
}

// Options configure New beyond the environment settings.
type Options struct {
	// Queues adds domain queues next to the default one, each sized on
	// purpose (see DESIGN.md: MaxWorkers / FetchCooldown caps a queue).
	Queues map[string]river.QueueConfig
	Tracer trace.Tracer
	Meter  metric.Meter
}

// New builds the client. Workers registered with Register before Start are
// worked; jobs may be inserted from the moment New returns.
func New(pool *pgxpool.Pool, cfg config.Jobs, opts Options, logger *slog.Logger) (*Client, error) {
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers}}
	for name, q := range opts.Queues {
		queues[name] = q
	}
	mw, err := newMiddleware(logger, opts.Tracer, opts.Meter)
	if err != nil {
		return nil, err
	}
	c := &Client{workers: river.NewWorkers(), logger: logger}
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Schema:          postgres.Schema,
		Queues:          queues,
		Workers:         c.workers,
		FetchCooldown:   cfg.FetchCooldown,
		SoftStopTimeout: cfg.SoftStopTimeout,
		// River's default (1h) would leave the jobs of a crashed process
		// stuck for an hour.
		RescueStuckJobsAfter: cfg.RescueStuckAfter,
		// Jobs without a Timeout of their own get half the rescue window, so
		// a job is cancelled well before it could be presumed lost.
		JobTimeout: cfg.RescueStuckAfter / 2,
		Logger:     newRiverLogger(logger).With("component", "river"),
		Middleware: []rivertype.Middleware{mw},
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	c.river = rc
	return c, nil
}

// Register adds a worker for jobs of kind T to c. Call it before Start.
func Register[T river.JobArgs](c *Client, w river.Worker[T]) {
	river.AddWorker(c.workers, w)
	c.nWorker.Add(1)
}

// River returns the underlying client for inserting jobs (InsertTx) and for
// managing periodic jobs.
func (c *Client) River() *river.Client[pgx.Tx] { return c.river }

// Name implements lifecycle.Component.
func (c *Client) Name() string { return "jobs" }

// Start begins fetching and working jobs. With no registered worker the
// client stays insert-only: jobs wait in the table for a process that works
// them.
func (c *Client) Start(ctx context.Context) error {
	if c.nWorker.Load() == 0 {
		c.logger.Info("no job workers registered; River client is insert-only")
		return nil
	}
	// River cancels its work when the start context ends; it must outlive
	// the start-up phase, and Stop ends it.
	return c.river.Start(context.WithoutCancel(ctx))
}

// Stopped is closed when the client has stopped; the composition root
// watches it to notice a client that stops by itself.
func (c *Client) Stopped() <-chan struct{} { return c.river.Stopped() }

// Working reports whether Start started the client (it has workers).
func (c *Client) Working() bool { return c.nWorker.Load() > 0 }

// Stop stops fetching, lets running jobs finish for up to
// BACKEND_JOBS_SOFT_STOP_TIMEOUT, then cancels them (hard stop), all within
// ctx's deadline. Jobs cut short are retried by the next process.
func (c *Client) Stop(ctx context.Context) error {
	if c.nWorker.Load() == 0 {
		return nil
	}
	if err := c.river.Stop(ctx); err != nil {
		// The overall deadline passed before the soft stop finished.
		hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 0)
		defer cancel()
		_ = c.river.StopAndCancel(hard)
		return fmt.Errorf("jobs did not stop in time: %w", err)
	}
	return nil
}
