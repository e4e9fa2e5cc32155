package outbox_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/outbox/natstest"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// BenchmarkRelay measures, per run of n = max(b.N, benchMinEvents) events, on
// one embedded NATS server and one database:
//
//   - raw_js_msgs/s: JetStream alone, async publishes with Nats-Msg-Id to a
//     stream of the same kind — the ceiling for the relay;
//   - drain_events/s: the relay publishing a backlog of b.N committed events;
//   - e2e_events/s: 8 producers each committing one business row and its
//     event per transaction while the relay runs, from the first commit to
//     the last event marked published (the JetStream ack is before the mark);
//     e2e_commits/s is the producers' own rate in that phase (when the two
//     are close, the relay keeps up and the producers are the limit);
//     e2e_p50_ms/e2e_p99_ms: latency of those events from the start of the
//     producer's transaction (created_at) to the mark right after the ack;
//     commit_p99_ms is the producers' own transaction time (begin to commit)
//     in that phase, which that latency includes: on a loaded machine it is
//     the floor of e2e_p99_ms;
//   - commits_alone/s: the same producers with no relay running (while the
//     backlog for the drain is built), for comparison;
//   - e2e_pct_of_raw, e2e_pct_of_alone, drain_pct_of_raw: the same-run
//     ratios, which are what to compare between runs on a shared machine.
//     Every event is one business transaction, so e2e can never exceed the
//     producers' commit rate (commits_alone/s): e2e_pct_of_alone near 100
//     means the relay costs the producers nearly nothing.
//
// ns/op is the e2e time per event. Run with e.g. -bench Relay -benchtime 1x
// (at least benchMinEvents per run) or -benchtime 50000x.
func BenchmarkRelay(b *testing.B) {
	ctx := context.Background()
	srv := natstest.Start(b)
	n := max(b.N, benchMinEvents)

	raw := rawPublishRate(b, srv, n)

	pool := pgtest.Pool(b)
	newBusinessTable(b, pool)
	begin := time.Now()
	commitEvents(b, pool, n, 8, "drain", nil)
	alone := float64(n) / time.Since(begin).Seconds()
	b.ResetTimer()
	begin = time.Now()
	r := startRelay(b, pool, outbox.Config{NATSURL: srv.URL(), PollInterval: 100 * time.Millisecond}, outbox.RelayOptions{})
	waitDrained(b, pool, 5*time.Minute)
	drain := float64(n) / time.Since(begin).Seconds()
	b.StopTimer()
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_ = r.Stop(stopCtx)

	pool2 := pgtest.Pool(b)
	newBusinessTable(b, pool2)
	startRelay(b, pool2, outbox.Config{NATSURL: srv.URL(), PollInterval: 100 * time.Millisecond}, outbox.RelayOptions{})
	b.StartTimer()
	begin = time.Now()
	txTimes := make([]float64, 0, n)
	commitEvents(b, pool2, n, 8, "e2e", &txTimes)
	commits := float64(n) / time.Since(begin).Seconds()
	waitDrained(b, pool2, 5*time.Minute)
	elapsed := time.Since(begin)
	e2e := float64(n) / elapsed.Seconds()
	b.StopTimer()
	p50, p99 := latencies(b, pool2)
	sort.Float64s(txTimes)

	b.ReportMetric(raw, "raw_js_msgs/s")
	b.ReportMetric(drain, "drain_events/s")
	b.ReportMetric(e2e, "e2e_events/s")
	b.ReportMetric(commits, "e2e_commits/s")
	b.ReportMetric(alone, "commits_alone/s")
	b.ReportMetric(p50, "e2e_p50_ms")
	b.ReportMetric(p99, "e2e_p99_ms")
	b.ReportMetric(txTimes[len(txTimes)*99/100], "commit_p99_ms")
	b.ReportMetric(100*e2e/raw, "e2e_pct_of_raw")
	b.ReportMetric(100*e2e/alone, "e2e_pct_of_alone")
	b.ReportMetric(100*drain/raw, "drain_pct_of_raw")
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(n), "ns/op")
}

// benchMinEvents is the fewest events a run of BenchmarkRelay publishes:
// fewer do not reach a steady state (with -benchtime 1x a run would be one
// event).
const benchMinEvents = 20000

// rawPublishRate publishes n messages straight to JetStream, the way the
// relay does (async, Nats-Msg-Id, a JSON body of similar size), and returns
// messages per second.
func rawPublishRate(b *testing.B, srv *natstest.Server, n int) float64 {
	b.Helper()
	nc := srv.Conn(b)
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(400))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "RAW", Subjects: []string{"raw.>"},
		Storage: jetstream.FileStorage, Duplicates: 2 * time.Hour}); err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"id":"0190f5a0-0000-7000-8000-000000000000","type":"game.created.v1","aggregate_type":"game","aggregate_id":"g_0001","occurred_at":"2026-01-01T00:00:00Z","data":{"game_id":"g_0001","name":"Game g_0001","owner_user_id":"","visibility":"public","status":"draft","min_players":2,"max_players":8,"created_at":"2026-01-01T00:00:00Z"}}`)
	begin := time.Now()
	futures := make([]jetstream.PubAckFuture, 0, n)
	for i := range n {
		m := nats.NewMsg("raw.game.created.v1")
		m.Data = body
		m.Header.Set(outbox.HeaderMsgID, fmt.Sprintf("raw-%d", i))
		f, err := js.PublishMsgAsync(m)
		if err != nil {
			b.Fatal(err)
		}
		futures = append(futures, f)
	}
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			b.Fatal(err)
		case <-ctx.Done():
			b.Fatal(ctx.Err())
		}
	}
	return float64(n) / time.Since(begin).Seconds()
}

// commitEvents commits n business transactions of one row and one event
// each, from producers goroutines. With txTimes it appends each
// transaction's duration (begin to commit) in milliseconds.
func commitEvents(b *testing.B, pool *pgxpool.Pool, n, producers int, prefix string, txTimes *[]float64) {
	b.Helper()
	ctx := context.Background()
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range producers {
		wg.Go(func() {
			for {
				i := int(next.Add(1))
				if i > n {
					return
				}
				began := time.Now()
				createGame(ctx, b, pool, fmt.Sprintf("%s_%d", prefix, i), false)
				if txTimes != nil {
					ms := float64(time.Since(began).Microseconds()) / 1000
					mu.Lock()
					*txTimes = append(*txTimes, ms)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
}

// latencies returns the 50th and 99th percentile of commit-to-ack time in
// milliseconds (created_at is the transaction's start, published_at the mark
// right after the ack).
func latencies(b *testing.B, pool *pgxpool.Pool) (p50, p99 float64) {
	b.Helper()
	rows, err := pool.Query(context.Background(),
		"SELECT EXTRACT(EPOCH FROM published_at - created_at) * 1000 FROM outbox_events")
	if err != nil {
		b.Fatal(err)
	}
	var ms []float64
	for rows.Next() {
		var v float64
		if err := rows.Scan(&v); err != nil {
			b.Fatal(err)
		}
		ms = append(ms, v)
	}
	if err := rows.Err(); err != nil || len(ms) == 0 {
		b.Fatalf("latencies: %v (%d rows)", err, len(ms))
	}
	sort.Float64s(ms)
	return ms[len(ms)/2], ms[len(ms)*99/100]
}
