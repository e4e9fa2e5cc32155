package mail

import (
	"context"
	"errors"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/galaxy-platform/galaxy/internal/mail/mailstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// metrics are the mail module's instruments.
type metrics struct {
	accepts  metric.Int64Counter
	attempts metric.Int64Counter
	duration metric.Float64Histogram
}

func newMetrics(meter metric.Meter, s *Service) (*metrics, error) {
	if meter == nil {
		meter = noop.NewMeterProvider().Meter("")
	}
	m := &metrics{}
	var err error
	if m.accepts, err = meter.Int64Counter("mail_deliveries_accepted_total",
		metric.WithDescription("Deliveries accepted at intake, by template and initial status.")); err != nil {
		return nil, err
	}
	if m.attempts, err = meter.Int64Counter("mail_attempts_total",
		metric.WithDescription("SMTP attempts by outcome: sent, temporary_failure, permanent_failure.")); err != nil {
		return nil, err
	}
	if m.duration, err = meter.Float64Histogram("mail_send_duration_seconds",
		metric.WithDescription("Duration of one send attempt."), metric.WithUnit("s")); err != nil {
		return nil, err
	}
	depth, err := meter.Int64ObservableGauge("mail_deliveries",
		metric.WithDescription("Deliveries in the database by status (the queue depth is queued + sending)."))
	if err != nil {
		return nil, err
	}
	oldest, err := meter.Float64ObservableGauge("mail_oldest_queued_age_seconds",
		metric.WithDescription("Age of the oldest delivery not yet sent; 0 when none is waiting."), metric.WithUnit("s"))
	if err != nil {
		return nil, err
	}
	_, err = meter.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		q := mailstore.New(s.pool())
		rows, err := q.CountByStatus(ctx)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, r := range rows {
			o.ObserveInt64(depth, r.Deliveries, metric.WithAttributes(attribute.String("status", r.Status)))
			seen[r.Status] = true
		}
		for _, st := range []string{StatusQueued, StatusSending, StatusSent, StatusSuppressed, StatusFailed, StatusCancelled} {
			if !seen[st] {
				o.ObserveInt64(depth, 0, metric.WithAttributes(attribute.String("status", st)))
			}
		}
		at, err := q.OldestQueuedAt(ctx)
		switch {
		case postgres.IsNoRows(err):
			o.ObserveFloat64(oldest, 0)
		case err != nil:
			return err
		default:
			o.ObserveFloat64(oldest, time.Since(at).Seconds())
		}
		return nil
	}, depth, oldest)
	return m, err
}

func (m *metrics) accepted(ctx context.Context, template, status string) {
	m.accepts.Add(ctx, 1, metric.WithAttributes(attribute.String("template", template), attribute.String("status", status)))
}

func (m *metrics) attempted(ctx context.Context, err error, d time.Duration) {
	outcome := "sent"
	var se *SendError
	switch {
	case errors.As(err, &se) && se.Permanent:
		outcome = "permanent_failure"
	case err != nil:
		outcome = "temporary_failure"
	}
	attrs := metric.WithAttributes(attribute.String("outcome", outcome))
	m.attempts.Add(ctx, 1, attrs)
	m.duration.Record(ctx, d.Seconds(), attrs)
}
