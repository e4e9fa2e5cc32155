package mail_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/mail/smtptest"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

const (
	crashChildEnv  = "GALAXY_MAIL_CRASH_CHILD"
	crashDSNEnv    = "GALAXY_MAIL_CRASH_DSN"
	crashSMTPEnv   = "GALAXY_MAIL_CRASH_SMTP"
	crashBurst     = 1000
	crashKillAfter = 300
)

// runCrashChild is the mail worker process of TestCrashRecovery: it works
// mail jobs until it is killed (or asked to stop).
func runCrashChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	cfg, err := pgxpool.ParseConfig(os.Getenv(crashDSNEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cfg.MaxConns = 30
	cfg.ConnConfig.RuntimeParams["search_path"] = postgres.Schema
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer pool.Close()
	mcfg := testConfig(os.Getenv(crashSMTPEnv))
	mcfg.Concurrency = 20
	e, err := build(pool, mcfg, telemetry.NewLogger(os.Stderr, "warn"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := e.jobs.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = e.jobs.Stop(stopCtx)
	return 0
}

// TestCrashRecovery kills a real worker process (SIGKILL) in the middle of a
// burst, restarts it, and checks that every delivery ends sent, each message
// reached the SMTP server at least once, and only messages in flight at the
// kill were sent twice.
func TestCrashRecovery(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sink, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	// A little latency per message keeps the burst going long enough to be
	// interrupted half-way.
	sink.SetResponder(func(int, []byte) *smtp.SMTPError {
		time.Sleep(5 * time.Millisecond)
		return nil
	})
	dsn := pgtest.DSN(t)
	pcfg, _ := pgxpool.ParseConfig(dsn)
	pcfg.ConnConfig.RuntimeParams["search_path"] = postgres.Schema
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	producer, err := build(pool, testConfig(sink.Addr()), quiet) // insert-only: never started
	if err != nil {
		t.Fatal(err)
	}
	for batch := 0; batch < crashBurst/100; batch++ {
		err := postgres.InTx(ctx, pool, func(ctx context.Context, tx pgx.Tx) error {
			for i := range 100 {
				req := loginCode(fmt.Sprintf("player%04d@example.com", batch*100+i))
				if _, err := producer.svc.EnqueueTx(ctx, tx, req); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	child := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"=1", crashDSNEnv+"="+dsn, crashSMTPEnv+"="+sink.Addr())
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	first := child()
	for deadline := time.Now().Add(60 * time.Second); sink.Count() < crashKillAfter; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = first.Process.Kill()
			t.Fatalf("only %d messages sent in 60s", sink.Count())
		}
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	atKill := sink.Count()

	second := child()
	defer func() {
		_ = second.Process.Signal(syscall.SIGTERM)
		_ = second.Wait()
	}()
	var sent int
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM mail_deliveries WHERE status = 'sent'").Scan(&sent); err != nil {
			t.Fatal(err)
		}
		if sent == crashBurst {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d deliveries sent 3 minutes after the restart", sent, crashBurst)
		}
	}

	perDelivery := map[string]int{}
	for _, m := range sink.Messages() {
		perDelivery[m.Header.Get("X-Galaxy-Delivery-Id")]++
	}
	var ids []string
	rows, err := pool.Query(ctx, "SELECT delivery_id FROM mail_deliveries")
	if err != nil {
		t.Fatal(err)
	}
	ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	duplicates := 0
	for _, id := range ids {
		switch n := perDelivery[id]; {
		case n == 0:
			t.Errorf("delivery %s never reached the SMTP server", id)
		case n > 1:
			duplicates += n - 1
		}
	}
	t.Logf("killed after %d messages; %d deliveries, %d messages received, %d duplicates (concurrency %d)",
		atKill, len(ids), len(sink.Messages()), duplicates, 20)
	// Only attempts in flight at the kill can repeat: at most one per worker.
	if duplicates > 20 {
		t.Fatalf("%d duplicates: more than the attempts that can be in flight", duplicates)
	}
	var maxAttempts int
	if err := pool.QueryRow(ctx, "SELECT max(attempt_count) FROM mail_deliveries").Scan(&maxAttempts); err != nil {
		t.Fatal(err)
	}
	if maxAttempts > 2 {
		t.Errorf("a delivery needed %d attempts", maxAttempts)
	}
}
