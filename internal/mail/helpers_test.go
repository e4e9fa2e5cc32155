package mail_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/mail/smtptest"
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

func testConfig(smtpAddr string) config.Mail {
	return config.Mail{
		SMTPMode:                  config.SMTPModeSMTP,
		SMTPAddr:                  smtpAddr,
		FromEmail:                 "galaxy@example.com",
		FromName:                  "Galaxy",
		SMTPTimeout:               5 * time.Second,
		SMTPMessagesPerConn:       100,
		DefaultLocale:             "en",
		Concurrency:               10,
		MaxAttempts:               3,
		RetryBaseDelay:            50 * time.Millisecond,
		RetryMaxDelay:             time.Second,
		IdempotencyTTL:            time.Hour,
		DeliveryRetention:         24 * time.Hour,
		MalformedCommandRetention: 24 * time.Hour,
		CleanupInterval:           time.Hour,
	}
}

type env struct {
	svc  *mail.Service
	pool *pgxpool.Pool
	sink *smtptest.Server
	jobs *jobs.Client
}

// newEnv builds a mail service on a fresh database against a real SMTP
// sink. start=false leaves the job client insert-only (nothing is sent).
func newEnv(t testing.TB, mutate func(*config.Mail), start bool) *env {
	t.Helper()
	sink, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sink.Close() })
	cfg := testConfig(sink.Addr())
	if mutate != nil {
		mutate(&cfg)
	}
	pool := pgtest.Pool(t)
	e, err := build(pool, cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	e.sink = sink
	if start {
		if err := e.jobs.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = e.jobs.Stop(ctx)
		})
	}
	return e
}

// build wires jobs and mail the way the composition root does.
func build(pool *pgxpool.Pool, cfg config.Mail, logger *slog.Logger) (*env, error) {
	jc, err := jobs.New(pool, config.Jobs{
		MaxWorkers: 10, FetchCooldown: 10 * time.Millisecond, SoftStopTimeout: 5 * time.Second,
		RescueStuckAfter: 2 * time.Second,
	}, jobs.Options{Queues: map[string]river.QueueConfig{mail.Queue: mail.QueueConfig(cfg)}}, logger)
	if err != nil {
		return nil, err
	}
	svc, err := mail.New(cfg, &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}, jc, logger, nil)
	if err != nil {
		return nil, err
	}
	svc.RegisterWorkers(jc)
	return &env{svc: svc, pool: pool, jobs: jc}, nil
}

func waitStatus(t testing.TB, svc *mail.Service, id, want string, within time.Duration) *mail.Detail {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		d, err := svc.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == want {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery %s is %s after %v, want %s (attempts %d, last error %v)",
				id, d.Status, within, want, d.AttemptCount, deref(d.LastError))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func loginCode(to string) mail.Request {
	return mail.Request{Template: "auth.login_code", To: []string{to}, Locale: "en",
		Data: map[string]any{"code": "123456", "expires_in_minutes": 10}}
}
