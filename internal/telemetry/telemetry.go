// Package telemetry sets up logs, traces and metrics: a JSON slog logger that
// stamps trace ids, and OpenTelemetry tracer and meter providers whose
// exporters are chosen by configuration. Standard OTEL_* variables (service
// name, resource attributes, OTLP endpoints and headers) are honoured by the
// SDK as-is.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/galaxy-platform/galaxy/internal/config"
)

// Runtime holds the process's tracer and meter providers. It is a lifecycle
// component: Stop flushes buffered spans and metrics.
type Runtime struct {
	tp *sdktrace.TracerProvider
	mp *sdkmetric.MeterProvider
	// exportsSpans is whether finished spans leave the process.
	exportsSpans bool
	// MetricsHandler serves Prometheus metrics; nil unless the metrics
	// exporter is prometheus.
	MetricsHandler http.Handler
}

// New builds the providers for cfg and installs them as the global OTel
// providers, together with the W3C trace-context propagator.
func New(ctx context.Context, cfg config.Telemetry, version string) (*Runtime, error) {
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		semconv.ServiceName("galaxy"), semconv.ServiceVersion(version)))
	if err != nil {
		return nil, fmt.Errorf("telemetry: resource: %w", err)
	}
	// WithFromEnv last so OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
	res, err = resource.New(ctx, resource.WithAttributes(res.Attributes()...), resource.WithFromEnv())
	if err != nil {
		return nil, fmt.Errorf("telemetry: resource: %w", err)
	}

	r := &Runtime{}
	topts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	switch cfg.TracesExporter {
	case config.ExporterOTLP:
		exp, err := otlptracehttp.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("telemetry: otlp traces: %w", err)
		}
		topts = append(topts, sdktrace.WithBatcher(exp))
		r.exportsSpans = true
	case config.ExporterStdout:
		exp, err := stdouttrace.New()
		if err != nil {
			return nil, fmt.Errorf("telemetry: stdout traces: %w", err)
		}
		topts = append(topts, sdktrace.WithBatcher(exp))
		r.exportsSpans = true
	}
	// Even with no exporter spans are sampled and carry ids, so that log lines
	// of one request can still be correlated.
	r.tp = sdktrace.NewTracerProvider(topts...)

	mopts := []sdkmetric.Option{sdkmetric.WithResource(res)}
	switch cfg.MetricsExporter {
	case config.ExporterOTLP:
		exp, err := otlpmetrichttp.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("telemetry: otlp metrics: %w", err)
		}
		mopts = append(mopts, sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp)))
	case config.ExporterStdout:
		exp, err := stdoutmetric.New()
		if err != nil {
			return nil, fmt.Errorf("telemetry: stdout metrics: %w", err)
		}
		mopts = append(mopts, sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp)))
	case config.ExporterPrometheus:
		reg := prometheus.NewRegistry()
		exp, err := otelprom.New(otelprom.WithRegisterer(reg))
		if err != nil {
			return nil, fmt.Errorf("telemetry: prometheus: %w", err)
		}
		mopts = append(mopts, sdkmetric.WithReader(exp))
		r.MetricsHandler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	}
	r.mp = sdkmetric.NewMeterProvider(mopts...)

	otel.SetTracerProvider(r.tp)
	otel.SetMeterProvider(r.mp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return r, nil
}

// Tracer returns a named tracer of this runtime.
func (r *Runtime) Tracer(name string) trace.Tracer { return r.tp.Tracer(name) }

// ExportsSpans reports whether finished spans are exported. Without an
// exporter spans still carry ids (for logs and propagation), but
// instrumentation may skip the attributes no one will read.
func (r *Runtime) ExportsSpans() bool { return r.exportsSpans }

// Meter returns a named meter of this runtime.
func (r *Runtime) Meter(name string) metric.Meter { return r.mp.Meter(name) }

// Name implements the lifecycle component interface.
func (r *Runtime) Name() string { return "telemetry" }

// Start implements the lifecycle component interface; providers are live
// from New on.
func (r *Runtime) Start(context.Context) error { return nil }

// Stop flushes and shuts down both providers.
func (r *Runtime) Stop(ctx context.Context) error {
	return errors.Join(r.tp.Shutdown(ctx), r.mp.Shutdown(ctx))
}
