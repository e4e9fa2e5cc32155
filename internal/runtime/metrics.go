package runtime

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// metrics are the runtime's instruments (seed 003's runtime metrics).
type metrics struct {
	startDuration metric.Float64Histogram
	startFailures metric.Int64Counter
	turnDuration  metric.Float64Histogram
	turnFailures  metric.Int64Counter
	schedulingLag metric.Float64Histogram
	ticksMissed   metric.Int64Counter
	reconciled    metric.Int64Counter
}

// allStatuses lists every record status, so the gauge reports zeros too.
var allStatuses = []string{StatusPending, StatusStarting, StatusRunning, StatusStopping, StatusStopped,
	StatusRemoved, StatusFailed}

// RegisterMetrics gives the runtime its instruments on meter:
//
//   - runtime_engines{status}: engines by record status, read from the
//     database at collection time so every replica reports the same truth;
//   - runtime_engine_start_duration_seconds{kind=start|replacement}: from the
//     job picking the game up to the committed start;
//   - runtime_engine_start_failures_total{kind}: starts given up;
//   - runtime_turn_duration_seconds{trigger}: one turn, engine and commit;
//   - runtime_turn_failures_total{trigger}: turn attempts that failed (each
//     retried until the job's attempts run out);
//   - runtime_turn_scheduling_lag_seconds: from a scheduled tick to the
//     start of its turn;
//   - runtime_turn_ticks_missed_total: ticks that passed while a game's turn
//     was still running or waiting (turns the game lost: the schedule goes
//     on from the next tick rather than piling turns up);
//   - runtime_reconcile_actions_total{action}: what the reconciler did.
func (s *Service) RegisterMetrics(meter metric.Meter) error {
	m, err := newMetrics(meter)
	if err != nil {
		return err
	}
	engines, err := meter.Int64ObservableGauge("runtime_engines",
		metric.WithDescription("Game engines by record status; failed or a starting count that does not fall needs an operator."))
	if err != nil {
		return err
	}
	_, err = meter.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		rows, err := runtimestore.New(s.db.Pool).CountRecordsByStatus(ctx)
		if err != nil {
			return err
		}
		counts := map[string]int64{}
		for _, r := range rows {
			counts[r.Status] = r.Engines
		}
		for _, st := range allStatuses {
			o.ObserveInt64(engines, counts[st], metric.WithAttributes(attribute.String("status", st)))
		}
		return nil
	}, engines)
	if err != nil {
		return err
	}
	s.metrics = m
	return nil
}

func newMetrics(meter metric.Meter) (*metrics, error) {
	if meter == nil {
		meter = noop.NewMeterProvider().Meter("")
	}
	m := &metrics{}
	var err error
	if m.startDuration, err = meter.Float64Histogram("runtime_engine_start_duration_seconds",
		metric.WithDescription("Engine starts and replacements, from pick-up to commit."), metric.WithUnit("s")); err != nil {
		return nil, err
	}
	if m.startFailures, err = meter.Int64Counter("runtime_engine_start_failures_total",
		metric.WithDescription("Engine starts and replacements given up after their attempts.")); err != nil {
		return nil, err
	}
	if m.turnDuration, err = meter.Float64Histogram("runtime_turn_duration_seconds",
		metric.WithDescription("Turns run, from reading the orders to the commit."), metric.WithUnit("s")); err != nil {
		return nil, err
	}
	if m.turnFailures, err = meter.Int64Counter("runtime_turn_failures_total",
		metric.WithDescription("Turn attempts that failed (engine unreachable or refusing, database).")); err != nil {
		return nil, err
	}
	if m.schedulingLag, err = meter.Float64Histogram("runtime_turn_scheduling_lag_seconds",
		metric.WithDescription("From a scheduled tick to the start of its turn."), metric.WithUnit("s")); err != nil {
		return nil, err
	}
	if m.ticksMissed, err = meter.Int64Counter("runtime_turn_ticks_missed_total",
		metric.WithDescription("Scheduled ticks that passed before the previous tick's turn committed (turns lost to lag).")); err != nil {
		return nil, err
	}
	if m.reconciled, err = meter.Int64Counter("runtime_reconcile_actions_total",
		metric.WithDescription("Reconciler actions: replaced, adopted, removed, restarted, marked_removed, unhealthy.")); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *metrics) startDone(ctx context.Context, kind string, d time.Duration) {
	m.startDuration.Record(ctx, d.Seconds(), metric.WithAttributes(attribute.String("kind", kind)))
}

func (m *metrics) startFailed(ctx context.Context, kind string) {
	m.startFailures.Add(ctx, 1, metric.WithAttributes(attribute.String("kind", kind)))
}

func (m *metrics) turnDone(ctx context.Context, trigger string, d time.Duration) {
	m.turnDuration.Record(ctx, d.Seconds(), metric.WithAttributes(attribute.String("trigger", trigger)))
}

func (m *metrics) turnFailed(ctx context.Context, trigger string) {
	m.turnFailures.Add(ctx, 1, metric.WithAttributes(attribute.String("trigger", trigger)))
}

func (m *metrics) lag(ctx context.Context, d time.Duration) {
	m.schedulingLag.Record(ctx, max(d, 0).Seconds())
}

func (m *metrics) addMissedTicks(ctx context.Context, n int) {
	m.ticksMissed.Add(ctx, int64(n))
}

func (m *metrics) reconcileAction(ctx context.Context, action string, n int) {
	if n > 0 {
		m.reconciled.Add(ctx, int64(n), metric.WithAttributes(attribute.String("action", action)))
	}
}
