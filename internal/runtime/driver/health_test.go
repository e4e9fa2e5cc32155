package driver

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
)

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestWaitHealthy(t *testing.T) {
	t.Parallel()

	t.Run("waits for an engine that binds its port late", func(t *testing.T) {
		t.Parallel()
		addr := freeAddr(t)
		srv, err := engine.NewServer(engine.Config{Addr: addr, Token: "t"})
		if err != nil {
			t.Fatal(err)
		}
		started := make(chan error, 1)
		time.AfterFunc(300*time.Millisecond, func() { started <- srv.Start(context.Background()) })
		t.Cleanup(func() {
			if err := <-started; err != nil {
				t.Errorf("engine Start: %v", err)
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = srv.Stop(ctx)
		})
		begin := time.Now()
		if err := WaitHealthy(t.Context(), "http://"+addr, 10*time.Second); err != nil {
			t.Fatalf("WaitHealthy: %v", err)
		}
		if waited := time.Since(begin); waited < 250*time.Millisecond {
			t.Errorf("healthy after %s, before the engine listened", waited)
		}
	})

	t.Run("gives up after the timeout as unavailable", func(t *testing.T) {
		t.Parallel()
		begin := time.Now()
		err := WaitHealthy(t.Context(), "http://"+freeAddr(t), 300*time.Millisecond)
		if errs.CodeOf(err) != errs.Unavailable {
			t.Fatalf("WaitHealthy = %v, want unavailable", err)
		}
		if waited := time.Since(begin); waited > 3*time.Second {
			t.Errorf("gave up after %s, want about the 300ms timeout", waited)
		}
	})

	t.Run("ends with the context as unavailable", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(100*time.Millisecond, cancel)
		if err := WaitHealthy(ctx, "http://"+freeAddr(t), time.Minute); errs.CodeOf(err) != errs.Unavailable {
			t.Fatalf("WaitHealthy = %v, want unavailable", err)
		}
	})

	t.Run("a malformed endpoint is an invalid argument", func(t *testing.T) {
		t.Parallel()
		if err := WaitHealthy(t.Context(), "127.0.0.1:80", time.Second); errs.CodeOf(err) != errs.InvalidArgument {
			t.Fatalf("WaitHealthy = %v, want invalid argument", err)
		}
	})
}
