package live

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/push"
)

// wait is the deadline for anything a test waits for: generous, because
// the machine may be busy; tests never assert on speed.
const wait = 20 * time.Second

const pushToken = "live-test-token"

// testLogger writes to the test's output, shown on failure or with -v.
func testLogger(t testing.TB) *slog.Logger {
	t.Helper()
	if _, ok := t.(*testing.B); ok {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// --- push backend -----------------------------------------------------------

func pushConfig(addr string) push.Config {
	return push.Config{Addr: addr, Token: pushToken, BufferSize: 64, SubscriberQueue: 64, ShutdownTimeout: 5 * time.Second}
}

func newPushService(t *testing.T) *push.Service {
	t.Helper()
	svc, err := push.NewService(pushConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// pushServer is a running push.Server; addr may be "127.0.0.1:0".
type pushServer struct {
	t   *testing.T
	srv *push.Server
}

func startPushServer(t *testing.T, svc *push.Service, addr string) *pushServer {
	t.Helper()
	srv := push.NewServer(pushConfig(addr), svc, testLogger(t), nil,
		func(c string, err error) { t.Errorf("%s failed: %v", c, err) })
	if err := srv.Start(t.Context()); err != nil {
		t.Fatalf("start push server on %s: %v", addr, err)
	}
	p := &pushServer{t: t, srv: srv}
	t.Cleanup(p.stop) // Stop is idempotent
	return p
}

func (p *pushServer) addr() string { return p.srv.Addr().String() }

func (p *pushServer) stop() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := p.srv.Stop(ctx); err != nil {
		p.t.Errorf("stop push server: %v", err)
	}
}

// startSubscriber follows addr into hub until the test ends.
func startSubscriber(t *testing.T, addr string, hub *Hub) *Subscriber {
	t.Helper()
	sub := NewSubscriber(addr, pushToken, hub, testLogger(t), WithBackoff(10*time.Millisecond, 100*time.Millisecond))
	if err := sub.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := sub.Stop(ctx); err != nil {
			t.Errorf("stop subscriber: %v", err)
		}
	})
	return sub
}

// joined waits until sub's stream is open and it has taken the position of
// svc's stream, i.e. the first resync went out before any browser exists.
func joined(t *testing.T, sub *Subscriber, svc *push.Service) {
	t.Helper()
	eventually(t, "the subscriber to join the push stream", func() bool {
		epoch, _ := sub.Position()
		return sub.Open() && epoch == svc.Epoch()
	})
}

// --- gateway side -----------------------------------------------------------

// identifyHeader is the tests' session resolution: X-User and X-Session.
func identifyHeader(r *http.Request) (string, string, bool) {
	u := r.Header.Get("X-User")
	return u, r.Header.Get("X-Session"), u != ""
}

// testReadTimeout is the test servers' ReadTimeout, short so that tests
// can show streams outlive it.
const testReadTimeout = 100 * time.Millisecond

// Ways the Handler serves a stream.
const (
	modeHijack  = "HTTP/1.1 hijacked"
	modeInPlace = "HTTP/1.1 in place"
	modeHTTP2   = "HTTP/2"
)

// startGateway serves hub's /events with test identities over HTTP/1.1.
func startGateway(t *testing.T, hub *Hub, opts ...HandlerOption) *httptest.Server {
	t.Helper()
	return serveGateway(t, hub, modeHijack, opts...)
}

// serveGateway serves hub's /events with test identities in mode.
func serveGateway(t *testing.T, hub *Hub, mode string, opts ...HandlerOption) *httptest.Server {
	t.Helper()
	h := NewHandler(hub, identifyHeader, append([]HandlerOption{WithHandlerLogger(testLogger(t))}, opts...)...)
	mux := http.NewServeMux()
	if mode == modeInPlace {
		mux.Handle("GET /events", noHijack(h))
	} else {
		mux.Handle("GET /events", h)
	}
	ts := httptest.NewUnstartedServer(mux)
	// As in the gateway: a ReadTimeout for requests, which streams outlive.
	ts.Config.ReadTimeout = testReadTimeout
	if mode == modeHTTP2 {
		ts.EnableHTTP2 = true
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(func() { shutdown(t, hub, h, ts) })
	return ts
}

// shutdown stops the gateway as the real one does: end the streams, let
// them send what is queued, stop serving.
func shutdown(t *testing.T, hub *Hub, h *Handler, ts *httptest.Server) {
	t.Helper()
	hub.Close()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := h.Wait(ctx); err != nil {
		t.Errorf("streams still running: %v", err)
	}
	ts.Close()
}

// sseEvent is one dispatched SSE event, or a comment (Name ":").
type sseEvent struct {
	Name string
	Data string
}

// sseClient is a browser's EventSource, minus the reconnection. Its
// methods take the (sub)test they run in, which is the one to fail.
type sseClient struct {
	events chan sseEvent
	ended  chan struct{} // closed when the response body ends
	resp   *http.Response
	cancel context.CancelFunc // the browser goes away
}

// openStream connects to ts as user/session and returns once the stream
// is registered with the hub (the handler sends "retry" after Register).
func openStream(t *testing.T, ts *httptest.Server, user, session string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-User", user)
	req.Header.Set("X-Session", session)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /events as %s: %s", user, resp.Status)
	}
	c := &sseClient{events: make(chan sseEvent, 1024), ended: make(chan struct{}), resp: resp, cancel: cancel}
	retried := make(chan struct{})
	go c.read(resp.Body, retried)
	select {
	case <-retried:
	case <-c.ended:
		t.Fatalf("stream of %s ended before it began", user)
	case <-time.After(wait):
		t.Fatalf("no retry field on the stream of %s", user)
	}
	return c
}

// read parses the SSE body (https://html.spec.whatwg.org/multipage/server-sent-events.html).
func (c *sseClient) read(body io.Reader, retried chan struct{}) {
	defer close(c.ended)
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch {
		case line == "":
			if ev.Name != "" || ev.Data != "" {
				c.events <- ev
			}
			ev = sseEvent{}
		case field == "":
			c.events <- sseEvent{Name: ":", Data: value}
		case field == "retry":
			if retried != nil {
				close(retried)
				retried = nil
			}
		case field == "event":
			ev.Name = value
		case field == "data":
			ev.Data += value
		}
	}
}

// next returns the next event, skipping comments.
func (c *sseClient) next(t *testing.T) sseEvent {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case ev := <-c.events:
			if ev.Name == ":" {
				continue
			}
			return ev
		case <-c.ended:
			select {
			case ev := <-c.events: // sent before the end
				if ev.Name == ":" {
					continue
				}
				return ev
			default:
			}
			t.Fatal("stream ended while waiting for an event")
		case <-deadline:
			t.Fatal("timed out waiting for an event")
		}
	}
}

// expect asserts that the next events are exactly want (name and data).
func (c *sseClient) expect(t *testing.T, want ...sseEvent) {
	t.Helper()
	for i, w := range want {
		if got := c.next(t); got != w {
			t.Fatalf("event %d: got %+v, want %+v", i, got, w)
		}
	}
}

// expectPing waits for a heartbeat comment, skipping events.
func (c *sseClient) expectPing(t *testing.T) {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case ev := <-c.events:
			if ev == (sseEvent{Name: ":", Data: "ping"}) {
				return
			}
		case <-c.ended:
			t.Fatal("stream ended while waiting for a heartbeat")
		case <-deadline:
			t.Fatal("no heartbeat")
		}
	}
}

// expectEnd asserts that the stream ends after the events still queued
// (which are skipped).
func (c *sseClient) expectEnd(t *testing.T) {
	t.Helper()
	select {
	case <-c.ended:
	case <-time.After(wait):
		t.Fatal("stream did not end")
	}
}

// noHijack hides http.Hijacker (as some middlewares' wrappers do), so the
// Handler serves streams in place, through the ResponseWriter.
func noHijack(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(flushOnly{w}, r)
	})
}

// flushOnly exposes flushing and deadlines, not the connection.
type flushOnly struct{ w http.ResponseWriter }

func (f flushOnly) Header() http.Header         { return f.w.Header() }
func (f flushOnly) Write(b []byte) (int, error) { return f.w.Write(b) }
func (f flushOnly) WriteHeader(code int)        { f.w.WriteHeader(code) }
func (f flushOnly) FlushError() error           { return http.NewResponseController(f.w).Flush() }
func (f flushOnly) SetWriteDeadline(t time.Time) error {
	return http.NewResponseController(f.w).SetWriteDeadline(t)
}
