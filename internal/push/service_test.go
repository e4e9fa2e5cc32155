package push

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// drain reads a subscription's backlog and then n live records.
func drain(t *testing.T, sub *Subscription, n int) []Record {
	t.Helper()
	got := append([]Record(nil), sub.Backlog()...)
	timeout := time.After(10 * time.Second)
	for range n {
		select {
		case r, ok := <-sub.Live():
			if !ok {
				t.Fatalf("live channel closed after %d records: %v", len(got), sub.Err())
			}
			got = append(got, r)
		case <-timeout:
			t.Fatalf("timed out after %d records", len(got))
		}
	}
	return got
}

func TestServiceSubscribe(t *testing.T) {
	t.Parallel()

	// resyncCases all get exactly one resync marker at the newest cursor.
	resyncCases := []struct {
		name   string
		epoch  func(svc *Service) string
		cursor uint64
	}{
		{"empty epoch resyncs at the newest cursor", func(*Service) string { return "" }, 0},
		{"foreign epoch resyncs even with a buffered cursor", func(*Service) string { return "other-epoch" }, 9},
		{"evicted cursor resyncs", (*Service).Epoch, 3},
		{"cursor 0 resyncs once something was evicted", (*Service).Epoch, 0},
		{"cursor beyond newest resyncs", (*Service).Epoch, 11},
	}
	for _, tc := range resyncCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			svc := newService(t, Config{BufferSize: 4})
			publishN(svc, 10) // holds 7..10
			sub := svc.Subscribe(tc.epoch(svc), tc.cursor)
			defer sub.Close()
			b := sub.Backlog()
			if !sub.Resync() || len(b) != 1 || !b[0].Resync || b[0].Cursor != 10 || b[0].Kind != "" {
				t.Fatalf("backlog %+v, want one resync marker at cursor 10", b)
			}
			svc.Publish(Event{Kind: "after"})
			if got := drain(t, sub, 1); got[1].Cursor != 11 || got[1].Resync {
				t.Fatalf("first live record %+v, want cursor 11", got[1])
			}
		})
	}

	resumeCases := []struct {
		name   string
		cursor uint64
		want   []uint64
	}{
		{"cursor just before the oldest replays the whole buffer", 6, []uint64{7, 8, 9, 10}},
		{"buffered cursor replays only later events", 8, []uint64{9, 10}},
		{"newest cursor replays nothing", 10, nil},
	}
	for _, tc := range resumeCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			svc := newService(t, Config{BufferSize: 4})
			publishN(svc, 10)
			sub := svc.Subscribe(svc.Epoch(), tc.cursor)
			defer sub.Close()
			if sub.Resync() {
				t.Fatal("resync, want a replay")
			}
			if got := cursorsOf(sub.Backlog()); !slices.Equal(got, tc.want) {
				t.Fatalf("replay %v, want %v", got, tc.want)
			}
		})
	}

	t.Run("cursor 0 replays from the first event while nothing was evicted", func(t *testing.T) {
		t.Parallel()
		svc := newService(t, Config{BufferSize: 4})
		publishN(svc, 4)
		sub := svc.Subscribe(svc.Epoch(), 0)
		defer sub.Close()
		if got := cursorsOf(sub.Backlog()); !slices.Equal(got, []uint64{1, 2, 3, 4}) {
			t.Fatalf("replay %v, want [1 2 3 4]", got)
		}
	})

	t.Run("cursor 0 on an empty buffer waits for live events", func(t *testing.T) {
		t.Parallel()
		svc := newService(t, Config{})
		sub := svc.Subscribe(svc.Epoch(), 0)
		defer sub.Close()
		if sub.Resync() || len(sub.Backlog()) != 0 {
			t.Fatalf("resync %v backlog %v, want a silent resume", sub.Resync(), sub.Backlog())
		}
		svc.Publish(Event{Kind: "first"})
		if got := drain(t, sub, 1); got[0].Cursor != 1 {
			t.Fatalf("got cursor %d, want 1", got[0].Cursor)
		}
	})

	t.Run("subscribing while publishing leaves no gap and no duplicate", func(t *testing.T) {
		t.Parallel()
		const total = 3000
		svc := newService(t, Config{BufferSize: total, SubscriberQueue: total})
		var last atomic.Uint64
		go func() {
			for range total {
				last.Store(svc.Publish(Event{Kind: "k"}))
			}
		}()
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				from := last.Load()
				sub := svc.Subscribe(svc.Epoch(), from)
				defer sub.Close()
				want := from + 1
				check := func(r Record) bool {
					if r.Cursor != want {
						t.Errorf("subscriber from %d: got cursor %d, want %d", from, r.Cursor, want)
						return false
					}
					want++
					return true
				}
				for _, r := range sub.Backlog() {
					if !check(r) {
						return
					}
				}
				for want <= total {
					r, ok := <-sub.Live()
					if !ok {
						t.Errorf("subscriber from %d ended at cursor %d: %v", from, want, sub.Err())
						return
					}
					if !check(r) {
						return
					}
				}
			})
		}
		wg.Wait()
	})

	t.Run("full queue drops the subscriber without blocking the publisher", func(t *testing.T) {
		t.Parallel()
		svc := newService(t, Config{SubscriberQueue: 4})
		slow := svc.Subscribe("", 0)
		defer slow.Close()
		fast := svc.Subscribe("", 0)
		defer fast.Close()
		for i := range 100 {
			svc.Publish(Event{Kind: "k"})
			// The fast one keeps up; the slow one never reads.
			if r := <-fast.Live(); r.Cursor != uint64(i+1) {
				t.Fatalf("fast got cursor %d, want %d", r.Cursor, i+1)
			}
		}
		select {
		case <-slow.Dropped():
		default:
			t.Fatal("slow subscriber not dropped")
		}
		if err := slow.Err(); !errors.Is(err, ErrTooSlow) {
			t.Fatalf("slow Err = %v, want ErrTooSlow", err)
		}
		if fast.Err() != nil {
			t.Fatalf("fast subscriber ended: %v", fast.Err())
		}
	})

	t.Run("published slices are copied", func(t *testing.T) {
		t.Parallel()
		svc := newService(t, Config{})
		payload, users := []byte(`{"a":1}`), []string{"u1"}
		svc.Publish(Event{UserIDs: users, Kind: "k", Payload: payload})
		payload[2], users[0] = 'X', "changed"
		sub := svc.Subscribe(svc.Epoch(), 0)
		defer sub.Close()
		r := sub.Backlog()[0]
		if string(r.Payload) != `{"a":1}` || r.UserIDs[0] != "u1" {
			t.Fatalf("buffered record changed with the caller's slices: %+v", r)
		}
	})

	t.Run("epochs differ between services", func(t *testing.T) {
		t.Parallel()
		a, b := newService(t, Config{}), newService(t, Config{})
		if a.Epoch() == "" || a.Epoch() == b.Epoch() {
			t.Fatalf("epochs %q and %q, want two distinct non-empty ones", a.Epoch(), b.Epoch())
		}
	})
}

func TestServiceMetrics(t *testing.T) {
	t.Parallel()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	svc, err := NewService(Config{BufferSize: 8, SubscriberQueue: 2}, mp.Meter("push-test"))
	if err != nil {
		t.Fatal(err)
	}
	slow := svc.Subscribe("", 0)
	defer slow.Close()
	live := svc.Subscribe("", 0)
	defer live.Close()
	publishN(svc, 3) // the third overflows both queues of 2
	live2 := svc.Subscribe(svc.Epoch(), 3)
	defer live2.Close()

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(t.Context(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				got[m.Name] = d.DataPoints[0].Value
			case metricdata.Gauge[int64]:
				got[m.Name] = d.DataPoints[0].Value
			}
		}
	}
	want := map[string]int64{
		"galaxy.push.events.published":             3,
		"galaxy.push.subscribers.slow_disconnects": 2,
		"galaxy.push.subscribers":                  1,
		"galaxy.push.buffer.events":                3,
		"galaxy.push.buffer.capacity":              8,
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s = %d, want %d (all: %v)", name, got[name], v, got)
		}
	}
}
