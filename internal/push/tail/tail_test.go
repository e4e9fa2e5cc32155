package tail_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/push"
	"github.com/galaxy-platform/galaxy/internal/push/tail"
)

const token = "tail-test-token"

func config(addr string) push.Config {
	return push.Config{Addr: addr, Token: token, BufferSize: 64, SubscriberQueue: 64, ShutdownTimeout: 5 * time.Second}
}

func newService(t *testing.T) *push.Service {
	t.Helper()
	svc, err := push.NewService(config(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// serve starts a push server for svc on addr until stopped or the test ends.
func serve(t *testing.T, svc *push.Service, addr string) *push.Server {
	t.Helper()
	srv := push.NewServer(config(addr), svc, slog.New(slog.NewTextHandler(t.Output(), nil)), nil,
		func(c string, err error) { t.Errorf("%s failed: %v", c, err) })
	if err := srv.Start(t.Context()); err != nil {
		t.Fatalf("start push server on %s: %v", addr, err)
	}
	t.Cleanup(func() { stop(t, srv) })
	return srv
}

func stop(t *testing.T, srv *push.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Stop(ctx); err != nil {
		t.Errorf("stop push server: %v", err)
	}
}

// tailer is a running tail.Run whose output lines can be read one by one.
type tailer struct {
	lines  chan tail.Line
	cancel context.CancelFunc
	done   chan error
}

func startTail(t *testing.T, opts tail.Options) *tailer {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	opts.Out = pw
	opts.MinBackoff, opts.MaxBackoff = 10*time.Millisecond, 100*time.Millisecond
	opts.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	tl := &tailer{lines: make(chan tail.Line, 100), cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := tail.Run(ctx, opts)
		_ = pw.Close()
		tl.done <- err
	}()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var l tail.Line
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Errorf("output line %q is not JSON: %v", sc.Text(), err)
			}
			tl.lines <- l
		}
		close(tl.lines)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-tl.done; err != nil {
			t.Errorf("Run = %v, want nil after its context ended", err)
		}
	})
	return tl
}

// next returns the next printed line.
func (tl *tailer) next(t *testing.T) tail.Line {
	t.Helper()
	select {
	case l, ok := <-tl.lines:
		if !ok {
			t.Fatal("tail output ended")
		}
		return l
	case <-time.After(10 * time.Second):
		t.Fatal("no tail output within 10s")
		return tail.Line{}
	}
}

// wantEvent checks that l is the ordinary event (epoch, cursor).
func wantEvent(t *testing.T, l tail.Line, epoch string, cursor uint64) {
	t.Helper()
	if l.Resync || l.Epoch != epoch || l.Cursor != cursor {
		t.Fatalf("line %+v, want event (%s, %d)", l, epoch, cursor)
	}
}

// wantResync checks that l is a resync at (epoch, cursor).
func wantResync(t *testing.T, l tail.Line, epoch string, cursor uint64) {
	t.Helper()
	if !l.Resync || l.Epoch != epoch || l.Cursor != cursor {
		t.Fatalf("line %+v, want a resync at (%s, %d)", l, epoch, cursor)
	}
}

func publish(svc *push.Service, n int) {
	for range n {
		svc.Publish(push.Event{UserIDs: []string{"u1"}, Kind: "k", Payload: []byte(`{}`)})
	}
}

func TestRun(t *testing.T) {
	t.Parallel()

	t.Run("resumes after a server restart within the same epoch", func(t *testing.T) {
		t.Parallel()
		svc := newService(t)
		srv := serve(t, svc, "127.0.0.1:0")
		addr := srv.Addr().String()
		tl := startTail(t, tail.Options{Addr: addr, Token: token})
		wantResync(t, tl.next(t), svc.Epoch(), 0)
		publish(svc, 3)
		for c := uint64(1); c <= 3; c++ {
			wantEvent(t, tl.next(t), svc.Epoch(), c)
		}

		stop(t, srv)
		publish(svc, 2) // while no server runs: 4, 5
		serve(t, svc, addr)
		publish(svc, 1) // 6
		for c := uint64(4); c <= 6; c++ {
			wantEvent(t, tl.next(t), svc.Epoch(), c)
		}
	})

	t.Run("prints a resync after a restart with a new epoch", func(t *testing.T) {
		t.Parallel()
		old := newService(t)
		srv := serve(t, old, "127.0.0.1:0")
		addr := srv.Addr().String()
		tl := startTail(t, tail.Options{Addr: addr, Token: token})
		wantResync(t, tl.next(t), old.Epoch(), 0)
		publish(old, 2)
		wantEvent(t, tl.next(t), old.Epoch(), 1)
		wantEvent(t, tl.next(t), old.Epoch(), 2)

		stop(t, srv)
		restarted := newService(t) // a new process: a new epoch
		serve(t, restarted, addr)
		wantResync(t, tl.next(t), restarted.Epoch(), 0)
		publish(restarted, 1)
		wantEvent(t, tl.next(t), restarted.Epoch(), 1)
	})

	t.Run("resumes from the position it is given", func(t *testing.T) {
		t.Parallel()
		svc := newService(t)
		srv := serve(t, svc, "127.0.0.1:0")
		publish(svc, 5)
		tl := startTail(t, tail.Options{Addr: srv.Addr().String(), Token: token, Epoch: svc.Epoch(), Cursor: 3})
		wantEvent(t, tl.next(t), svc.Epoch(), 4)
		wantEvent(t, tl.next(t), svc.Epoch(), 5)
	})

	t.Run("prints payloads as JSON when they are JSON and as base64 otherwise", func(t *testing.T) {
		t.Parallel()
		svc := newService(t)
		srv := serve(t, svc, "127.0.0.1:0")
		svc.Publish(push.Event{UserIDs: []string{"u1", "u2"}, Kind: "game.turn.ready", Payload: []byte(`{"turn": 3}`)})
		svc.Publish(push.Event{Kind: "binary", Payload: []byte{0xff, 0x00}})
		svc.Publish(push.Event{Kind: "empty"})
		tl := startTail(t, tail.Options{Addr: srv.Addr().String(), Token: token, Epoch: svc.Epoch()})

		l := tl.next(t)
		if string(l.Payload) != `{"turn":3}` || l.PayloadEncoding != "" || l.Kind != "game.turn.ready" ||
			len(l.UserIDs) != 2 || l.UserIDs[1] != "u2" {
			t.Fatalf("JSON event printed as %+v (payload %s)", l, l.Payload)
		}
		if at, err := time.Parse(time.RFC3339Nano, l.CreatedAt); err != nil || time.Since(at) > time.Minute {
			t.Fatalf("created_at %q: %v", l.CreatedAt, err)
		}
		if l := tl.next(t); string(l.Payload) != `"/wA="` || l.PayloadEncoding != "base64" {
			t.Fatalf("binary event printed as %+v (payload %s)", l, l.Payload)
		}
		if l := tl.next(t); string(l.Payload) != "null" || l.UserIDs == nil {
			t.Fatalf("empty event printed as %+v (payload %s)", l, l.Payload)
		}
	})

	t.Run("returns an error for a wrong token", func(t *testing.T) {
		t.Parallel()
		srv := serve(t, newService(t), "127.0.0.1:0")
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		err := tail.Run(ctx, tail.Options{Addr: srv.Addr().String(), Token: "wrong", Out: io.Discard})
		if err == nil || ctx.Err() != nil {
			t.Fatalf("Run = %v (ctx %v), want an authentication error before the deadline", err, ctx.Err())
		}
	})

	t.Run("returns nil when its context ends", func(t *testing.T) {
		t.Parallel()
		srv := serve(t, newService(t), "127.0.0.1:0")
		tl := startTail(t, tail.Options{Addr: srv.Addr().String(), Token: token})
		tl.next(t) // subscribed
		tl.cancel()
		select {
		case err := <-tl.done:
			if err != nil {
				t.Fatalf("Run = %v, want nil", err)
			}
			tl.done <- nil // for the cleanup
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}
	})
}
