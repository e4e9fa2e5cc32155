package outbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// RelayOptions are the relay's collaborators beyond its configuration.
type RelayOptions struct {
	// Logger receives the relay's logs; nil discards them.
	Logger *slog.Logger
	// Tracer starts the outbox.publish spans; nil uses the global tracer
	// provider.
	Tracer trace.Tracer
	// Meter records the outbox metrics; nil records none.
	Meter metric.Meter
}

// Relay publishes committed outbox events to NATS JetStream. It is a
// lifecycle component: Start returns at once (also while NATS is down) and
// the work runs in goroutines the relay owns until Stop.
//
// Claiming: each worker claims a batch with SELECT … FOR UPDATE SKIP LOCKED
// and keeps that transaction open while it publishes the batch and records
// the outcome, so the row locks are the claim. Workers of one process and
// relays of other replicas skip locked rows, so no two ever publish one row
// at the same time; a relay that dies loses its connection and its locks
// with it, so its rows are claimable at once — there is no lease to expire
// and no lease length to tune. The cost is one database connection and one
// open transaction per busy worker for the length of a batch (bounded by
// PublishTimeout).
//
// Batching: while a relay keeps up its claims start at least ClaimInterval
// apart, so that events committed one per transaction still go out many per
// batch; during a backlog its workers claim full batches side by side. Each batch's publishes are sent without waiting and their acks
// awaited together, and the batch is recorded with one UPDATE.
type Relay struct {
	cfg     Config
	pool    *pgxpool.Pool
	logger  *slog.Logger
	tracer  trace.Tracer
	metrics *metrics

	nc          *nats.Conn
	js          jetstream.JetStream
	streamMu    sync.Mutex
	streamReady atomic.Bool

	// wake holds at most one pending wake-up; any idle worker takes it.
	wake chan struct{}

	// backlog reports that the last claim filled its batch. While it does
	// not, claims take start times at least ClaimInterval apart: nextClaim,
	// guarded by claimMu, is the next free one (see claim).
	backlog   atomic.Bool
	claimMu   sync.Mutex
	nextClaim time.Time

	// soft ends the loops (no new batch); hard cuts a batch short, only
	// when Stop's deadline passes.
	soft, hard             context.Context
	softCancel, hardCancel context.CancelFunc
	wg                     sync.WaitGroup
	started                bool
}

// NewRelay builds a relay over pool. It validates cfg (see Config.Validate)
// and registers the metrics; it does not connect to anything yet.
func NewRelay(pool *pgxpool.Pool, cfg Config, opts RelayOptions) (*Relay, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	r := &Relay{
		cfg:    cfg,
		pool:   pool,
		logger: opts.Logger,
		tracer: opts.Tracer,
		wake:   make(chan struct{}, 1),
	}
	if r.logger == nil {
		r.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r.logger = r.logger.With("component", "outbox-relay")
	if r.tracer == nil {
		r.tracer = otel.Tracer("galaxy/outbox")
	}
	var err error
	if r.metrics, err = newMetrics(opts.Meter, pool); err != nil {
		return nil, fmt.Errorf("outbox: metrics: %w", err)
	}
	return r, nil
}

// Name implements lifecycle.Component.
func (r *Relay) Name() string { return "outbox-relay" }

// Enabled reports whether a NATS URL is configured, i.e. whether the relay
// publishes at all.
func (r *Relay) Enabled() bool { return r.cfg.NATSURL != "" }

// Start begins relaying. Without a NATS URL only retention runs: events
// stay pending in outbox_events. With one, Start connects in the background
// — NATS being down at start-up is not an error, the relay keeps retrying —
// and fails only on an unusable configuration.
func (r *Relay) Start(ctx context.Context) error {
	if r.started {
		return errors.New("outbox relay: already started")
	}
	// The loops must outlive the start-up context; Stop ends them.
	r.soft, r.softCancel = context.WithCancel(context.WithoutCancel(ctx))
	r.hard, r.hardCancel = context.WithCancel(context.WithoutCancel(ctx))

	if r.Enabled() {
		if err := r.connect(); err != nil {
			r.softCancel()
			r.hardCancel()
			return err
		}
		r.wg.Add(1 + r.cfg.Workers)
		go r.listen()
		for range r.cfg.Workers {
			go r.work()
		}
		r.poke() // rows left by a previous process
		r.logger.InfoContext(ctx, "outbox relay started", "stream", r.cfg.Stream,
			"workers", r.cfg.Workers, "batch_size", r.cfg.BatchSize)
	} else {
		r.logger.InfoContext(ctx, "outbox relay disabled: no NATS URL configured; events are recorded in outbox_events and kept pending, nothing publishes them")
	}
	r.wg.Add(1)
	go r.retain()
	r.started = true
	return nil
}

// Stop stops claiming, lets every worker finish (publish and record) the
// batch it holds, then closes the NATS connection. When ctx ends first the
// batches are cut short: their transactions roll back and the rows are
// published again by the next relay (JetStream drops the repeats inside the
// duplicate window).
func (r *Relay) Stop(ctx context.Context) error {
	if !r.started {
		return nil
	}
	r.softCancel()
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		r.hardCancel()
		<-done
		err = fmt.Errorf("outbox relay: batches cut short: %w", ctx.Err())
	}
	r.hardCancel()
	if r.nc != nil {
		r.nc.Close()
	}
	return err
}

// poke wakes one idle worker, or the next one to become idle.
func (r *Relay) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}
