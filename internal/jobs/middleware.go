package jobs

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// middleware logs and traces every job River works (otelriver is not
// available here, and this is all we need of it).
type middleware struct {
	river.MiddlewareDefaults
	logger   *slog.Logger
	tracer   trace.Tracer
	worked   metric.Int64Counter
	duration metric.Float64Histogram
}

func newMiddleware(logger *slog.Logger, tracer trace.Tracer, meter metric.Meter) (*middleware, error) {
	if tracer == nil {
		tracer = tracenoop.NewTracerProvider().Tracer("")
	}
	if meter == nil {
		meter = noop.NewMeterProvider().Meter("")
	}
	worked, err := meter.Int64Counter("jobs_worked_total",
		metric.WithDescription("Jobs worked, by kind and outcome (ok, error, cancelled, snoozed)."))
	if err != nil {
		return nil, err
	}
	duration, err := meter.Float64Histogram("jobs_work_duration_seconds",
		metric.WithDescription("Time spent working one job attempt."), metric.WithUnit("s"))
	if err != nil {
		return nil, err
	}
	return &middleware{logger: logger, tracer: tracer, worked: worked, duration: duration}, nil
}

// Work wraps one job attempt in a span and a log line.
func (m *middleware) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	ctx, span := m.tracer.Start(ctx, "river.work "+job.Kind, trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("river.kind", job.Kind),
			attribute.Int64("river.job_id", job.ID),
			attribute.Int("river.attempt", job.Attempt),
			attribute.String("river.queue", job.Queue),
		))
	defer span.End()
	begin := time.Now()
	err := doInner(ctx)
	elapsed := time.Since(begin)

	outcome := outcomeOf(err)
	attrs := metric.WithAttributes(attribute.String("kind", job.Kind), attribute.String("outcome", outcome))
	m.worked.Add(ctx, 1, attrs)
	m.duration.Record(ctx, elapsed.Seconds(), attrs)

	args := []any{"kind", job.Kind, "job_id", job.ID, "attempt", job.Attempt,
		"queue", job.Queue, "outcome", outcome, "duration_ms", float64(elapsed.Microseconds()) / 1000}
	if err != nil && outcome == "error" {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		m.logger.WarnContext(ctx, "job failed", append(args, "error", err,
			"max_attempts", strconv.Itoa(job.MaxAttempts))...)
		return err
	}
	m.logger.DebugContext(ctx, "job worked", args...)
	return err
}

func outcomeOf(err error) string {
	var snooze *river.JobSnoozeError
	var cancel *river.JobCancelError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &snooze):
		return "snoozed"
	case errors.As(err, &cancel):
		return "cancelled"
	}
	return "error"
}
