package admin_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/admin"
	"github.com/galaxy-platform/galaxy/internal/auth"
	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/user"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

const (
	adminName     = "root"
	adminPassword = "a long admin password"
	adminTTL      = 12 * time.Hour
)

var authConfig = config.Auth{
	SessionTTL: 720 * time.Hour, CodeTTL: 10 * time.Minute,
	EmailEvery: time.Hour, EmailBurst: 100, IPEvery: time.Hour, IPBurst: 100,
	AdminSessionTTL: adminTTL,
}

// publisher records what would be pushed to users' gateways.
type publisher struct {
	mu     sync.Mutex
	events []pushed
}

type pushed struct {
	userIDs []string
	kind    string
	payload map[string]any
}

func (p *publisher) PublishToUsers(userIDs []string, kind string, payload any) {
	m, _ := payload.(map[string]any)
	p.mu.Lock()
	p.events = append(p.events, pushed{userIDs: userIDs, kind: kind, payload: m})
	p.mu.Unlock()
}

func (p *publisher) sent() []pushed {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]pushed(nil), p.events...)
}

// cascade stands where the lobby's block cascade plugs in. It records each
// call with the user's status as seen inside the block's transaction, and
// fails when told to.
type cascade struct {
	mu    sync.Mutex
	calls []string // user id + " " + status seen in the transaction
	fail  error
}

func (c *cascade) OnUserBlockedPermanentlyTx(ctx context.Context, tx pgx.Tx, userID string) error {
	var status string
	if err := tx.QueryRow(ctx, "SELECT status FROM users WHERE user_id = $1", userID).Scan(&status); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, userID+" "+status)
	return c.fail
}

func (c *cascade) seen() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.calls...)
}

// env is the admin module on a fresh database with the real user and auth
// modules under it, and one operator account.
type env struct {
	svc     *admin.Service
	auth    *auth.Service
	users   *user.Service
	push    *publisher
	cascade *cascade
	db      *postgres.DB
	pool    *pgxpool.Pool
	adminID string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := pgtest.Pool(t)
	e := replica(t, pool, false)
	if err := admin.CreateAdmin(context.Background(), e.db, adminName, adminPassword, false); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(context.Background(), "SELECT admin_id FROM admins WHERE username = $1", adminName).Scan(&e.adminID); err != nil {
		t.Fatal(err)
	}
	return e
}

// replica builds the modules on pool as one more backend process on the
// same database would have them; with listen it receives the other
// replicas' cache notifications.
func replica(t *testing.T, pool *pgxpool.Pool, listen bool) *env {
	t.Helper()
	db := &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}
	jc, err := jobs.New(pool, config.Jobs{MaxWorkers: 1, FetchCooldown: time.Second,
		SoftStopTimeout: time.Second, RescueStuckAfter: time.Minute}, jobs.Options{}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	// Stub mail records sign-in codes without sending them (or a job).
	mailSvc, err := mail.New(config.Mail{
		SMTPMode: config.SMTPModeStub, FromEmail: "galaxy@example.com", FromName: "Galaxy", DefaultLocale: "en",
		Concurrency: 1, MaxAttempts: 3, RetryBaseDelay: time.Second, RetryMaxDelay: time.Minute,
		IdempotencyTTL: time.Hour, DeliveryRetention: time.Hour, MalformedCommandRetention: time.Hour,
		CleanupInterval: time.Hour,
	}, db, jc, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := pgnotify.NewListener(pool, quiet)
	users := user.New(db, l, quiet)
	authSvc := auth.New(authConfig, db, users, mailSvc, nil, l, quiet)
	push, casc := &publisher{}, &cascade{}
	svc := admin.New(db, users, authSvc, push, casc, adminTTL, l, quiet)
	if listen {
		if err := l.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = l.Stop(ctx)
		})
	}
	return &env{svc: svc, auth: authSvc, users: users, push: push, cascade: casc, db: db, pool: pool}
}

// signIn signs a player in through the email-code flow, reading the code
// from the recorded sign-in mail.
func (e *env) signIn(t *testing.T, email string) auth.SignIn {
	t.Helper()
	ctx := context.Background()
	ip := netip.MustParseAddr("192.0.2.10")
	ch, err := e.auth.RequestCode(ctx, email, "en", ip)
	if err != nil {
		t.Fatal(err)
	}
	var code string
	if err := e.pool.QueryRow(ctx, `SELECT p.data->>'code' FROM mail_deliveries d JOIN mail_delivery_payloads p
		USING (delivery_id) WHERE d.idempotency_key = 'auth.login_code:' || $1`, ch.ID).Scan(&code); err != nil {
		t.Fatal(err)
	}
	in, err := e.auth.CreateSession(ctx, ch.ID, code, ip, "")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// adminToken signs the operator in.
func (e *env) adminToken(t *testing.T) string {
	t.Helper()
	tok, _, err := e.svc.SignIn(context.Background(), adminName, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	return pgtest.Count(t, e.pool, query, args...)
}

func (e *env) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	pgtest.Exec(t, e.pool, query, args...)
}

// eventually is pgtest.Eventually.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	pgtest.Eventually(t, what, cond)
}

var errCascade = errors.New("lobby cascade failed")
