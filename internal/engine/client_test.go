package engine

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

func TestClientErrors(t *testing.T) {
	t.Parallel()

	// fake starts an HTTP server answering every call with handler.
	fake := func(t *testing.T, handler http.HandlerFunc, opts ...Option) *Client {
		t.Helper()
		ts := httptest.NewServer(handler)
		t.Cleanup(ts.Close)
		c, err := NewClient(ts.URL, testToken, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	answer := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}

	t.Run("unreachable server is unavailable with the cause kept", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close() // nothing listens there any more
		c, err := NewClient("http://"+addr, testToken)
		if err != nil {
			t.Fatal(err)
		}
		err = c.Healthz(t.Context())
		e := errWithCode(t, err, errs.Unavailable)
		var opErr *net.OpError
		if !errors.As(e, &opErr) {
			t.Errorf("cause %v is not the dial error", e.Err)
		}
	})

	t.Run("timeout is unavailable", func(t *testing.T) {
		t.Parallel()
		release := make(chan struct{})
		c := fake(t, func(w http.ResponseWriter, r *http.Request) {
			<-release
		}, WithCheckTimeout(50*time.Millisecond))
		// Registered after fake's cleanup, so it runs first and lets the
		// server's Close finish.
		t.Cleanup(func() { close(release) })
		start := time.Now()
		_, err := c.CheckOrders(t.Context(), "r1", "")
		wantCode(t, err, errs.Unavailable)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v does not keep the deadline as cause", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("call took %v despite a 50ms timeout", d)
		}
	})

	t.Run("turn timeout is separate from check timeout", func(t *testing.T) {
		t.Parallel()
		c := fake(t, func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(150 * time.Millisecond)
			answer(http.StatusOK, `{"turn":1,"snapshot":"eA==","summary":{"races":[],"finished":false,"winners":null},"reports":{}}`)(w, r)
		}, WithCheckTimeout(10*time.Millisecond), WithTurnTimeout(5*time.Second))
		resp, err := c.Turn(t.Context(), TurnRequest{Turn: 1})
		if err != nil {
			t.Fatalf("Turn: %v", err)
		}
		if resp.Turn != 1 || string(resp.Snapshot) != "x" {
			t.Errorf("decoded %+v", resp)
		}
	})

	t.Run("engine error codes and details are kept", func(t *testing.T) {
		t.Parallel()
		c := fake(t, answer(http.StatusConflict, `{"error":{"code":"conflict","message":"turn 5 cannot run","details":{"current_turn":3}}}`))
		_, err := c.Turn(t.Context(), TurnRequest{Turn: 5})
		e := errWithCode(t, err, errs.Conflict)
		if e.Message != "turn 5 cannot run" {
			t.Errorf("message = %q", e.Message)
		}
		if cur, ok := ConflictTurn(err); !ok || cur != 3 {
			t.Errorf("ConflictTurn = %d, %v; want 3, true", cur, ok)
		}
	})

	t.Run("5xx is unavailable with the engine error as cause", func(t *testing.T) {
		t.Parallel()
		c := fake(t, answer(http.StatusInternalServerError, `{"error":{"code":"internal","message":"internal error"}}`))
		_, err := c.Init(t.Context(), newInit("g1"))
		e := errWithCode(t, err, errs.Unavailable)
		var cause *errs.Error
		if !errors.As(e.Err, &cause) || cause.Code != errs.Internal {
			t.Errorf("cause = %v, want the engine's internal error", e.Err)
		}
	})

	t.Run("5xx without a JSON body is unavailable", func(t *testing.T) {
		t.Parallel()
		c := fake(t, answer(http.StatusBadGateway, `<html>bad gateway</html>`))
		err := c.Healthz(t.Context())
		wantCode(t, err, errs.Unavailable)
	})

	t.Run("undecodable success is internal", func(t *testing.T) {
		t.Parallel()
		c := fake(t, answer(http.StatusOK, `{"accepted":`))
		_, err := c.CheckOrders(t.Context(), "r1", "")
		wantCode(t, err, errs.Internal)
	})

	t.Run("undecodable 4xx is internal", func(t *testing.T) {
		t.Parallel()
		c := fake(t, answer(http.StatusBadRequest, `nope`))
		_, err := c.CheckOrders(t.Context(), "r1", "")
		wantCode(t, err, errs.Internal)
	})

	t.Run("the bearer token is sent", func(t *testing.T) {
		t.Parallel()
		var got string
		c := fake(t, func(w http.ResponseWriter, r *http.Request) {
			got = r.Header.Get("Authorization")
			answer(http.StatusOK, `{"accepted":true,"errors":[],"forecast":""}`)(w, r)
		})
		if _, err := c.CheckOrders(t.Context(), "r1", ""); err != nil {
			t.Fatal(err)
		}
		if got != "Bearer "+testToken {
			t.Errorf("Authorization = %q", got)
		}
	})

	t.Run("bad base URLs are refused", func(t *testing.T) {
		t.Parallel()
		for _, u := range []string{"", "localhost:8090", "ftp://x", "http://"} {
			if _, err := NewClient(u, testToken); err == nil {
				t.Errorf("NewClient(%q) accepted", u)
			}
		}
	})
}
