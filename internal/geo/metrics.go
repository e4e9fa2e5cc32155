package geo

import (
	"context"

	"go.opentelemetry.io/otel/metric"
)

// registerMetrics exposes the counters' health. Everything is observed from
// atomics at collection time, so RecordSignIn pays nothing for metrics.
func registerMetrics(meter metric.Meter, s *Service) error {
	if meter == nil {
		return nil
	}
	pending, err := meter.Int64ObservableGauge("geo_signin_pending",
		metric.WithDescription("Sign-ins recorded in memory and not yet written to geo_signin_counters."))
	if err != nil {
		return err
	}
	dropped, err := meter.Int64ObservableCounter("geo_signin_dropped_total",
		metric.WithDescription("Sign-ins never counted: the pending bound (MaxPending) was reached or the service had stopped."))
	if err != nil {
		return err
	}
	failures, err := meter.Int64ObservableCounter("geo_signin_flush_failures_total",
		metric.WithDescription("Failed attempts to write sign-in counters; the increments are kept and retried."))
	if err != nil {
		return err
	}
	_, err = meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		st := s.Stats()
		o.ObserveInt64(pending, st.Pending)
		o.ObserveInt64(dropped, st.Dropped)
		o.ObserveInt64(failures, st.FlushFailures)
		return nil
	}, pending, dropped, failures)
	return err
}
