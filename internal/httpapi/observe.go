package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// Telemetry is where the HTTP edge reports: the tracer of its server spans,
// the meter of its request metrics and the propagator that reads a
// caller's trace context. Nil fields fall back to the global providers.
type Telemetry struct {
	Tracer     trace.Tracer
	Meter      metric.Meter
	Propagator propagation.TextMapPropagator
	// SpansDiscarded says finished spans go nowhere (no trace exporter):
	// spans still start and end, for their ids in logs and in the context
	// propagated onwards, but their attributes, which no one would read,
	// are not built.
	SpansDiscarded bool
}

// observer is the outermost middleware: per request, one server span, one
// log line and the OpenTelemetry HTTP server metrics
// (http.server.request.duration, http.server.request.body.size,
// http.server.response.body.size), with the attributes of the semantic
// conventions otelhttp uses. It replaces otelhttp plus a logging middleware,
// which wrapped every response twice and computed every attribute for every
// request: on the cheapest routes (/user/me) that was most of the cost of a
// request. Here the response is wrapped once, span attributes are built
// only for a recording span, metric attributes only when a reader collects
// them, and the log line only when its level is enabled. It also turns a
// panic into a 500 in the contract's format, so one bad request never takes
// the process down.
type observer struct {
	next   http.Handler
	logger *slog.Logger
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
	// fields are the propagator's headers in canonical form: a request that
	// has none of them (most do not) has no context to extract.
	fields   []string
	start    []trace.SpanStartOption
	detail   bool // build span attributes
	duration httpconv.ServerRequestDuration
	reqSize  httpconv.ServerRequestBodySize
	respSize httpconv.ServerResponseBodySize
}

func newObserver(next http.Handler, logger *slog.Logger, tel Telemetry) (*observer, error) {
	if tel.Tracer == nil {
		tel.Tracer = otel.Tracer(instrumentationName)
	}
	if tel.Meter == nil {
		tel.Meter = otel.Meter(instrumentationName)
	}
	if tel.Propagator == nil {
		tel.Propagator = otel.GetTextMapPropagator()
	}
	o := &observer{next: next, logger: logger, tracer: tel.Tracer, prop: tel.Propagator,
		start: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer)}, detail: !tel.SpansDiscarded}
	for _, f := range tel.Propagator.Fields() {
		o.fields = append(o.fields, http.CanonicalHeaderKey(f))
	}
	var err error
	// The buckets otelhttp uses, so dashboards read the same histogram.
	if o.duration, err = httpconv.NewServerRequestDuration(tel.Meter, metric.WithExplicitBucketBoundaries(
		0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)); err != nil {
		return nil, err
	}
	if o.reqSize, err = httpconv.NewServerRequestBodySize(tel.Meter); err != nil {
		return nil, err
	}
	if o.respSize, err = httpconv.NewServerResponseBodySize(tel.Meter); err != nil {
		return nil, err
	}
	return o, nil
}

// instrumentationName names the tracer and meter of the HTTP edge when the
// global providers are used.
const instrumentationName = "github.com/galaxy-platform/galaxy/internal/httpapi"

// exchangeKey is the context key of the request's *exchange.
type exchangeKey struct{}

// exchange is one request as the observer sees it: the status and size of
// the response, and the route pattern the mux matched ("GET /api/v1/user/me").
// The mux sets the pattern on the request it routes, which is a copy of the
// observer's (the guards add the caller to the context), so the routed
// middleware reports it here, found through the context.
type exchange struct {
	http.ResponseWriter
	status  int
	bytes   int64
	pattern string
}

func (e *exchange) WriteHeader(code int) {
	if e.status == 0 {
		e.status = code
	}
	e.ResponseWriter.WriteHeader(code)
}

func (e *exchange) Write(b []byte) (int, error) {
	if e.status == 0 {
		e.status = http.StatusOK
	}
	n, err := e.ResponseWriter.Write(b)
	e.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (e *exchange) Unwrap() http.ResponseWriter { return e.ResponseWriter }

// attrBufs recycles the attribute lists handed to spans and metric sets,
// which copy them: one list per request was the observer's largest
// allocation.
var attrBufs = sync.Pool{New: func() any {
	buf := make([]attribute.KeyValue, 0, 16)
	return &buf
}}

// countingBody counts the request body bytes a handler reads.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

func (o *observer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	begin := time.Now()
	ctx := r.Context()
	if o.carriesContext(r.Header) {
		ctx = o.prop.Extract(ctx, propagation.HeaderCarrier(r.Header))
	}
	ctx, span := o.tracer.Start(ctx, spanMethod(r.Method), o.start...)
	ex := &exchange{ResponseWriter: w}
	ctx = context.WithValue(ctx, exchangeKey{}, ex)
	// The copy carries the counted body; the server's own request keeps its
	// body, which net/http inspects after the handler returns.
	inner := r.WithContext(ctx)
	var body *countingBody
	if r.Body != nil && r.Body != http.NoBody {
		body = &countingBody{ReadCloser: r.Body}
		inner.Body = body
	}
	defer func() {
		if p := recover(); p != nil {
			if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				o.finish(ctx, inner, span, ex, body, begin)
				panic(p)
			}
			o.logger.ErrorContext(ctx, "panic while serving request",
				"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if ex.status == 0 {
				httpx.WriteError(ctx, ex, o.logger, errs.E(errs.Internal, "panic"))
			}
		}
		o.finish(ctx, inner, span, ex, body, begin)
	}()
	o.next.ServeHTTP(ex, inner)
}

// carriesContext reports whether the request has any header the
// propagator reads.
func (o *observer) carriesContext(h http.Header) bool {
	for _, f := range o.fields {
		if _, ok := h[f]; ok {
			return true
		}
	}
	return false
}

// finish ends the span, records the metrics and writes the log line.
func (o *observer) finish(ctx context.Context, r *http.Request, span trace.Span, ex *exchange, body *countingBody, begin time.Time) {
	elapsed := time.Since(begin)
	status := ex.status
	if status == 0 {
		status = http.StatusOK // what net/http sends for a handler that wrote nothing
	}
	var read int64
	if body != nil {
		read = body.n
	}
	if span.IsRecording() {
		if ex.pattern != "" {
			span.SetName(ex.pattern)
		}
		if o.detail {
			buf := attrBufs.Get().(*[]attribute.KeyValue)
			*buf = spanAttributes((*buf)[:0], r, ex.pattern, status, read, ex.bytes)
			span.SetAttributes(*buf...) // the span copies them
			attrBufs.Put(buf)
		}
		if status >= http.StatusInternalServerError || status < 100 {
			span.SetStatus(codes.Error, "")
		}
	}
	span.End()

	if o.duration.Inst().Enabled(ctx) || o.reqSize.Inst().Enabled(ctx) || o.respSize.Inst().Enabled(ctx) {
		buf := attrBufs.Get().(*[]attribute.KeyValue)
		*buf = metricAttributes((*buf)[:0], r, ex.pattern, status)
		set := metric.WithAttributeSet(attribute.NewSet(*buf...)) // the set copies them
		attrBufs.Put(buf)
		o.duration.Inst().Record(ctx, elapsed.Seconds(), set)
		o.reqSize.Inst().Record(ctx, read, set)
		o.respSize.Inst().Record(ctx, ex.bytes, set)
	}

	level := slog.LevelInfo
	if status >= http.StatusInternalServerError {
		level = slog.LevelError
	}
	if o.logger.Enabled(ctx, level) {
		o.logger.LogAttrs(ctx, level, "http request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", ex.pattern),
			slog.Int("status", status),
			slog.Int64("bytes", ex.bytes),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.String("remote", r.RemoteAddr),
		)
	}
}
