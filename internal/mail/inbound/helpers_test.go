package inbound_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) == "1" {
		os.Exit(runCrashChild())
	}
	os.Exit(pgtest.Main(m))
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type nopNotifier struct{}

func (nopNotifier) NotifyTx(context.Context, pgx.Tx, lobby.Intent) error { return nil }

// env is the inbound pipeline over a real database and a real mail service
// (replies go to an SMTP sink), with the real lobby behind authentication.
// The runtime is absent: these tests send commands that fail before it.
type env struct {
	svc      *inbound.Service
	jobs     *jobs.Client
	pool     *pgxpool.Pool
	listener *inbound.Listener
}

func inboundConfig(smtpAddr string) config.Inbound {
	return config.Inbound{SMTPAddr: smtpAddr, Domain: "galaxy.test", Timeout: 10 * time.Second,
		SenderEvery: time.Millisecond, SenderBurst: 1_000_000, Workers: 8, Retention: time.Hour}
}

func build(pool *pgxpool.Pool, sinkAddr, smtpAddr string) (*env, error) {
	db := &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}
	icfg := inboundConfig(smtpAddr)
	mcfg := config.Mail{SMTPMode: config.SMTPModeSMTP, SMTPAddr: sinkAddr, FromEmail: "galaxy@example.com",
		FromName: "Galaxy", SMTPTimeout: 5 * time.Second, DefaultLocale: "en", Concurrency: 20, MaxAttempts: 3,
		RetryBaseDelay: 50 * time.Millisecond, RetryMaxDelay: time.Second, IdempotencyTTL: time.Hour,
		DeliveryRetention: time.Hour, MalformedCommandRetention: time.Hour, CleanupInterval: time.Hour}
	jc, err := jobs.New(pool, config.Jobs{MaxWorkers: 10, FetchCooldown: 10 * time.Millisecond,
		SoftStopTimeout: 5 * time.Second, RescueStuckAfter: 10 * time.Minute},
		jobs.Options{Queues: map[string]river.QueueConfig{mail.Queue: mail.QueueConfig(mcfg), inbound.Queue: inbound.QueueConfig(icfg)}}, quiet)
	if err != nil {
		return nil, err
	}
	mailSvc, err := mail.New(mcfg, db, jc, quiet, nil)
	if err != nil {
		return nil, err
	}
	mailSvc.RegisterWorkers(jc)
	lob := lobby.New(db, jc.River(), racenames.New(), nopNotifier{}, nil, quiet)
	svc, err := inbound.New(icfg, db, jc, inbound.Deps{Lobby: lob, Mailer: mailSvc, Notify: nopNotifier{}}, quiet, nil)
	if err != nil {
		return nil, err
	}
	svc.RegisterWorkers(jc)
	l, err := inbound.NewListener(svc)
	if err != nil {
		return nil, err
	}
	return &env{svc: svc, jobs: jc, pool: pool, listener: l}, nil
}

// poolFor opens a pool on dsn with the backend's schema.
func poolFor(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 20
	cfg.ConnConfig.RuntimeParams["search_path"] = postgres.Schema
	return pgxpool.NewWithConfig(ctx, cfg)
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// player is an account that sends commands which fail authentication
// (it plays no game): each mail gets exactly one command.refused reply.
const player = "player@example.com"

func addPlayer(t testing.TB, pool *pgxpool.Pool) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `INSERT INTO users (user_id, email, display_name) VALUES ('u1', $1, 'Player')`, player); err != nil {
		t.Fatal(err)
	}
}

// sendMail sends one message with the given Message-ID over SMTP.
func sendMail(addr, messageID string) error {
	raw := "From: " + player + "\r\nTo: orders@galaxy.test\r\nSubject: orders\r\nMessage-ID: <" + messageID + ">\r\n\r\n" +
		"#GALAXY nosuchgame Orcs secret\r\n; hello\r\n#END\r\n"
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SendMail(player, []string{"orders@galaxy.test"}, strings.NewReader(raw)); err != nil {
		return err
	}
	return c.Quit()
}

// waitProcessed waits until n inbound mails are no longer `received`.
func waitProcessed(t testing.TB, pool *pgxpool.Pool, n int, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); ; time.Sleep(10 * time.Millisecond) {
		var done int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM inbound_mails WHERE status <> 'received'`).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d inbound mails processed after %v", done, n, within)
		}
	}
}

func messageID(i int) string { return fmt.Sprintf("crash-%03d@player.example", i) }
