package telemetry

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/config"
)

func TestLoggerStampsTraceIDs(t *testing.T) {
	t.Parallel()
	rt, err := New(context.Background(), config.Telemetry{TracesExporter: "none", MetricsExporter: "none"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rt.Stop(context.Background()) }()
	var buf bytes.Buffer
	logger := NewLogger(&buf, "info")
	ctx, span := rt.Tracer("test").Start(context.Background(), "op")
	logger.InfoContext(ctx, "inside")
	span.End()
	logger.Info("outside")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", buf.String())
	}
	want := `"otel_trace_id":"` + span.SpanContext().TraceID().String() + `"`
	if !strings.Contains(lines[0], want) || !strings.Contains(lines[0], `"otel_span_id":"`) {
		t.Errorf("line inside a span lacks ids: %s", lines[0])
	}
	if strings.Contains(lines[1], "otel_trace_id") {
		t.Errorf("line outside a span has ids: %s", lines[1])
	}
}

func TestLoggerLevel(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := NewLogger(&buf, "warn")
	logger.Info("hidden")
	logger.Warn("shown")
	if strings.Contains(buf.String(), "hidden") || !strings.Contains(buf.String(), "shown") {
		t.Fatalf("level not applied: %s", buf.String())
	}
}

func TestPrometheusExporter(t *testing.T) {
	t.Parallel()
	rt, err := New(context.Background(), config.Telemetry{TracesExporter: "none", MetricsExporter: "prometheus"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rt.Stop(context.Background()) }()
	counter, err := rt.Meter("test").Int64Counter("widgets_total")
	if err != nil {
		t.Fatal(err)
	}
	counter.Add(context.Background(), 3)
	rec := httptest.NewRecorder()
	rt.MetricsHandler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if !strings.Contains(string(body), "widgets_total") {
		t.Fatalf("metric not exported:\n%s", body)
	}
}
