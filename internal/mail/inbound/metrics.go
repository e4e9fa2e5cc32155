package inbound

import (
	"context"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
)

// metrics are the inbound counters: mail received (by door, duplicates
// apart), refused before storage (by reason), and processed (by outcome).
type metrics struct {
	receivedCount  metric.Int64Counter
	refusedCount   metric.Int64Counter
	processedCount metric.Int64Counter
}

func newMetrics(meter metric.Meter) (*metrics, error) {
	if meter == nil {
		meter = noop.NewMeterProvider().Meter("inbound")
	}
	m := &metrics{}
	var err error
	if m.receivedCount, err = meter.Int64Counter("mail_inbound_received_total",
		metric.WithDescription("Inbound mails stored, by source (smtp, webhook) and duplicate (a Message-ID seen before).")); err != nil {
		return nil, err
	}
	if m.refusedCount, err = meter.Int64Counter("mail_inbound_refused_total",
		metric.WithDescription("Inbound mails refused before storage, by reason (too_large, recipient, rate_limited, empty).")); err != nil {
		return nil, err
	}
	if m.processedCount, err = meter.Int64Counter("mail_inbound_processed_total",
		metric.WithDescription("Inbound mails processed, by outcome (processed, ignored).")); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *metrics) received(ctx context.Context, source string, duplicate bool) {
	m.receivedCount.Add(ctx, 1, metric.WithAttributes(attribute.String("source", source),
		attribute.String("duplicate", strconv.FormatBool(duplicate))))
}

func (m *metrics) refused(ctx context.Context, reason string) {
	m.refusedCount.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", reason)))
}

func (m *metrics) processed(ctx context.Context, outcome string) {
	m.processedCount.Add(ctx, 1, metric.WithAttributes(attribute.String("outcome", outcome)))
}
