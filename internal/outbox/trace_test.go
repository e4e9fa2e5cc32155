package outbox_test

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/outbox/natstest"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestRelayContinuesThePublishersTrace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	newBusinessTable(t, pool)
	srv := natstest.Start(t)
	tp := newTap(t, srv)

	spans := tracetest.NewSpanRecorder()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	t.Cleanup(func() { _ = provider.Shutdown(context.Background()) })
	startRelay(t, pool, testConfig(srv.URL()), outbox.RelayOptions{Tracer: provider.Tracer("outbox")})

	// The business operation's span is active while it publishes.
	opCtx, op := provider.Tracer("lobby").Start(ctx, "lobby.create_game")
	id := createGame(opCtx, t, pool, "g_traced", false)
	op.End()
	waitDrained(t, pool, 10*time.Second)

	t.Run("the message's traceparent carries the publishing span's trace id", func(t *testing.T) {
		tp.mu.Lock()
		defer tp.mu.Unlock()
		if len(tp.msgs) != 1 {
			t.Fatalf("%d messages, want 1", len(tp.msgs))
		}
		h := tp.msgs[0].Header
		if h.Get("traceparent") == "" {
			t.Fatalf("no traceparent header in %v", h)
		}
		remote := trace.SpanContextFromContext(propagation.TraceContext{}.Extract(ctx, outbox.HeaderCarrier(h)))
		if remote.TraceID() != op.SpanContext().TraceID() {
			t.Fatalf("message trace id %s, want %s", remote.TraceID(), op.SpanContext().TraceID())
		}
		if remote.SpanID() == op.SpanContext().SpanID() {
			t.Fatal("the message should name the outbox.publish span as parent, not the business span")
		}
	})

	t.Run("an outbox.publish span is a child of the publishing span", func(t *testing.T) {
		var found bool
		for _, s := range spans.Ended() {
			if s.Name() != "outbox.publish" {
				continue
			}
			found = true
			if s.SpanContext().TraceID() != op.SpanContext().TraceID() || s.Parent().SpanID() != op.SpanContext().SpanID() {
				t.Fatalf("outbox.publish trace %s parent %s, want trace %s parent %s", s.SpanContext().TraceID(),
					s.Parent().SpanID(), op.SpanContext().TraceID(), op.SpanContext().SpanID())
			}
			if s.SpanKind() != trace.SpanKindProducer {
				t.Errorf("span kind %v", s.SpanKind())
			}
			var msgID string
			for _, a := range s.Attributes() {
				if a.Key == "messaging.message.id" {
					msgID = a.Value.AsString()
				}
			}
			if msgID != id {
				t.Errorf("span message id %q, want %q", msgID, id)
			}
		}
		if !found {
			t.Fatal("no outbox.publish span")
		}
	})
}
