package engine

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
)

const testToken = "test-token-0123456789"

// testRaces are the races of every test game.
var testRaces = []game.RaceSpec{{ID: "r1", Name: "Alpha"}, {ID: "r2", Name: "Beta"}}

// newInit returns the init request of the test game with the given id.
func newInit(gameID string) InitRequest {
	return InitRequest{GameID: gameID, Seed: 42, Races: testRaces}
}

// startServer starts a server on a loopback port over dir ("" for memory
// only) and returns it with a client; the server is stopped at cleanup.
func startServer(t *testing.T, dir string) (*Server, *Client) {
	t.Helper()
	srv, err := NewServer(Config{Addr: "127.0.0.1:0", Token: testToken, StateDir: dir})
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	if err := srv.Start(t.Context()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	c, err := NewClient("http://"+srv.Addr(), testToken)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return srv, c
}

// mustInit initialises the engine behind c with the test game.
func mustInit(t *testing.T, c *Client, gameID string) *InitResponse {
	t.Helper()
	resp, err := c.Init(t.Context(), newInit(gameID))
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	return resp
}

// mustTurn runs turn n with simple orders.
func mustTurn(t *testing.T, c *Client, n int) *TurnResponse {
	t.Helper()
	resp, err := c.Turn(t.Context(), TurnRequest{Turn: n, Orders: testOrders()})
	if err != nil {
		t.Fatalf("Turn %d: %v", n, err)
	}
	if resp.Turn != n {
		t.Fatalf("Turn %d answered turn %d", n, resp.Turn)
	}
	return resp
}

// testOrders are orders every test race can send: comments only, so they
// are valid whatever the galaxy looks like.
func testOrders() map[string]string {
	return map[string]string{"r1": "; nothing this turn\n", "r2": "; idle\n"}
}

// rawPost posts body to path on srv with the given Authorization header
// value ("" for none) and returns status and body bytes.
func rawPost(t *testing.T, srv *Server, path, authorization, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+srv.Addr()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return resp.StatusCode, b
}

// wantCode fails unless err is an *errs.Error with code.
func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	_ = errWithCode(t, err, code)
}

// errWithCode is wantCode returning the *errs.Error, for checking details.
func errWithCode(t *testing.T, err error, code errs.Code) *errs.Error {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want an *errs.Error with code %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("got code %s (%v), want %s", e.Code, err, code)
	}
	return e
}

// nopLogger discards logs.
func nopLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
