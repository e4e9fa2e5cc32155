package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/outbox/natstest"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestRelaySurvivesADatabaseOutage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = postgres.Schema
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	newBusinessTable(t, pool)
	srv := natstest.Start(t)
	startRelay(t, pool, testConfig(srv.URL()), outbox.RelayOptions{})

	// Refuse connections and end the existing ones (the relay's pool and
	// its LISTEN connection), from the maintenance database.
	adminCfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := adminCfg.Database
	adminCfg.Database = "postgres"
	admin, err := pgx.ConnectConfig(ctx, adminCfg)
	if err != nil {
		t.Fatal(err)
	}
	ident := pgx.Identifier{name}.Sanitize()
	t.Cleanup(func() {
		_, _ = admin.Exec(ctx, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS true")
		_ = admin.Close(ctx)
	})
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS false"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // the relay's claims and its LISTEN fail meanwhile
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS true"); err != nil {
		t.Fatal(err)
	}

	t.Run("events committed after the database is back are published promptly", func(t *testing.T) {
		id := createGame(ctx, t, pool, "g_after_outage", false)
		waitDrained(t, pool, 10*time.Second)
		if stored := storedIDs(t, srv.JetStream(t)); stored[id] != 1 {
			t.Fatalf("stream holds %v", stored)
		}
	})
}
