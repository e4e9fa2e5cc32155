// Package mail delivers email durably: templates rendered at intake,
// deliveries recorded in PostgreSQL in the caller's transaction, and one River
// job per delivery that attempts it through SMTP (or the stub provider) with
// retries, backoff and dead letters.
//
// mail_deliveries is the record of truth; River only drives the attempts.
// Delivery is at least once: every attempt first claims its delivery, which
// succeeds only while the delivery is queued or sending, so a retried or
// rescued job never resends a recorded success; but a process killed between
// the SMTP server's acceptance and the commit that records it sends the
// message again after restart (with the same Message-ID).
//
// Attempts are cheap on purpose: the claim and the record of a success are
// one statement each, shared by the attempts running at the same time
// (batch.go), River completes the jobs in its own batches, and connections
// to the SMTP relay are kept between attempts (provider.go).
package mail

import (
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"go.opentelemetry.io/otel/metric"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/groupcommit"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail/mailstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Delivery statuses.
const (
	StatusQueued     = "queued"
	StatusSending    = "sending"
	StatusSent       = "sent"
	StatusSuppressed = "suppressed"
	StatusFailed     = "failed"
	StatusCancelled  = "cancelled"
)

// Delivery sources, recorded for operators.
const (
	SourceInternalAPI = "internal_api"
	SourceInProcess   = "in_process"
	SourceCommand     = "command"
	SourceResend      = "resend"
)

// Queue is the River queue that carries mail attempts.
const Queue = "mail"

// maxRecipients bounds one delivery; platform mail goes to one person.
const maxRecipients = 50

// Service is the mail module: intake, attempts, operator reads, resend and
// retention.
type Service struct {
	cfg      config.Mail
	db       *postgres.DB
	river    *river.Client[pgx.Tx]
	catalog  *Catalog
	provider Provider
	logger   *slog.Logger
	metrics  *metrics
	now      func() time.Time

	// claims and sents batch the two statements of every attempt across
	// the attempts running at the same time (see groupcommit).
	claims *groupcommit.Batcher[string, claim]
	sents  *groupcommit.Batcher[mailstore.InsertAttemptParams, struct{}]
}

// maxBatch bounds the deliveries one batched claim or success record
// carries.
const maxBatch = 100

// New builds the service, loading and validating the template catalog (a
// broken template fails here, at start-up). Register its workers with
// RegisterWorkers before the job client starts.
func New(cfg config.Mail, db *postgres.DB, jobsClient *jobs.Client, logger *slog.Logger, meter metric.Meter) (*Service, error) {
	catalog, err := LoadCatalog(cfg.TemplateDir, cfg.DefaultLocale)
	if err != nil {
		return nil, err
	}
	var provider Provider
	switch cfg.SMTPMode {
	case config.SMTPModeStub:
		provider = &stubProvider{logger: logger}
	default:
		if provider, err = newSMTPProvider(cfg); err != nil {
			return nil, err
		}
	}
	s := &Service{
		cfg:      cfg,
		db:       db,
		river:    jobsClient.River(),
		catalog:  catalog,
		provider: provider,
		logger:   logger.With("module", "mail"),
		now:      time.Now,
	}
	s.claims = groupcommit.New(maxBatch, s.claimBatch)
	s.sents = groupcommit.New(maxBatch, s.recordSentBatch)
	if s.metrics, err = newMetrics(meter, s); err != nil {
		return nil, err
	}
	return s, nil
}

// QueueConfig sizes the mail queue: MaxWorkers / FetchCooldown caps a
// queue's throughput, so the cooldown is short on purpose.
func QueueConfig(cfg config.Mail) river.QueueConfig {
	return river.QueueConfig{MaxWorkers: cfg.Concurrency, FetchCooldown: 10 * time.Millisecond}
}

// Catalog returns the template catalog.
func (s *Service) Catalog() *Catalog { return s.catalog }

// ProviderName reports which provider sends mail ("smtp" or "stub").
func (s *Service) ProviderName() string { return s.provider.Name() }

// isAuthTemplate reports templates that carry credentials (sign-in codes):
// the stub provider suppresses them rather than pretending to send them.
func isAuthTemplate(name string) bool { return strings.HasPrefix(name, "auth.") }

// pool returns the pool for reads outside a transaction.
func (s *Service) pool() *pgxpool.Pool { return s.db.Pool }
