package notification_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/mail/smtptest"
	"github.com/galaxy-platform/galaxy/internal/notification"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/push"
	"github.com/galaxy-platform/galaxy/internal/user"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// env is the notification module wired the way the composition root does,
// on a fresh database, with the real mail service (against an SMTP sink),
// the real push service and the real user service.
type env struct {
	svc   *notification.Service
	mail  *mail.Service
	push  *push.Service
	users *user.Service
	db    *postgres.DB
	pool  *pgxpool.Pool
	sink  *smtptest.Server
	jobs  *jobs.Client
}

type envOptions struct {
	start  bool // run the job workers (otherwise tests call Dispatch)
	cfg    func(*config.Notification)
	before func(routeID, channel string) error
	enrich notification.MailEnricher
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	sink, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sink.Close() })
	pool := pgtest.Pool(t)
	db := &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}

	mcfg := config.Mail{
		SMTPMode: config.SMTPModeSMTP, SMTPAddr: sink.Addr(), FromEmail: "galaxy@example.com", FromName: "Galaxy",
		SMTPTimeout: 5 * time.Second, DefaultLocale: "en", Concurrency: 10, MaxAttempts: 3,
		RetryBaseDelay: 50 * time.Millisecond, RetryMaxDelay: time.Second, IdempotencyTTL: time.Hour,
		DeliveryRetention: 24 * time.Hour, MalformedCommandRetention: 24 * time.Hour, CleanupInterval: time.Hour,
	}
	ncfg := config.Notification{WorkerConcurrency: 10, MaxAttempts: 8, RetryBaseDelay: 10 * time.Millisecond,
		RetryMaxDelay: 50 * time.Millisecond}
	if o.cfg != nil {
		o.cfg(&ncfg)
	}
	jc, err := jobs.New(pool, config.Jobs{
		MaxWorkers: 10, FetchCooldown: 10 * time.Millisecond, SoftStopTimeout: 5 * time.Second,
		RescueStuckAfter: 2 * time.Minute,
	}, jobs.Options{Queues: map[string]river.QueueConfig{
		mail.Queue:         mail.QueueConfig(mcfg),
		notification.Queue: notification.QueueConfig(ncfg),
	}}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	mailSvc, err := mail.New(mcfg, db, jc, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	mailSvc.RegisterWorkers(jc)
	pushSvc, err := push.NewService(push.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	users := user.New(db, pgnotify.NewListener(pool, quiet), quiet)
	svc := notification.New(ncfg, db, jc.River(), mailSvc, pushSvc, users, quiet)
	if o.before != nil {
		notification.SetBeforeAttempt(svc, o.before)
	}
	if o.enrich != nil {
		svc.SetMailEnricher(o.enrich)
	}
	svc.RegisterWorkers(jc)
	if o.start {
		if err := jc.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = jc.Stop(ctx)
		})
	}
	return &env{svc: svc, mail: mailSvc, push: pushSvc, users: users, db: db, pool: pool, sink: sink, jobs: jc}
}

// user creates an account and returns its id.
func (e *env) user(t testing.TB, email string) string {
	t.Helper()
	var id string
	err := e.db.InTx(context.Background(), func(ctx context.Context, tx pgx.Tx) error {
		u, _, err := e.users.FindOrCreateByEmailTx(ctx, tx, email, "")
		id = u.UserID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// notify commits one intent in its own transaction.
func (e *env) notify(t testing.TB, in notification.Intent) {
	t.Helper()
	if err := e.db.InTx(context.Background(), func(ctx context.Context, tx pgx.Tx) error {
		return e.svc.NotifyTx(ctx, tx, in)
	}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

type routeRow struct {
	ID, Channel, Status, UserID string
	Attempts                    int
}

// routes lists the routes of a kind, by user and channel.
func (e *env) routes(t *testing.T, kind string) []routeRow {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), `SELECT r.route_id, r.channel, r.status, n.user_id, r.attempts
		FROM notification_routes r JOIN notifications n USING (notification_id)
		WHERE n.kind = $1 ORDER BY n.user_id, r.channel`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []routeRow
	for rows.Next() {
		var r routeRow
		if err := rows.Scan(&r.ID, &r.Channel, &r.Status, &r.UserID, &r.Attempts); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// approved is a complete lobby.application.approved intent.
func approved(key string, users ...string) notification.Intent {
	return notification.Intent{Kind: "lobby.application.approved", UserIDs: users, DedupeKey: key,
		Payload: map[string]any{"game_id": "gam_1", "game_name": "Andromeda", "race_name": "Vogons", "status": "enrollment_open"}}
}
