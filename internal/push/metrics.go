package push

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
)

// metrics are the push stream's instruments. Gauges are observed on
// collection rather than kept up to date on every change, so publishing pays
// only for counter increments.
type metrics struct {
	events metric.Int64Counter
	slow   metric.Int64Counter
}

func newMetrics(meter metric.Meter, s *Service) (*metrics, error) {
	if meter == nil {
		meter = noop.NewMeterProvider().Meter("")
	}
	var m metrics
	var err error
	if m.events, err = meter.Int64Counter("galaxy.push.events.published",
		metric.WithDescription("Events published to the push stream."),
		metric.WithUnit("{event}")); err != nil {
		return nil, fmt.Errorf("push: metrics: %w", err)
	}
	if m.slow, err = meter.Int64Counter("galaxy.push.subscribers.slow_disconnects",
		metric.WithDescription("Subscribers disconnected because their send queue overflowed."),
		metric.WithUnit("{subscriber}")); err != nil {
		return nil, fmt.Errorf("push: metrics: %w", err)
	}
	subscribers, err := meter.Int64ObservableGauge("galaxy.push.subscribers",
		metric.WithDescription("Live push subscriptions."),
		metric.WithUnit("{subscriber}"))
	if err != nil {
		return nil, fmt.Errorf("push: metrics: %w", err)
	}
	occupancy, err := meter.Int64ObservableGauge("galaxy.push.buffer.events",
		metric.WithDescription("Events held in the ring buffer for resuming subscribers."),
		metric.WithUnit("{event}"))
	if err != nil {
		return nil, fmt.Errorf("push: metrics: %w", err)
	}
	capacity, err := meter.Int64ObservableGauge("galaxy.push.buffer.capacity",
		metric.WithDescription("Capacity of the ring buffer."),
		metric.WithUnit("{event}"))
	if err != nil {
		return nil, fmt.Errorf("push: metrics: %w", err)
	}
	// The registration lives as long as the Service, i.e. the process.
	if _, err := meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		subs, n, c := s.stats()
		o.ObserveInt64(subscribers, int64(subs))
		o.ObserveInt64(occupancy, int64(n))
		o.ObserveInt64(capacity, int64(c))
		return nil
	}, subscribers, occupancy, capacity); err != nil {
		return nil, fmt.Errorf("push: metrics: %w", err)
	}
	return &m, nil
}

// published records one published event and the subscribers it cut off.
func (m *metrics) published(slow int64) {
	ctx := context.Background()
	m.events.Add(ctx, 1)
	if slow > 0 {
		m.slow.Add(ctx, slow)
	}
}
