package postgres_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("applies everything and is idempotent", func(t *testing.T) {
		t.Parallel()
		pool := pgtest.Pool(t) // already migrated from the template
		if err := postgres.Migrate(ctx, pool, discard); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		st, err := postgres.Status(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) < 2 {
			t.Fatalf("want our and River's migrations, got %d", len(st))
		}
		for _, s := range st {
			if !s.Applied {
				t.Errorf("%s (%d) not applied", s.Source, s.Version)
			}
		}
		var n int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM backend.river_job").Scan(&n); err != nil {
			t.Fatalf("river tables not in schema backend: %v", err)
		}
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d tables outside the backend schema (%v)", n, err)
		}
	})

	t.Run("migrates an empty database from scratch and reports status before", func(t *testing.T) {
		t.Parallel()
		pool := pgtest.Pool(t)
		// A pool without the backend search_path must still migrate into it.
		cfg := pool.Config()
		delete(cfg.ConnConfig.RuntimeParams, "search_path")
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		if _, err := pool.Exec(ctx, "DROP SCHEMA backend CASCADE"); err != nil {
			t.Fatal(err)
		}
		st, err := postgres.Status(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if s.Applied {
				t.Errorf("%s reported applied on an empty database", s.Source)
			}
		}
		if err := postgres.Migrate(ctx, pool, discard); err != nil {
			t.Fatal(err)
		}
		if err := postgres.Migrate(ctx, pool, discard); err != nil {
			t.Fatalf("re-run: %v", err)
		}
		var n int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'backend' AND tablename = 'mail_deliveries'").Scan(&n); err != nil || n != 1 {
			t.Fatalf("mail_deliveries not in the backend schema (%v)", err)
		}
	})
}

func TestMigrateFastPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	upToDate := func(t *testing.T, pool *pgxpool.Pool) bool {
		t.Helper()
		ok, err := postgres.UpToDate(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	t.Run("a migrated database is up to date", func(t *testing.T) {
		t.Parallel()
		if !upToDate(t, pgtest.Pool(t)) {
			t.Fatal("a migrated database reported behind")
		}
	})
	for name, forget := range map[string]string{
		"ours":    "DELETE FROM backend.goose_db_version WHERE version_id = (SELECT max(version_id) FROM backend.goose_db_version)",
		"River's": "DELETE FROM backend.river_migration WHERE version = (SELECT max(version) FROM backend.river_migration)",
		"all":     "DROP SCHEMA backend CASCADE",
	} {
		t.Run("a database missing "+name+" is not", func(t *testing.T) {
			t.Parallel()
			pool := pgtest.Pool(t)
			if _, err := pool.Exec(ctx, forget); err != nil {
				t.Fatal(err)
			}
			if upToDate(t, pool) {
				t.Fatal("reported up to date")
			}
		})
	}
}

func TestInTx(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := &postgres.DB{Pool: pgtest.Pool(t)}
	if _, err := db.Pool.Exec(ctx, "CREATE TABLE things (name text PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM things").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("commits on success", func(t *testing.T) {
		err := db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO things VALUES ('a')")
			return err
		})
		if err != nil || count() != 1 {
			t.Fatalf("err=%v count=%d", err, count())
		}
	})
	t.Run("rolls back on error", func(t *testing.T) {
		boom := errors.New("boom")
		err := db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO things VALUES ('b')"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || count() != 1 {
			t.Fatalf("err=%v count=%d", err, count())
		}
	})
	t.Run("maps a unique violation to conflict", func(t *testing.T) {
		err := db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO things VALUES ('a')")
			return err
		})
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("want conflict, got %v", err)
		}
		if c, ok := postgres.UniqueViolation(err); !ok || c != "things_pkey" {
			t.Fatalf("constraint %q ok=%v", c, ok)
		}
	})
	t.Run("maps no rows to not found", func(t *testing.T) {
		err := db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			var s string
			return tx.QueryRow(ctx, "SELECT name FROM things WHERE name = 'zzz'").Scan(&s)
		})
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("want not_found, got %v", err)
		}
	})
}
