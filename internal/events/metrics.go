package events

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
)

// Outcomes of one handled command.
const (
	outcomeAccepted  = "accepted"  // a new delivery
	outcomeDuplicate = "duplicate" // the idempotency key matched an earlier delivery
	outcomeMalformed = "malformed" // recorded in mail_malformed_commands
	outcomeFailed    = "failed"    // nothing durable; redelivered later
)

type metrics struct {
	handledTotal metric.Int64Counter
	duration     metric.Float64Histogram
}

func newMetrics(meter metric.Meter) (*metrics, error) {
	if meter == nil {
		meter = noop.NewMeterProvider().Meter("")
	}
	m := &metrics{}
	var err error
	if m.handledTotal, err = meter.Int64Counter("commands_handled_total",
		metric.WithDescription("Commands taken from JetStream, by outcome: accepted, duplicate, malformed (all acknowledged) or failed (redelivered).")); err != nil {
		return nil, err
	}
	if m.duration, err = meter.Float64Histogram("commands_handle_duration_seconds",
		metric.WithDescription("Time to handle one command, from receipt to ack or nak."), metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *metrics) handled(ctx context.Context, outcome string, d time.Duration) {
	attrs := metric.WithAttributes(attribute.String("command", "mail.send"), attribute.String("outcome", outcome))
	m.handledTotal.Add(ctx, 1, attrs)
	m.duration.Record(ctx, d.Seconds(), attrs)
}
