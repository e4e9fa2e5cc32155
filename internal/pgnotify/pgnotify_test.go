package pgnotify_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func notify(t *testing.T, ctx context.Context, db postgres.Beginner, id string, commit bool) {
	t.Helper()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := pgnotify.Notify(ctx, tx, "thing", id); err != nil {
		t.Fatal(err)
	}
	if commit {
		err = tx.Commit(ctx)
	} else {
		err = tx.Rollback(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestListener(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	l := pgnotify.NewListener(pool, slog.New(slog.NewTextHandler(io.Discard, nil)))
	got := make(chan string, 10)
	l.Handle("thing", func(id string) { got <- id })
	var resyncs atomic.Int32
	l.OnResync(func(context.Context) error { resyncs.Add(1); return nil })
	if err := l.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Stop(ctx) }()

	expect := func(t *testing.T, want string) {
		t.Helper()
		select {
		case id := <-got:
			if id != want {
				t.Fatalf("got %q, want %q", id, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no notification %q", want)
		}
	}

	t.Run("delivers committed notifications only", func(t *testing.T) {
		notify(t, ctx, pool, "rolled-back", false)
		notify(t, ctx, pool, "a", true)
		expect(t, "a")
	})

	t.Run("reconnects after losing its connection and resyncs", func(t *testing.T) {
		if _, err := pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE query LIKE 'LISTEN%' AND datname = current_database()`); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for resyncs.Load() == 0 {
			if time.Now().After(deadline) {
				t.Fatal("no resync after the connection was killed")
			}
			time.Sleep(20 * time.Millisecond)
		}
		notify(t, ctx, pool, "b", true)
		expect(t, "b")
	})
}
