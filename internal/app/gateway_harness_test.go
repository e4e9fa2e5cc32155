package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/gateway"
)

// startGateway runs galaxy-gateway in-process against backend r (its HTTP
// API and push stream) until the test ends, with the dev mailbox on, and
// returns its base URL.
func startGateway(t testing.TB, r *running, cookieSecure bool) string {
	t.Helper()
	cfg := gateway.Config{
		HTTPAddr: "127.0.0.1:0", BackendURL: r.base, PushAddrs: []string{r.ep.Push.String()},
		PushToken: r.cfg.Push.Token, InternalToken: r.cfg.InternalToken, CookieSecure: cookieSecure,
		ShutdownTimeout: 5 * time.Second, LogLevel: "error", DevMail: true,
	}
	gw, err := gateway.New(cfg, gateway.NewLogger(testLog{t}, "error"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- gw.Run(ctx, func(addr fmt.Stringer) { ready <- addr.String() }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("gateway shutdown: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr
	case err := <-done:
		t.Fatalf("gateway did not start: %v", err)
	}
	return ""
}

// testLog sends the gateway's error logs to the test's output.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(string(p))
	return len(p), nil
}
