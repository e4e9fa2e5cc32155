package push

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

const testToken = "test-push-token"

// testConfig is a small configuration listening on a free loopback port.
func testConfig() Config {
	return Config{
		Addr:            "127.0.0.1:0",
		Token:           testToken,
		BufferSize:      64,
		SubscriberQueue: 64,
		ShutdownTimeout: 5 * time.Second,
	}
}

// testLogger writes to the test's output, shown only on failure or with -v.
func testLogger(t testing.TB) *slog.Logger {
	t.Helper()
	if _, ok := t.(*testing.B); ok {
		return slog.New(slog.DiscardHandler) // benchmark output shows logs
	}
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func newService(t testing.TB, cfg Config) *Service {
	t.Helper()
	svc, err := NewService(cfg, nil)
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	return svc
}

// startServer serves svc on a real loopback listener until the test ends.
func startServer(t testing.TB, cfg Config, svc *Service) *Server {
	t.Helper()
	srv := NewServer(cfg, svc, testLogger(t), nil, func(component string, err error) {
		t.Errorf("%s failed while running: %v", component, err)
	})
	if err := srv.Start(t.Context()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return srv
}

// dial returns a client of addr; opts are added to plaintext.
func dial(t testing.TB, addr string, opts ...grpc.DialOption) pushpb.PushClient {
	t.Helper()
	conn, err := grpc.NewClient(addr, append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return pushpb.NewPushClient(conn)
}

// withToken adds the bearer token to ctx's outgoing metadata.
func withToken(ctx context.Context, token string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}

// subscribe opens a stream with the test token and waits for the server's
// headers, so that when it returns the subscription is registered and every
// later Publish reaches it. The stream ends with the test.
func subscribe(t testing.TB, c pushpb.PushClient, epoch string, cursor uint64) grpc.ServerStreamingClient[pushpb.PushEvent] {
	t.Helper()
	ctx, cancel := context.WithCancel(withToken(t.Context(), testToken))
	t.Cleanup(cancel)
	stream, err := c.SubscribePush(ctx, &pushpb.SubscribePushRequest{Epoch: epoch, Cursor: cursor})
	if err != nil {
		t.Fatalf("SubscribePush: %v", err)
	}
	if _, err := stream.Header(); err != nil {
		t.Fatalf("SubscribePush headers: %v", err)
	}
	return stream
}

// recvN receives n events, failing the test on an error or after 10s.
func recvN(t testing.TB, stream grpc.ServerStreamingClient[pushpb.PushEvent], n int) []*pushpb.PushEvent {
	t.Helper()
	type result struct {
		evs []*pushpb.PushEvent
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		for len(r.evs) < n {
			ev, err := stream.Recv()
			if err != nil {
				r.err = err
				break
			}
			r.evs = append(r.evs, ev)
		}
		done <- r
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("after %d of %d events: %v", len(r.evs), n, r.err)
		}
		return r.evs
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %d events", n)
		return nil
	}
}

// recvUntilError receives until the stream ends and returns what arrived and
// the final error (io.EOF for a clean end).
func recvUntilError(t testing.TB, stream grpc.ServerStreamingClient[pushpb.PushEvent]) ([]*pushpb.PushEvent, error) {
	t.Helper()
	var evs []*pushpb.PushEvent
	deadline := time.AfterFunc(10*time.Second, func() { t.Errorf("stream did not end within 10s") })
	defer deadline.Stop()
	for {
		ev, err := stream.Recv()
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
}

// publishN publishes n events of kind "test" and returns their cursors.
func publishN(svc *Service, n int) []uint64 {
	cursors := make([]uint64, n)
	for i := range cursors {
		cursors[i] = svc.Publish(Event{UserIDs: []string{"u1"}, Kind: "test", Payload: fmt.Appendf(nil, `{"i":%d}`, i)})
	}
	return cursors
}

// wantCursors checks that evs are exactly the events with cursors from..to,
// in order, of the given epoch, none of them a resync.
func wantCursors(t testing.TB, evs []*pushpb.PushEvent, epoch string, from, to uint64) {
	t.Helper()
	if want := int(to - from + 1); len(evs) != want {
		t.Fatalf("got %d events, want %d (cursors %d..%d)", len(evs), want, from, to)
	}
	for i, ev := range evs {
		if want := from + uint64(i); ev.GetCursor() != want || ev.GetEpoch() != epoch || ev.GetResync() {
			t.Fatalf("event %d: got (epoch %q, cursor %d, resync %v), want (%q, %d, false)",
				i, ev.GetEpoch(), ev.GetCursor(), ev.GetResync(), epoch, want)
		}
	}
}

// waitFor polls cond until it holds or 10s pass.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
