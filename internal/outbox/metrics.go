package outbox

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/galaxy-platform/galaxy/internal/outbox/outboxstore"
)

// metrics are the outbox instruments (names from seed 004). The gauges are
// read from the table, so every replica reports the same global figure:
// aggregate them with max, not sum.
type metrics struct {
	published  metric.Int64Counter
	failures   metric.Int64Counter
	duplicates metric.Int64Counter
	deleted    metric.Int64Counter
	duration   metric.Float64Histogram
}

func newMetrics(meter metric.Meter, pool *pgxpool.Pool) (*metrics, error) {
	if meter == nil {
		meter = noop.NewMeterProvider().Meter("")
	}
	m := &metrics{}
	var err error
	if m.published, err = meter.Int64Counter("outbox_published_total",
		metric.WithDescription("Events published to JetStream and marked published, by type.")); err != nil {
		return nil, err
	}
	if m.failures, err = meter.Int64Counter("outbox_failures_total",
		metric.WithDescription("Failed publish attempts (the row is retried with backoff), by type.")); err != nil {
		return nil, err
	}
	if m.duplicates, err = meter.Int64Counter("outbox_duplicates_total",
		metric.WithDescription("Publishes JetStream acknowledged as duplicates: an earlier publish of the same event was stored but not recorded.")); err != nil {
		return nil, err
	}
	if m.deleted, err = meter.Int64Counter("outbox_retention_deleted_total",
		metric.WithDescription("Published events deleted by retention.")); err != nil {
		return nil, err
	}
	if m.duration, err = meter.Float64Histogram("outbox_publish_duration_seconds",
		metric.WithDescription("Time from sending one event to its JetStream ack (or failure)."), metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)); err != nil {
		return nil, err
	}
	pending, err := meter.Int64ObservableGauge("outbox_pending",
		metric.WithDescription("Events recorded but not yet published (all replicas)."))
	if err != nil {
		return nil, err
	}
	oldest, err := meter.Float64ObservableGauge("outbox_oldest_pending_age_seconds",
		metric.WithDescription("Age of the oldest unpublished event; 0 when none is pending."), metric.WithUnit("s"))
	if err != nil {
		return nil, err
	}
	_, err = meter.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		st, err := outboxstore.New(pool).PendingStats(ctx)
		if err != nil {
			return err
		}
		o.ObserveInt64(pending, st.Pending)
		o.ObserveFloat64(oldest, st.OldestAgeSeconds)
		return nil
	}, pending, oldest)
	return m, err
}

// outcome records one publish after its outcome was committed.
func (m *metrics) outcome(ctx context.Context, eventType string, o outcome) {
	attrs := metric.WithAttributes(attribute.String("type", eventType))
	m.duration.Record(ctx, o.duration.Seconds(), attrs)
	if o.err != nil {
		m.failures.Add(ctx, 1, attrs)
		return
	}
	m.published.Add(ctx, 1, attrs)
	if o.duplicate {
		m.duplicates.Add(ctx, 1, attrs)
	}
}
