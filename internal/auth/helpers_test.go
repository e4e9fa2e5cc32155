package auth_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

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

// testConfig has the production defaults, with rate limits generous enough
// that only the tests about them meet them.
func testConfig() config.Auth {
	return config.Auth{
		SessionTTL: 720 * time.Hour,
		CodeTTL:    10 * time.Minute,
		EmailEvery: time.Hour, EmailBurst: 50,
		IPEvery: time.Hour, IPBurst: 50,
		AdminSessionTTL: 12 * time.Hour,
	}
}

// fakeGeo stands where the geo module plugs in: every address is in the
// Netherlands, and sign-ins are counted.
type fakeGeo struct {
	mu      sync.Mutex
	signIns []string
}

func (*fakeGeo) Country(netip.Addr) string { return "NL" }

func (g *fakeGeo) RecordSignIn(country string) {
	g.mu.Lock()
	g.signIns = append(g.signIns, country)
	g.mu.Unlock()
}

func (g *fakeGeo) counted() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.signIns...)
}

// env is the auth module on a fresh database with the real user and mail
// modules (mail in stub mode: sign-in mail is recorded, never sent).
type env struct {
	svc   *auth.Service
	users *user.Service
	cfg   config.Auth
	geo   *fakeGeo
	db    *postgres.DB
	pool  *pgxpool.Pool
}

func newEnv(t *testing.T, mutate func(*config.Auth)) *env {
	t.Helper()
	cfg := testConfig()
	if mutate != nil {
		mutate(&cfg)
	}
	return replica(t, pgtest.Pool(t), cfg, false)
}

// replica builds the auth module (and the user module under it) on pool,
// as one more backend process on the same database would have it. With
// listen it receives the other replicas' cache notifications.
func replica(t *testing.T, pool *pgxpool.Pool, cfg config.Auth, listen bool) *env {
	t.Helper()
	db := &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}
	mcfg := config.Mail{
		SMTPMode: config.SMTPModeStub, FromEmail: "galaxy@example.com", FromName: "Galaxy",
		DefaultLocale: "en", Concurrency: 1, MaxAttempts: 3, RetryBaseDelay: time.Second,
		RetryMaxDelay: time.Minute, IdempotencyTTL: time.Hour, DeliveryRetention: time.Hour,
		MalformedCommandRetention: time.Hour, CleanupInterval: time.Hour,
	}
	// Never started: the stub suppresses sign-in mail, so no job is run.
	jc, err := jobs.New(pool, config.Jobs{MaxWorkers: 1, FetchCooldown: time.Second,
		SoftStopTimeout: time.Second, RescueStuckAfter: time.Minute}, jobs.Options{}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	mailSvc, err := mail.New(mcfg, db, jc, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := pgnotify.NewListener(pool, quiet)
	users := user.New(db, l, quiet)
	geo := &fakeGeo{}
	svc := auth.New(cfg, db, users, mailSvc, geo, l, quiet)
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
	return &env{svc: svc, users: users, cfg: cfg, geo: geo, db: db, pool: pool}
}

var clientIP = netip.MustParseAddr("203.0.113.7")

// codeOf reads a challenge's code from the sign-in mail queued for it:
// what its owner would read in their inbox.
func (e *env) codeOf(t *testing.T, challengeID string) string {
	t.Helper()
	var code string
	err := e.pool.QueryRow(context.Background(), `
		SELECT p.data->>'code' FROM mail_deliveries d JOIN mail_delivery_payloads p USING (delivery_id)
		WHERE d.idempotency_key = 'auth.login_code:' || $1`, challengeID).Scan(&code)
	if err != nil {
		t.Fatalf("no sign-in mail for %s: %v", challengeID, err)
	}
	return code
}

// requestCode asks for a code for email and returns the challenge and code.
func (e *env) requestCode(t *testing.T, email string) (auth.Challenge, string) {
	t.Helper()
	ch, err := e.svc.RequestCode(context.Background(), email, "en", clientIP)
	if err != nil {
		t.Fatal(err)
	}
	return ch, e.codeOf(t, ch.ID)
}

// signIn walks the whole email-code flow.
func (e *env) signIn(t *testing.T, email string) auth.SignIn {
	t.Helper()
	ch, code := e.requestCode(t, email)
	in, err := e.svc.CreateSession(context.Background(), ch.ID, code, clientIP, "test-agent/1.0")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// setStatus blocks or unblocks a user the way the admin module does.
func (e *env) setStatus(t *testing.T, userID, status string) {
	t.Helper()
	var u user.User
	err := e.db.InTx(context.Background(), func(ctx context.Context, tx pgx.Tx) (err error) {
		u, err = e.users.SetStatusTx(ctx, tx, userID, status, "test")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.users.AfterWrite(u)
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

// wrongCode returns a well-formed code that is not code.
func wrongCode(code string, i int) string {
	for n := i; ; n++ {
		if c := fmt.Sprintf("%06d", n%1_000_000); c != code {
			return c
		}
	}
}
