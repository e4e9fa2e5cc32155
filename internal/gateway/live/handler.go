package live

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Handler defaults.
const (
	// DefaultHeartbeat is how often an idle stream gets a comment line:
	// well under the idle timeouts of common proxies and load balancers
	// (often 60 s).
	DefaultHeartbeat = 25 * time.Second
	// DefaultRetry is the reconnection delay sent to EventSource.
	DefaultRetry = 3 * time.Second
	// DefaultWriteTimeout bounds one batch of writes to a browser.
	DefaultWriteTimeout = 10 * time.Second
)

// IdentifyFunc tells who is asking for a stream: the signed-in user and
// the session the request carries. ok is false for a request without a
// valid session.
type IdentifyFunc func(r *http.Request) (userID, sessionID string, ok bool)

// Handler serves GET /events: the signed-in browser's live events as
// Server-Sent Events (text/event-stream), each as "event: <kind>" and
// "data: <compact JSON>". One Handler serves every browser; its only
// state is the count of streams it serves (see Wait).
type Handler struct {
	hub          *Hub
	identify     IdentifyFunc
	heartbeat    time.Duration
	retry        []byte
	writeTimeout time.Duration
	logger       *slog.Logger

	streams sync.WaitGroup // streams being served
}

// HandlerOption configures a Handler.
type HandlerOption func(*Handler)

// WithHeartbeat sets how often an idle stream gets a ": ping" comment
// (default DefaultHeartbeat); d <= 0 keeps the default.
func WithHeartbeat(d time.Duration) HandlerOption {
	return func(h *Handler) {
		if d > 0 {
			h.heartbeat = d
		}
	}
}

// WithRetry sets the reconnection delay sent to browsers (default
// DefaultRetry); d <= 0 keeps the default.
func WithRetry(d time.Duration) HandlerOption {
	return func(h *Handler) {
		if d > 0 {
			h.retry = retryFrame(d)
		}
	}
}

// WithWriteTimeout bounds each write to a browser (default
// DefaultWriteTimeout); a browser that does not take its bytes within it
// loses its stream. d <= 0 keeps the default.
func WithWriteTimeout(d time.Duration) HandlerOption {
	return func(h *Handler) {
		if d > 0 {
			h.writeTimeout = d
		}
	}
}

// WithHandlerLogger sets where the Handler logs (default: nowhere).
func WithHandlerLogger(l *slog.Logger) HandlerOption {
	return func(h *Handler) {
		if l != nil {
			h.logger = l
		}
	}
}

// NewHandler returns the /events handler for hub; identify (required)
// resolves the request's session.
func NewHandler(hub *Hub, identify IdentifyFunc, opts ...HandlerOption) *Handler {
	h := &Handler{
		hub:          hub,
		identify:     identify,
		heartbeat:    DefaultHeartbeat,
		retry:        retryFrame(DefaultRetry),
		writeTimeout: DefaultWriteTimeout,
		logger:       slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o(h)
	}
	return h
}

// ServeHTTP streams the user's events until the browser goes away, the
// stream is dropped (too slow, session revoked) or the Hub closes. A
// request without a session gets 401, which EventSource does not retry.
//
// Over HTTP/1.x the connection is hijacked and the stream served by a
// goroutine of its own while ServeHTTP returns at once, which frees
// net/http's per-connection buffers and stack (see hijackSink). Such a
// stream notices a browser that went away when a write fails, at the
// latest at the second heartbeat after. Over HTTP/2, or when the
// ResponseWriter cannot be hijacked, ServeHTTP serves the stream itself
// until the request's context ends.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	userID, sessionID, ok := h.identify(r)
	if !ok {
		http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-store")
	// nginx (and proxies that copy it) would otherwise buffer the stream.
	hdr.Set("X-Accel-Buffering", "no")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}

	// A stream that already ended (the Hub is closing) still answers 200:
	// EventSource retries after a 200 that ends, but gives up for good
	// after an error status.
	c := h.hub.Register(userID, sessionID)
	h.streams.Add(1)
	if out := hijackSink(w, r, h.writeTimeout); out != nil {
		go h.serve(c, out, nil)
		return
	}
	h.serve(c, newResponseSink(w, r, h.writeTimeout), r.Context().Done())
}

// Wait blocks until every stream this Handler serves has ended, or ctx
// ends. Streams end when the Hub is closed, so a shutdown calls
// Hub.Close, then Wait, to let each stream send what was queued for it.
// Hijacked streams need this: http.Server.Shutdown does not wait for
// them. A request arriving during Wait may be missed; its stream has
// ended anyway (the Hub is closed).
func (h *Handler) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		h.streams.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
