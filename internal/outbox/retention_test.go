package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("deletes published events older than the retention, never pending ones", func(t *testing.T) {
		t.Parallel()
		pool := pgtest.Pool(t)
		newBusinessTable(t, pool)
		var oldPublished, newPublished, oldPending []string
		for i := range 5 {
			oldPublished = append(oldPublished, createGame(ctx, t, pool, gameID(i), false))
			newPublished = append(newPublished, createGame(ctx, t, pool, gameID(100+i), false))
			oldPending = append(oldPending, createGame(ctx, t, pool, gameID(200+i), false))
		}
		age := func(ids []string, status string, publishedAgo, createdAgo time.Duration) {
			t.Helper()
			var publishedAt *time.Time
			if status == "published" {
				at := time.Now().Add(-publishedAgo)
				publishedAt = &at
			}
			if _, err := pool.Exec(ctx, `UPDATE outbox_events SET status = $2, published_at = $3, created_at = $4
				WHERE id = ANY($1::uuid[])`, ids, status, publishedAt, time.Now().Add(-createdAgo)); err != nil {
				t.Fatal(err)
			}
		}
		age(oldPublished, "published", 73*time.Hour, 74*time.Hour)
		age(newPublished, "published", 71*time.Hour, 100*time.Hour)
		age(oldPending, "pending", 0, 30*24*time.Hour)

		// No NATS: retention runs without a relay publishing anything.
		r, err := outbox.NewRelay(pool, outbox.Config{Retention: 72 * time.Hour, RetentionBatch: 2}, outbox.RelayOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := r.Cleanup(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(len(oldPublished)) {
			t.Fatalf("deleted %d, want %d", n, len(oldPublished))
		}
		for _, c := range []struct {
			ids  []string
			want int
		}{{oldPublished, 0}, {newPublished, 5}, {oldPending, 5}} {
			var got int
			if err := pool.QueryRow(ctx, "SELECT count(*) FROM outbox_events WHERE id = ANY($1::uuid[])", c.ids).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%d of %v left, want %d", got, c.ids, c.want)
			}
		}
	})

	t.Run("without NATS events are recorded and stay pending", func(t *testing.T) {
		t.Parallel()
		pool := pgtest.Pool(t)
		newBusinessTable(t, pool)
		cfg := testConfig("")
		r := startRelay(t, pool, cfg, outbox.RelayOptions{})
		if r.Enabled() {
			t.Fatal("a relay without a NATS URL reports itself enabled")
		}
		createGame(ctx, t, pool, "g_1", false)
		time.Sleep(3 * cfg.PollInterval)
		if n := pending(t, pool); n != 1 {
			t.Fatalf("%d pending, want 1", n)
		}
		if n, err := r.Cleanup(ctx); err != nil || n != 0 {
			t.Fatalf("retention deleted %d (%v) pending events", n, err)
		}
	})
}
