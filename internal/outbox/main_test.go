package outbox_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"

	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/outbox/natstest"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestMain(m *testing.M) {
	// What telemetry.New installs in the process.
	otel.SetTextMapPropagator(propagation.TraceContext{})
	os.Exit(pgtest.Main(m))
}

// testConfig is the relay configuration of the tests: short delays so that
// retries and polls happen within a test's patience.
func testConfig(url string) outbox.Config {
	return outbox.Config{
		NATSURL:        url,
		BatchSize:      20,
		Workers:        2,
		PollInterval:   100 * time.Millisecond,
		PublishTimeout: 2 * time.Second,
		RetryBaseDelay: 50 * time.Millisecond,
		MaxRetryDelay:  500 * time.Millisecond,
		ReconnectWait:  50 * time.Millisecond,
	}
}

// startRelay starts a relay over pool; it is stopped when t ends.
func startRelay(t testing.TB, pool *pgxpool.Pool, cfg outbox.Config, opts outbox.RelayOptions) *outbox.Relay {
	t.Helper()
	r, err := outbox.NewRelay(pool, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop relay: %v", err)
		}
	})
	return r
}

// newBusinessTable creates the table the tests' "business changes" write.
func newBusinessTable(t testing.TB, pool *pgxpool.Pool) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), "CREATE TABLE test_games (game_id text PRIMARY KEY, name text NOT NULL)"); err != nil {
		t.Fatal(err)
	}
}

// createGame is a business change: one row and its event in one
// transaction, committed or (rollback) rolled back. It returns the event id.
func createGame(ctx context.Context, t testing.TB, pool *pgxpool.Pool, gameID string, rollback bool) string {
	t.Helper()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "INSERT INTO test_games (game_id, name) VALUES ($1, $2)", gameID, "Game "+gameID); err != nil {
		t.Fatal(err)
	}
	id, err := outbox.NewPublisher().PublishTxID(ctx, tx, outbox.NewEvent(outbox.GameCreated{
		GameID: gameID, Name: "Game " + gameID, Visibility: "public", Status: "draft",
		MinPlayers: 2, MaxPlayers: 8, CreatedAt: time.Now().UTC(),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if rollback {
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		return id
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return id
}

// pending counts unpublished events.
func pending(t testing.TB, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM outbox_events WHERE status = 'pending'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitDrained waits until no event is pending.
func waitDrained(t testing.TB, pool *pgxpool.Pool, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		n := pending(t, pool)
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			var lastErr *string
			_ = pool.QueryRow(context.Background(),
				"SELECT max(last_error) FROM outbox_events WHERE status = 'pending'").Scan(&lastErr)
			t.Fatalf("%d events still pending after %v (last error %v)", n, within, deref(lastErr))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}

// tap records every message published on the event subjects as core NATS
// sees it, before JetStream deduplication: it shows how often the relay
// actually published an event.
type tap struct {
	mu   sync.Mutex
	msgs []*nats.Msg
}

func newTap(t testing.TB, srv *natstest.Server) *tap {
	t.Helper()
	tp := &tap{}
	nc := srv.Conn(t)
	if _, err := nc.Subscribe("galaxy.events.>", func(m *nats.Msg) {
		tp.mu.Lock()
		tp.msgs = append(tp.msgs, m)
		tp.mu.Unlock()
	}); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return tp
}

// publishes returns how often each event id was published.
func (tp *tap) publishes() map[string]int {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	out := map[string]int{}
	for _, m := range tp.msgs {
		out[m.Header.Get(outbox.HeaderMsgID)]++
	}
	return out
}

// streamMessages reads every message stored in the stream.
func streamMessages(t testing.TB, js jetstream.JetStream, stream string) []jetstream.Msg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := int(info.State.Msgs)
	if total == 0 {
		return nil
	}
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var out []jetstream.Msg
	for len(out) < total {
		batch, err := c.Fetch(total-len(out), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			out = append(out, m)
			n++
		}
		if n == 0 {
			t.Fatalf("stream %s: read %d of %d messages: %v", stream, len(out), total, batch.Error())
		}
	}
	return out
}

// storedIDs counts the stream's messages per event id.
func storedIDs(t testing.TB, js jetstream.JetStream) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range streamMessages(t, js, "GALAXY_EVENTS") {
		out[m.Headers().Get(outbox.HeaderMsgID)]++
	}
	return out
}

func gameID(i int) string { return fmt.Sprintf("g_%04d", i) }
