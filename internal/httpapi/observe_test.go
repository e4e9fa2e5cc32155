package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/galaxy-platform/galaxy/internal/health"
)

// observed is a handler with its telemetry captured.
type observed struct {
	h      http.Handler
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	logs   *lockedBuffer
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the JSON log records.
func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		out = append(out, m)
	}
	return out
}

// newObserved builds the whole handler (the probes' routes) with recording
// telemetry; wrap, when set, replaces it by the observer around wrap.
func newObserved(t *testing.T, discarded bool, wrap http.Handler) *observed {
	t.Helper()
	o := &observed{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader(), logs: &lockedBuffer{}}
	tel := Telemetry{
		Tracer:         sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(o.spans)).Tracer("test"),
		Meter:          sdkmetric.NewMeterProvider(sdkmetric.WithReader(o.reader)).Meter("test"),
		Propagator:     propagation.TraceContext{},
		SpansDiscarded: discarded,
	}
	logger := slog.New(slog.NewJSONHandler(o.logs, nil))
	if wrap != nil {
		h, err := newObserver(wrap, logger, tel)
		if err != nil {
			t.Fatal(err)
		}
		o.h = h
		return o
	}
	readiness := health.NewReadiness()
	o.h = NewHandler(probesOnly{Probes: &Probes{Readiness: readiness}}, logger, tel)
	return o
}

func (o *observed) get(t *testing.T, path string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.RemoteAddr = "192.0.2.7:4242"
	r.Header.Set("User-Agent", "probe/1")
	for k, v := range header {
		r.Header[k] = v
	}
	rec := httptest.NewRecorder()
	o.h.ServeHTTP(rec, r)
	return rec
}

func (o *observed) span(t *testing.T) sdktrace.ReadOnlySpan {
	t.Helper()
	ended := o.spans.Ended()
	if len(ended) != 1 {
		t.Fatalf("%d spans", len(ended))
	}
	return ended[0]
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func TestObserver(t *testing.T) {
	t.Parallel()

	t.Run("a request gets a server span named after its route, with the conventions' attributes", func(t *testing.T) {
		t.Parallel()
		o := newObserved(t, false, nil)
		if rec := o.get(t, "/healthz", nil); rec.Code != http.StatusOK {
			t.Fatalf("%d", rec.Code)
		}
		s := o.span(t)
		a := attrs(s)
		if s.Name() != "GET /healthz" || s.SpanKind() != trace.SpanKindServer || s.Status().Code != codes.Unset {
			t.Fatalf("%q %v %v", s.Name(), s.SpanKind(), s.Status())
		}
		for k, want := range map[attribute.Key]string{
			"http.request.method": "GET", "http.route": "/healthz", "url.path": "/healthz", "url.scheme": "http",
			"server.address": "example.com", "network.peer.address": "192.0.2.7", "client.address": "192.0.2.7",
			"user_agent.original": "probe/1", "network.protocol.version": "1.1",
		} {
			if got := a[k].String(); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		if a["http.response.status_code"].AsInt64() != 200 || a["http.response.body.size"].AsInt64() == 0 ||
			a["network.peer.port"].AsInt64() != 4242 {
			t.Errorf("attributes %v", a)
		}
	})
	t.Run("an unknown path keeps the method as its span name", func(t *testing.T) {
		t.Parallel()
		o := newObserved(t, false, nil)
		if rec := o.get(t, "/nowhere", nil); rec.Code != http.StatusNotFound {
			t.Fatalf("%d", rec.Code)
		}
		if s := o.span(t); s.Name() != "GET" || attrs(s)["http.response.status_code"].AsInt64() != 404 {
			t.Fatalf("%q %v", s.Name(), attrs(s))
		}
	})
	t.Run("continues the caller's trace", func(t *testing.T) {
		t.Parallel()
		o := newObserved(t, false, nil)
		const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
		o.get(t, "/healthz", http.Header{"Traceparent": {"00-" + traceID + "-00f067aa0ba902b7-01"}})
		if s := o.span(t); s.SpanContext().TraceID().String() != traceID || s.Parent().SpanID().String() != "00f067aa0ba902b7" {
			t.Fatalf("trace %s, parent %s", s.SpanContext().TraceID(), s.Parent().SpanID())
		}
	})
	t.Run("records the request metrics with the route and status", func(t *testing.T) {
		t.Parallel()
		o := newObserved(t, false, nil)
		o.get(t, "/healthz", nil)
		var rm metricdata.ResourceMetrics
		if err := o.reader.Collect(context.Background(), &rm); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				seen[m.Name] = true
				if m.Name != "http.server.request.duration" {
					continue
				}
				h := m.Data.(metricdata.Histogram[float64])
				if len(h.DataPoints) != 1 || h.DataPoints[0].Count != 1 {
					t.Fatalf("%+v", h.DataPoints)
				}
				set := h.DataPoints[0].Attributes
				route, _ := set.Value("http.route")
				status, _ := set.Value("http.response.status_code")
				if route.AsString() != "/healthz" || status.AsInt64() != 200 {
					t.Fatalf("attributes %v", set.ToSlice())
				}
			}
		}
		for _, name := range []string{"http.server.request.duration", "http.server.request.body.size", "http.server.response.body.size"} {
			if !seen[name] {
				t.Errorf("no %s", name)
			}
		}
	})
	t.Run("logs one line per request naming the route", func(t *testing.T) {
		t.Parallel()
		o := newObserved(t, false, nil)
		o.get(t, "/healthz", nil)
		lines := o.logs.lines(t)
		if len(lines) != 1 || lines[0]["msg"] != "http request" || lines[0]["route"] != "GET /healthz" ||
			lines[0]["status"] != float64(200) || lines[0]["path"] != "/healthz" || lines[0]["remote"] != "192.0.2.7:4242" {
			t.Fatalf("%v", lines)
		}
	})
	t.Run("without an exporter spans carry ids but no attributes", func(t *testing.T) {
		t.Parallel()
		o := newObserved(t, true, nil)
		o.get(t, "/healthz", nil)
		if s := o.span(t); !s.SpanContext().IsValid() || s.Name() != "GET /healthz" || len(s.Attributes()) != 0 {
			t.Fatalf("%v %q %v", s.SpanContext(), s.Name(), s.Attributes())
		}
	})
	t.Run("turns a panic into a generic 500, logged and marked on the span", func(t *testing.T) {
		t.Parallel()
		o := newObserved(t, false, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret detail") }))
		rec := o.get(t, "/", nil)
		if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "secret") {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		if s := o.span(t); s.Status().Code != codes.Error {
			t.Fatalf("%v", s.Status())
		}
		var sawPanic bool
		for _, l := range o.logs.lines(t) {
			sawPanic = sawPanic || l["msg"] == "panic while serving request"
		}
		if !sawPanic {
			t.Fatal("panic not logged")
		}
	})
	t.Run("counts the request body a handler reads", func(t *testing.T) {
		t.Parallel()
		o := newObserved(t, false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(r.Body)
			w.WriteHeader(http.StatusNoContent)
		}))
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"a":1}`))
		o.h.ServeHTTP(httptest.NewRecorder(), r)
		if a := attrs(o.span(t)); a["http.request.body.size"].AsInt64() != 7 || a["http.response.status_code"].AsInt64() != 204 {
			t.Fatalf("%v", a)
		}
	})
}
