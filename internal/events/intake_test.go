package events_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/events"
	"github.com/galaxy-platform/galaxy/internal/outbox/natstest"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestCommandIntake(t *testing.T) {
	t.Parallel()

	t.Run("a good command becomes a delivery and is acknowledged", func(t *testing.T) {
		t.Parallel()
		pool := pgtest.Pool(t)
		srv := natstest.Start(t)
		startIntake(t, testConfig(srv.URL()), newMail(t, pool))
		js, c := consumer(t, srv)

		send(t, js, fmt.Sprintf(goodCommand, "cmd-1"))
		info := waitAcked(t, js, c, 10*time.Second)
		if n := countRows(t, pool, "SELECT count(*) FROM mail_deliveries WHERE idempotency_key = 'cmd-1' AND source = 'command'"); n != 1 {
			t.Fatalf("%d deliveries, want 1", n)
		}
		if info.NumRedelivered != 0 {
			t.Errorf("%d redeliveries of a command handled the first time", info.NumRedelivered)
		}
	})

	t.Run("a malformed command is recorded and acknowledged", func(t *testing.T) {
		t.Parallel()
		pool := pgtest.Pool(t)
		srv := natstest.Start(t)
		startIntake(t, testConfig(srv.URL()), newMail(t, pool))
		js, c := consumer(t, srv)

		send(t, js, `{"template":"auth.login_code", not json`)
		waitAcked(t, js, c, 10*time.Second)
		if n := countRows(t, pool, "SELECT count(*) FROM mail_malformed_commands WHERE source LIKE 'nats:GALAXY_COMMANDS/galaxy.commands.mail.send#%'"); n != 1 {
			t.Fatalf("%d malformed command records, want 1", n)
		}
		if n := countRows(t, pool, "SELECT count(*) FROM mail_deliveries"); n != 0 {
			t.Fatalf("%d deliveries from a malformed command", n)
		}
	})

	t.Run("a database outage leaves the command unacknowledged until it is redelivered and handled once", func(t *testing.T) {
		t.Parallel()
		dsn := pgtest.DSN(t)
		pool := openPool(t, dsn)
		mailSvc := newMail(t, pool)
		srv := natstest.Start(t)
		commands := &counting{MailCommands: mailSvc}
		startIntake(t, testConfig(srv.URL()), commands)
		js, c := consumer(t, srv)

		// Take the database away for real: no new connections, existing
		// ones terminated.
		db := blockDatabase(t, dsn)
		send(t, js, fmt.Sprintf(goodCommand, "cmd-outage"))
		deadline := time.Now().Add(10 * time.Second)
		for {
			if _, fail := commands.counts(); fail >= 2 {
				break // delivered, failed, redelivered, failed again
			}
			if time.Now().After(deadline) {
				t.Fatal("the command was not redelivered after failing")
			}
			time.Sleep(20 * time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		info, err := c.Info(ctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if uint64(info.NumAckPending)+info.NumPending != 1 {
			t.Fatalf("the failed command is not outstanding: %+v", info)
		}

		db.unblock(t)
		info = waitAcked(t, js, c, 20*time.Second)
		if n := countRows(t, pool, "SELECT count(*) FROM mail_deliveries WHERE idempotency_key = 'cmd-outage'"); n != 1 {
			t.Fatalf("%d deliveries, want exactly 1", n)
		}
		ok, fail := commands.counts()
		if ok != 1 {
			t.Fatalf("handled successfully %d times, want once (after %d failures)", ok, fail)
		}
		commands.mu.Lock()
		lastErr := commands.lastErr
		commands.mu.Unlock()
		t.Logf("failed %d times during the outage (%v), then accepted once; consumer delivered %d", fail, lastErr, info.Delivered.Consumer)
	})

	t.Run("stop finishes the command in flight and acknowledges it", func(t *testing.T) {
		t.Parallel()
		pool := pgtest.Pool(t)
		srv := natstest.Start(t)
		commands := &counting{MailCommands: newMail(t, pool), delay: 300 * time.Millisecond, begun: make(chan struct{}, 1)}
		in := startIntake(t, testConfig(srv.URL()), commands)
		js, c := consumer(t, srv)

		send(t, js, fmt.Sprintf(goodCommand, "cmd-stop"))
		select {
		case <-commands.begun:
		case <-time.After(10 * time.Second):
			t.Fatal("command not picked up")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := in.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, _ := commands.counts(); ok != 1 {
			t.Fatal("Stop returned before the command in flight was handled")
		}
		waitAcked(t, js, c, 5*time.Second)
	})

	t.Run("recreates its consumer when it is deleted under it", func(t *testing.T) {
		t.Parallel()
		pool := pgtest.Pool(t)
		srv := natstest.Start(t)
		startIntake(t, testConfig(srv.URL()), newMail(t, pool))
		js, _ := consumer(t, srv)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := js.DeleteConsumer(ctx, "GALAXY_COMMANDS", "galaxy-backend-mail-send"); err != nil {
			t.Fatal(err)
		}
		js, c := consumer(t, srv)
		send(t, js, fmt.Sprintf(goodCommand, "cmd-recreated"))
		waitAcked(t, js, c, 20*time.Second)
		if n := countRows(t, pool, "SELECT count(*) FROM mail_deliveries WHERE idempotency_key = 'cmd-recreated'"); n != 1 {
			t.Fatalf("%d deliveries, want 1", n)
		}
	})

	t.Run("starts while NATS is down and takes commands once it is up", func(t *testing.T) {
		t.Parallel()
		pool := pgtest.Pool(t)
		srv := natstest.Start(t)
		srv.Stop()
		startIntake(t, testConfig(srv.URL()), newMail(t, pool))
		time.Sleep(200 * time.Millisecond)
		srv.Restart()
		js, c := consumer(t, srv)
		send(t, js, fmt.Sprintf(goodCommand, "cmd-late"))
		waitAcked(t, js, c, 10*time.Second)
		if n := countRows(t, pool, "SELECT count(*) FROM mail_deliveries WHERE idempotency_key = 'cmd-late'"); n != 1 {
			t.Fatalf("%d deliveries, want 1", n)
		}
	})
}

func TestConfig(t *testing.T) {
	t.Parallel()
	t.Run("the zero config takes valid defaults", func(t *testing.T) {
		t.Parallel()
		if err := (events.Config{}).Validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("refuses a wildcard subject and a fetch wait beyond the ack wait", func(t *testing.T) {
		t.Parallel()
		err := events.Config{Subject: "galaxy.commands.>", FetchWait: time.Minute, AckWait: 30 * time.Second}.Validate()
		if err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("a disabled intake starts and stops without NATS", func(t *testing.T) {
		t.Parallel()
		in, err := events.NewCommandIntake(events.Config{}, &counting{}, events.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if in.Enabled() {
			t.Fatal("enabled without a URL")
		}
		if err := in.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := in.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func openPool(t testing.TB, dsn string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 10
	cfg.ConnConfig.RuntimeParams["search_path"] = postgres.Schema
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// blocked is a test database that refuses connections.
type blocked struct {
	admin *pgx.Conn
	name  string
}

// blockDatabase makes the database of dsn refuse new connections and ends
// the ones it has, from a connection to the maintenance database.
func blockDatabase(t testing.TB, dsn string) *blocked {
	t.Helper()
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := cfg.Database
	cfg.Database = "postgres"
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := &blocked{admin: admin, name: name}
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS false"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(ctx, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS true")
		_ = admin.Close(ctx)
	})
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *blocked) unblock(t testing.TB) {
	t.Helper()
	if _, err := b.admin.Exec(context.Background(), "ALTER DATABASE "+pgx.Identifier{b.name}.Sanitize()+" ALLOW_CONNECTIONS true"); err != nil {
		t.Fatal(err)
	}
}
