package push

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

// benchPayload is a typical notification body.
var benchPayload = []byte(`{"game_id":"g-0123456789","turn":42,"message":"turn 42 is ready"}`)

// BenchmarkStreamThroughput pushes events end to end, from Publish through a
// loopback gRPC stream to one subscriber's Recv, and reports events/s.
// Publishing is paced by a window of unreceived events no larger than the
// subscriber queue, so the figure is the sustained rate of a subscriber that
// keeps up, not the rate at which it would be cut off.
func BenchmarkStreamThroughput(b *testing.B) {
	cfg := testConfig()
	cfg.BufferSize, cfg.SubscriberQueue = 4096, 4096
	svc := newService(b, cfg)
	srv := startServer(b, cfg, svc)
	stream := subscribe(b, dial(b, srv.Addr().String()), svc.Epoch(), 0)

	const window = 2048
	credits := make(chan struct{}, window)
	done := make(chan error, 1)
	b.ResetTimer()
	begin := time.Now()
	go func() {
		for i := 0; i < b.N; i++ {
			if _, err := stream.Recv(); err != nil {
				done <- fmt.Errorf("after %d events: %w", i, err)
				return
			}
			<-credits
		}
		done <- nil
	}()
	for range b.N {
		credits <- struct{}{}
		svc.Publish(Event{UserIDs: []string{"u1"}, Kind: "game.turn.ready", Payload: benchPayload})
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(begin).Seconds(), "events/s")
}

// BenchmarkResumeLatency measures the time from SubscribePush with a valid
// (epoch, cursor) to the first replayed event, on an open connection with a
// full buffer, and reports it as µs/resume. gRPC's writer batches the
// frames of a burst before flushing, so the first event of a longer replay
// arrives together with much of the rest: hence one case per replay length.
func BenchmarkResumeLatency(b *testing.B) {
	for _, replay := range []uint64{1, 100, 1000} {
		b.Run(fmt.Sprintf("replay=%d", replay), func(b *testing.B) {
			cfg := testConfig()
			cfg.BufferSize = 4096
			svc := newService(b, cfg)
			srv := startServer(b, cfg, svc)
			c := dial(b, srv.Addr().String())
			for range 2 * cfg.BufferSize { // wrapped, full
				svc.Publish(Event{UserIDs: []string{"u1"}, Kind: "game.turn.ready", Payload: benchPayload})
			}
			last := 2 * uint64(cfg.BufferSize)
			cursor := last - replay
			base := withToken(context.Background(), testToken)
			// Warm the connection so the first iteration does not pay the dial.
			resumeOnce(b, c, base, svc.Epoch(), cursor, last)

			b.ResetTimer()
			var total time.Duration
			for range b.N {
				total += resumeOnce(b, c, base, svc.Epoch(), cursor, last)
			}
			b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/resume")
		})
	}
}

// resumeOnce subscribes at cursor, returns how long the first replayed event
// took to arrive, and receives the replay up to last.
func resumeOnce(b *testing.B, c pushpb.PushClient, base context.Context, epoch string, cursor, last uint64) time.Duration {
	b.Helper()
	ctx, cancel := context.WithCancel(base)
	defer cancel()
	begin := time.Now()
	stream, err := c.SubscribePush(ctx, &pushpb.SubscribePushRequest{Epoch: epoch, Cursor: cursor})
	if err != nil {
		b.Fatal(err)
	}
	ev, err := stream.Recv()
	d := time.Since(begin)
	if err != nil || ev.GetCursor() != cursor+1 {
		b.Fatalf("first event %v, %v; want cursor %d", ev, err, cursor+1)
	}
	// Take the rest of the replay (untimed), so the next resume does not
	// compete with this one's leftover sends.
	for ev.GetCursor() < last {
		if ev, err = stream.Recv(); err != nil {
			b.Fatal(err)
		}
	}
	return d
}

// BenchmarkPublish measures what Publish costs a domain service, with no
// subscriber and with 16 in-process subscribers that keep up.
func BenchmarkPublish(b *testing.B) {
	for _, subs := range []int{0, 16} {
		b.Run(fmt.Sprintf("subscribers=%d", subs), func(b *testing.B) {
			svc := newService(b, Config{BufferSize: 4096, SubscriberQueue: 1 << 16})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			for range subs {
				sub := svc.Subscribe("", 0)
				defer sub.Close()
				go func() {
					for {
						select {
						case <-sub.Live():
						case <-ctx.Done():
							return
						}
					}
				}()
			}
			ev := Event{UserIDs: []string{"u1"}, Kind: "game.turn.ready", Payload: benchPayload}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				svc.Publish(ev)
			}
		})
	}
}
