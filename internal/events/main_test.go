package events_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/events"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/outbox/natstest"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newMail builds the real mail module on pool the way the composition root
// does, in stub mode (nothing is sent; deliveries are recorded).
func newMail(t testing.TB, pool *pgxpool.Pool) *mail.Service {
	t.Helper()
	cfg := config.Mail{
		SMTPMode: config.SMTPModeStub, FromEmail: "galaxy@example.com", FromName: "Galaxy",
		SMTPTimeout: 5 * time.Second, DefaultLocale: "en", Concurrency: 4, MaxAttempts: 3,
		RetryBaseDelay: 50 * time.Millisecond, RetryMaxDelay: time.Second, IdempotencyTTL: time.Hour,
		DeliveryRetention: 24 * time.Hour, MalformedCommandRetention: 24 * time.Hour, CleanupInterval: time.Hour,
	}
	jc, err := jobs.New(pool, config.Jobs{
		MaxWorkers: 4, FetchCooldown: 10 * time.Millisecond, SoftStopTimeout: time.Second, RescueStuckAfter: 2 * time.Second,
	}, jobs.Options{Queues: map[string]river.QueueConfig{mail.Queue: mail.QueueConfig(cfg)}}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	// The job client is not started: deliveries and their jobs are recorded,
	// which is all the intake is responsible for.
	svc, err := mail.New(cfg, &postgres.DB{Pool: pool, OperationTimeout: 5 * time.Second}, jc, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc.RegisterWorkers(jc)
	return svc
}

// counting wraps the real mail module and counts what AcceptCommand
// answered; it changes nothing.
type counting struct {
	events.MailCommands
	mu       sync.Mutex
	ok, fail int
	lastErr  error
	// delay, when set, holds every call that long before handling it.
	delay time.Duration
	begun chan struct{}
}

func (c *counting) AcceptCommand(ctx context.Context, source string, raw []byte) (mail.Result, error) {
	if c.begun != nil {
		select {
		case c.begun <- struct{}{}:
		default:
		}
	}
	if c.delay > 0 {
		time.Sleep(c.delay)
	}
	res, err := c.MailCommands.AcceptCommand(ctx, source, raw)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.fail++
		c.lastErr = err
	} else {
		c.ok++
	}
	return res, err
}

func (c *counting) counts() (ok, fail int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ok, c.fail
}

func testConfig(url string) events.Config {
	return events.Config{
		NATSURL:        url,
		AckWait:        5 * time.Second,
		FetchWait:      100 * time.Millisecond,
		RetryBaseDelay: 100 * time.Millisecond,
		MaxRetryDelay:  500 * time.Millisecond,
		ReconnectWait:  50 * time.Millisecond,
	}
}

func startIntake(t testing.TB, cfg events.Config, commands events.MailCommands) *events.CommandIntake {
	t.Helper()
	in, err := events.NewCommandIntake(cfg, commands, events.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = in.Stop(ctx)
	})
	return in
}

// consumer waits until the intake has set up its durable consumer and
// returns the producer side's handle on it.
func consumer(t testing.TB, srv *natstest.Server) (jetstream.JetStream, jetstream.Consumer) {
	t.Helper()
	js := srv.JetStream(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := js.Consumer(ctx, "GALAXY_COMMANDS", "galaxy-backend-mail-send")
		cancel()
		if err == nil {
			return js, c
		}
		if time.Now().After(deadline) {
			t.Fatalf("the intake did not create its consumer: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func send(t testing.TB, js jetstream.JetStream, body string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := js.Publish(ctx, "galaxy.commands.mail.send", []byte(body)); err != nil {
		t.Fatal(err)
	}
}

// waitAcked waits until the consumer has nothing pending or unacknowledged
// and the work-queue stream is empty (acked commands are removed).
func waitAcked(t testing.TB, js jetstream.JetStream, c jetstream.Consumer, within time.Duration) *jetstream.ConsumerInfo {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		info, err := c.Info(ctx)
		var msgs uint64
		if err == nil {
			var s jetstream.Stream
			if s, err = js.Stream(ctx, "GALAXY_COMMANDS"); err == nil {
				var si *jetstream.StreamInfo
				if si, err = s.Info(ctx); err == nil {
					msgs = si.State.Msgs
				}
			}
		}
		cancel()
		if err == nil && info.NumPending == 0 && info.NumAckPending == 0 && info.Delivered.Consumer > 0 && msgs == 0 {
			return info
		}
		if time.Now().After(deadline) {
			t.Fatalf("command not acknowledged within %v: %+v, %d in stream, %v", within, info, msgs, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countRows(t testing.TB, pool *pgxpool.Pool, query string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const goodCommand = `{"idempotency_key":"%s","template":"auth.login_code","to":["pilot@example.com"],"locale":"en","data":{"code":"123456","expires_in_minutes":10}}`
