package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func testConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Load(config.ModeDev, func(k string) (string, bool) {
		switch k {
		case "BACKEND_POSTGRES_DSN":
			return pgtest.DSN(t), true
		case "BACKEND_HTTP_ADDR", "BACKEND_GRPC_PUSH_ADDR", "BACKEND_SMTP_INBOUND_ADDR":
			return "127.0.0.1:0", true
		case "BACKEND_PUSH_TOKEN":
			return "push-token-for-tests-0123", true
		case "BACKEND_INTERNAL_TOKEN":
			return "internal-token-for-tests-0123", true
		case "BACKEND_RUNTIME_STATE_DIR":
			return t.TempDir(), true
		case "BACKEND_SHUTDOWN_TIMEOUT":
			return "5s", true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// componentLog extracts "started X" / "stopped X" from the JSON logs.
func componentLog(logs string) []string {
	re := regexp.MustCompile(`"msg":"component (started|stopped)","component":"([a-z:-]+)"`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(logs, -1) {
		out = append(out, m[1]+" "+m[2])
	}
	return out
}

// TestSIGTERMDrainsInFlightRequest is not parallel: it sends SIGTERM to the
// test process itself, which only this test listens for.
func TestSIGTERMDrainsInFlightRequest(t *testing.T) {
	cfg := testConfig(t)
	logs := &syncBuffer{}
	ready := make(chan Endpoints, 1)
	handlerStarted := make(chan struct{})
	a := New(cfg, telemetry.NewLogger(logs, "info"), Options{
		OnReady: func(ep Endpoints) { ready <- ep },
		wrapHTTP: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/slow" {
					close(handlerStarted)
					time.Sleep(700 * time.Millisecond)
					_, _ = io.WriteString(w, "finished")
					return
				}
				next.ServeHTTP(w, r)
			})
		},
	})

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	runErr := make(chan error, 1)
	go func() { runErr <- a.Run(ctx) }()
	var ep Endpoints
	select {
	case ep = <-ready:
	case err := <-runErr:
		t.Fatalf("run ended before ready: %v\n%s", err, logs.String())
	}
	base := "http://" + ep.HTTP.String()

	type result struct {
		body string
		err  error
	}
	slow := make(chan result, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			slow <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		slow <- result{string(b), err}
	}()
	<-handlerStarted
	begin := time.Now()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// New connections are refused once shutdown has begun.
	deadline := time.Now().Add(2 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", ep.HTTP.String(), 100*time.Millisecond)
		if err != nil {
			break
		}
		_ = c.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still accepts connections after SIGTERM")
		}
		time.Sleep(10 * time.Millisecond)
	}

	r := <-slow
	if r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request was cut: body=%q err=%v", r.body, r.err)
	}
	select {
	case err := <-runErr:
		if err != nil {
			t.Fatalf("want a clean exit, got %v", err)
		}
	case <-time.After(cfg.ShutdownTimeout):
		t.Fatal("did not stop within BACKEND_SHUTDOWN_TIMEOUT")
	}
	if took := time.Since(begin); took > cfg.ShutdownTimeout {
		t.Fatalf("shutdown took %v", took)
	}

	want := []string{
		"started telemetry", "started postgres", "started migrations", "started grpc-push",
		"started cache-listener", "started geo", "started runtime-driver-inprocess", "started cache:user", "started cache:auth", "started cache:admin", "started cache:runtime", "started jobs",
		"started outbox-relay", "started command-intake", "started smtp-inbound", "started http",
		"stopped http", "stopped smtp-inbound", "stopped command-intake", "stopped outbox-relay", "stopped jobs", "stopped cache:runtime", "stopped cache:admin", "stopped cache:auth", "stopped cache:user", "stopped runtime-driver-inprocess", "stopped geo", "stopped cache-listener",
		"stopped grpc-push", "stopped migrations", "stopped postgres", "stopped telemetry",
	}
	if got := componentLog(logs.String()); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("start/stop order\n got %v\nwant %v", got, want)
	}
}

func TestFailedStartUnwinds(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg := testConfig(t)
	cfg.HTTP.Addr = busy.Addr().String()
	logs := &syncBuffer{}

	err = New(cfg, telemetry.NewLogger(logs, "info"), Options{}).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "start http") {
		t.Fatalf("want the http start error, got %v", err)
	}
	want := []string{
		"started telemetry", "started postgres", "started migrations", "started grpc-push",
		"started cache-listener", "started geo", "started runtime-driver-inprocess", "started cache:user", "started cache:auth", "started cache:admin", "started cache:runtime", "started jobs",
		"started outbox-relay", "started command-intake", "started smtp-inbound", "stopped smtp-inbound",
		"stopped command-intake", "stopped outbox-relay",
		"stopped jobs", "stopped cache:runtime", "stopped cache:admin", "stopped cache:auth", "stopped cache:user", "stopped runtime-driver-inprocess", "stopped geo", "stopped cache-listener",
		"stopped grpc-push", "stopped migrations", "stopped postgres", "stopped telemetry",
	}
	if got := componentLog(logs.String()); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("unwind order\n got %v\nwant %v", got, want)
	}
}

func TestUnreachableDatabaseFailsFast(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Postgres.DSN = "host=/nonexistent port=1 user=x dbname=x sslmode=disable"
	cfg.Postgres.ConnectTimeout = 300 * time.Millisecond
	err := New(cfg, telemetry.NewLogger(io.Discard, "error"), Options{}).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "BACKEND_POSTGRES_CONNECT_TIMEOUT") {
		t.Fatalf("want a clear connect error, got %v", err)
	}
}

func TestRestartOnMigratedDatabase(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	for i := range 2 {
		ctx, cancel := context.WithCancel(context.Background())
		err := New(cfg, telemetry.NewLogger(io.Discard, "error"), Options{
			OnReady: func(ep Endpoints) {
				resp, err := http.Get("http://" + ep.HTTP.String() + "/readyz")
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Errorf("run %d: readyz %v %v", i, resp, err)
				}
				if resp != nil {
					resp.Body.Close()
				}
				cancel()
			},
		}).Run(ctx)
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("run %d: %v", i, err)
		}
	}
}

func TestInternalRoutesRequireTheInternalToken(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.InternalToken = "internal-token-for-tests-0123"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan Endpoints, 1)
	done := make(chan error, 1)
	go func() {
		done <- New(cfg, telemetry.NewLogger(io.Discard, "error"), Options{OnReady: func(ep Endpoints) { ready <- ep }}).Run(ctx)
	}()
	var ep Endpoints
	select {
	case ep = <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	base := "http://" + ep.HTTP.String()
	body := `{"idempotency_key":"k","template":"auth.login_code","to":["a@example.com"],"data":{"code":"1","expires_in_minutes":1}}`
	call := func(method, path, token string) int {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		method, path, token string
		want                int
	}{
		{http.MethodPost, "/api/v1/internal/mail/deliveries", "", http.StatusUnauthorized},
		{http.MethodPost, "/api/v1/internal/mail/deliveries", "wrong", http.StatusUnauthorized},
		{http.MethodGet, "/api/v1/admin/mail/deliveries", "", http.StatusUnauthorized},
		{http.MethodPost, "/api/v1/internal/mail/deliveries", cfg.InternalToken, http.StatusAccepted},
		{http.MethodGet, "/api/v1/admin/mail/deliveries", cfg.InternalToken, http.StatusUnauthorized},
	} {
		if got := call(c.method, c.path, c.token); got != c.want {
			t.Errorf("%s %s with %q: %d, want %d", c.method, c.path, c.token, got, c.want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
