package push

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

func TestServerResume(t *testing.T) {
	t.Parallel()

	t.Run("resumed subscriber receives every missed event in order without duplicates", func(t *testing.T) {
		t.Parallel()
		svc := newService(t, testConfig())
		srv := startServer(t, testConfig(), svc)
		c := dial(t, srv.Addr().String())

		first := subscribe(t, c, "", 0)
		resync := recvN(t, first, 1)[0]
		if !resync.GetResync() || resync.GetCursor() != 0 || resync.GetEpoch() != svc.Epoch() {
			t.Fatalf("first event %v, want a resync at cursor 0 of epoch %q", resync, svc.Epoch())
		}
		publishN(svc, 5)
		got := recvN(t, first, 3) // the subscriber goes away after cursor 3
		wantCursors(t, got, svc.Epoch(), 1, 3)
		last := got[len(got)-1]

		publishN(svc, 10) // missed: 4..15
		resumed := subscribe(t, c, last.GetEpoch(), last.GetCursor())
		publishN(svc, 5) // live: 16..20
		wantCursors(t, recvN(t, resumed, 17), svc.Epoch(), 4, 20)
	})

	t.Run("event fields survive the wire", func(t *testing.T) {
		t.Parallel()
		svc := newService(t, testConfig())
		srv := startServer(t, testConfig(), svc)
		before := time.Now()
		svc.Publish(Event{UserIDs: []string{"u1", "u2"}, Kind: "game.turn.ready", Payload: []byte(`{"turn":3}`)})
		ev := recvN(t, subscribe(t, dial(t, srv.Addr().String()), svc.Epoch(), 0), 1)[0]
		if ev.GetKind() != "game.turn.ready" || string(ev.GetPayload()) != `{"turn":3}` ||
			strings.Join(ev.GetUserIds(), ",") != "u1,u2" || ev.GetCursor() != 1 || ev.GetResync() {
			t.Fatalf("got %v", ev)
		}
		if at := ev.GetCreatedAt().AsTime(); at.Before(before.Add(-time.Second)) || at.After(time.Now().Add(time.Second)) {
			t.Fatalf("created_at %v not around the publish time", at)
		}
	})

	resyncCases := []struct {
		name   string
		epoch  func(*Service) string
		cursor uint64
	}{
		{"stale cursor gets exactly one resync first", (*Service).Epoch, 2},
		{"foreign epoch gets exactly one resync first", func(*Service) string { return "previous-process" }, 90},
		{"cursor newer than the newest gets exactly one resync first", (*Service).Epoch, 1000},
	}
	for _, tc := range resyncCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig()
			cfg.BufferSize = 8
			svc := newService(t, cfg)
			srv := startServer(t, cfg, svc)
			publishN(svc, 100) // holds 93..100
			stream := subscribe(t, dial(t, srv.Addr().String()), tc.epoch(svc), tc.cursor)
			publishN(svc, 3)
			got := recvN(t, stream, 4)
			if r := got[0]; !r.GetResync() || r.GetCursor() != 100 || r.GetEpoch() != svc.Epoch() || r.GetKind() != "" {
				t.Fatalf("first event %v, want a resync at (%q, 100)", r, svc.Epoch())
			}
			wantCursors(t, got[1:], svc.Epoch(), 101, 103)
		})
	}
}

func TestServerSlowSubscriber(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.BufferSize = 4096
	cfg.SubscriberQueue = 16
	svc := newService(t, cfg)
	srv := startServer(t, cfg, svc)
	addr := srv.Addr().String()

	// The slow subscriber never reads. Fixed, small HTTP/2 windows (which
	// also turn off window growth) make it stall after a bounded number of
	// events instead of however many the client would buffer.
	slow := subscribe(t, dial(t, addr,
		grpc.WithInitialWindowSize(64<<10), grpc.WithInitialConnWindowSize(64<<10)), "", 0)
	fast := subscribe(t, dial(t, addr), "", 0)
	recvN(t, fast, 1) // its resync

	const total = 2000
	var fastAt atomic.Uint64
	fastDone := make(chan []*pushpb.PushEvent, 1)
	go func() {
		var evs []*pushpb.PushEvent
		for len(evs) < total {
			ev, err := fast.Recv()
			if err != nil {
				t.Errorf("fast subscriber after %d events: %v", len(evs), err)
				break
			}
			evs = append(evs, ev)
			fastAt.Store(ev.GetCursor())
		}
		fastDone <- evs
	}()

	// Publish at the fast subscriber's pace (its queue is 16 too), never at
	// the slow one's: were Publish to wait for the slow subscriber, this
	// loop would stall a few hundred events in.
	payload := []byte(`"` + strings.Repeat("x", 1024) + `"`)
	var slowest time.Duration
	for i := uint64(1); i <= total; i++ {
		waitFor(t, "the fast subscriber to keep up", func() bool { return i-fastAt.Load() <= 8 })
		begin := time.Now()
		svc.Publish(Event{Kind: "k", Payload: payload})
		slowest = max(slowest, time.Since(begin))
	}
	// Completing the loop is the proof that Publish never waited for the
	// slow subscriber; the figure is logged, not asserted (wall clock).
	t.Logf("slowest Publish took %s", slowest)

	var evs []*pushpb.PushEvent
	select {
	case evs = <-fastDone:
	case <-time.After(10 * time.Second):
		t.Fatal("fast subscriber did not receive every event")
	}
	wantCursors(t, evs, svc.Epoch(), 1, total)

	got, err := recvUntilError(t, slow)
	if st := status.Convert(err); st.Code() != codes.ResourceExhausted || !strings.Contains(st.Message(), "too slow") {
		t.Fatalf("slow subscriber ended with %v, want RESOURCE_EXHAUSTED saying it is too slow", err)
	}
	// What it did get is a gapless prefix: resync, then 1, 2, 3, ...
	if len(got) < 2 || len(got) > total/2 {
		t.Fatalf("slow subscriber got %d events before the cut, want some but far fewer than %d", len(got), total)
	}
	wantCursors(t, got[1:], svc.Epoch(), 1, uint64(len(got)-1))
	if subs, _, _ := svc.stats(); subs != 1 {
		t.Fatalf("%d subscriptions left, want only the fast one", subs)
	}
}

func TestServerAuth(t *testing.T) {
	t.Parallel()
	svc := newService(t, testConfig())
	srv := startServer(t, testConfig(), svc)
	c := dial(t, srv.Addr().String())

	cases := []struct {
		name string
		md   metadata.MD
	}{
		{"missing token is unauthenticated", metadata.MD{}},
		{"wrong token is unauthenticated", metadata.Pairs("authorization", "Bearer not-"+testToken)},
		{"token prefix is unauthenticated", metadata.Pairs("authorization", "Bearer "+testToken[:5])},
		{"other scheme is unauthenticated", metadata.Pairs("authorization", "Basic "+testToken)},
		{"bare token is unauthenticated", metadata.Pairs("authorization", testToken)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := metadata.NewOutgoingContext(t.Context(), tc.md)
			stream, err := c.SubscribePush(ctx, &pushpb.SubscribePushRequest{})
			if err == nil {
				_, err = stream.Recv()
			}
			if status.Code(err) != codes.Unauthenticated {
				t.Fatalf("got %v, want UNAUTHENTICATED", err)
			}
		})
	}

	t.Run("right token with any scheme case is accepted", func(t *testing.T) {
		t.Parallel()
		ctx := metadata.NewOutgoingContext(t.Context(), metadata.Pairs("authorization", "bearer "+testToken))
		stream, err := c.SubscribePush(ctx, &pushpb.SubscribePushRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if ev, err := stream.Recv(); err != nil || !ev.GetResync() {
			t.Fatalf("got %v, %v; want the resync event", ev, err)
		}
	})
}

func TestServerStop(t *testing.T) {
	t.Parallel()

	t.Run("stop delivers already published events before closing", func(t *testing.T) {
		t.Parallel()
		cfg := testConfig()
		cfg.BufferSize = 1024
		cfg.SubscriberQueue = 1024
		svc := newService(t, cfg)
		srv := NewServer(cfg, svc, testLogger(t), nil, func(string, error) {})
		if err := srv.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		c := dial(t, srv.Addr().String())
		streams := []grpc.ServerStreamingClient[pushpb.PushEvent]{
			subscribe(t, c, svc.Epoch(), 0),
			subscribe(t, c, svc.Epoch(), 0),
		}
		// Nobody reads until Stop has returned, so the events are still
		// queued on the server when it begins.
		publishN(svc, 500)
		if err := srv.Stop(t.Context()); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		for i, stream := range streams {
			got, err := recvUntilError(t, stream)
			wantCursors(t, got, svc.Epoch(), 1, 500)
			if st := status.Convert(err); st.Code() != codes.Unavailable || !strings.Contains(st.Message(), "shutting down") {
				t.Fatalf("stream %d ended with %v, want UNAVAILABLE saying the server shuts down", i, err)
			}
		}
		svc.Publish(Event{Kind: "after stop"}) // the Service outlives its server
	})

	t.Run("stop cuts a subscriber that does not read at the deadline", func(t *testing.T) {
		t.Parallel()
		cfg := testConfig()
		cfg.SubscriberQueue = 4096
		svc := newService(t, cfg)
		srv := NewServer(cfg, svc, testLogger(t), nil, func(string, error) {})
		if err := srv.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		stuck := subscribe(t, dial(t, srv.Addr().String(),
			grpc.WithInitialWindowSize(64<<10), grpc.WithInitialConnWindowSize(64<<10)), "", 0)
		payload := []byte(strings.Repeat("x", 4096))
		for range 1000 { // far more than the flow-control windows hold
			svc.Publish(Event{Kind: "k", Payload: payload})
		}
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		begin := time.Now()
		if err := srv.Stop(ctx); err == nil {
			t.Fatal("Stop returned nil although a subscriber was not flushed")
		}
		if d := time.Since(begin); d > 5*time.Second {
			t.Fatalf("Stop took %s past its 300ms deadline", d)
		}
		if _, err := recvUntilError(t, stuck); status.Code(err) == codes.OK {
			t.Fatalf("stream ended with %v, want an error", err)
		}
	})

	t.Run("start fails on a busy port", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		cfg := testConfig()
		cfg.Addr = ln.Addr().String()
		srv := NewServer(cfg, newService(t, cfg), testLogger(t), nil, func(string, error) {})
		if err := srv.Start(t.Context()); err == nil {
			_ = srv.Stop(t.Context())
			t.Fatal("Start succeeded on a busy port")
		}
	})

	t.Run("start fails without a token", func(t *testing.T) {
		t.Parallel()
		cfg := testConfig()
		cfg.Token = ""
		srv := NewServer(cfg, newService(t, cfg), testLogger(t), nil, func(string, error) {})
		if err := srv.Start(t.Context()); err == nil {
			_ = srv.Stop(t.Context())
			t.Fatal("Start succeeded without a token")
		}
	})
}
