// Package notification turns domain intents into an in-app inbox and into
// deliveries over push and email.
//
// An intent is accepted inside the caller's transaction (NotifyTx): one
// notifications row per recipient (the inbox; a repeated dedupe key is a
// no-op), one notification_routes row per recipient and enabled channel
// (per-user preferences over per-kind defaults), and one River job for the
// intent's routes. A rolled-back caller leaves nothing behind.
//
// notification_routes is the record of truth; the dispatch worker drives each
// route to delivered (the attempts of concurrent jobs share one
// transaction), retrying with backoff, and after
// BACKEND_NOTIFICATION_MAX_ATTEMPTS (or at once, for failures a retry cannot
// fix) moves it to notification_dead_letters, from which an operator may
// replay it. An email route enqueues one mail delivery whose idempotency key
// is the route id, in the same transaction that marks the route delivered, so
// a retried worker never mails twice.
package notification

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/groupcommit"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/push"
	"github.com/galaxy-platform/galaxy/internal/user"
)

// Queue is the River queue that carries route dispatches.
const Queue = "notifications"

// Channels a route delivers over.
const (
	ChannelPush  = "push"
	ChannelEmail = "email"
)

// Route statuses.
const (
	RoutePending   = "pending"
	RouteDelivered = "delivered"
	RouteDead      = "dead"
)

// KnownKinds are the kinds users can set preferences for (the contract's
// list, plus the lobby's enrollment reminder). Intents of other kinds are
// still accepted, with the default channels.
var KnownKinds = []string{
	"auth.session.revoked",
	"game.finished",
	"game.message.received",
	"game.race.handed_over",
	"game.race.offered",
	"game.race.removed",
	"game.substitute.approved",
	"game.substitute.claimed",
	"game.substitute.rejected",
	"game.turn.ready",
	"game.turn.reminder",
	"lobby.application.approved",
	"lobby.application.rejected",
	"lobby.application.submitted",
	"lobby.game.cancelled",
	"lobby.game.enrollment_short",
	"lobby.game.start_failed",
	"lobby.game.started",
	"lobby.game.starting",
	"lobby.invite.created",
	"lobby.membership.blocked",
}

// EmailTemplates maps the kinds that may be mailed to their mail template;
// only these kinds get email routes.
var EmailTemplates = map[string]string{
	"lobby.game.started":         "game.started",
	"lobby.invite.created":       "lobby.invite.created",
	"lobby.application.approved": "lobby.application.approved",
	"game.turn.ready":            "game.turn.ready",
	"game.turn.reminder":         "game.turn.reminder",
	"game.race.removed":          "game.race.removed",
	"game.race.offered":          "game.race.offered",
	"game.race.handed_over":      "game.race.handed_over",
	"game.substitute.approved":   "game.substitute.approved",
	"game.message.received":      "game.message.received",
	"game.finished":              "game.finished",
}

// TemplateKeys lists the data keys each mail template needs; a route whose
// payload cannot provide them fails at once with a reason naming them.
var TemplateKeys = map[string][]string{
	"game.started":               {"game_name", "next_turn_at", "turn_schedule"},
	"lobby.invite.created":       {"inviter_name", "game_name", "enrollment_ends_at", "game_id"},
	"lobby.application.approved": {"game_name", "race_name"},
	"game.turn.ready":            {"turn", "game_name", "race_name", "next_turn_at"},
	"game.turn.reminder":         {"turn", "game_name", "race_name", "next_turn_at"},
	"game.race.removed":          {"turn", "game_name", "race_name"},
	"game.race.offered":          {"turn", "game_name", "race_name"},
	"game.race.handed_over":      {"turn", "game_name", "race_name"},
	"game.substitute.approved":   {"turn", "game_name", "race_name"},
	"game.message.received":      {"game_name", "race_name", "from_race", "body", "to_all"},
	"game.finished":              {"game_name", "turn", "winners", "survived", "race_name"},
}

// emailByDefault are the kinds mailed unless the user opts out.
var emailByDefault = map[string]bool{
	"lobby.invite.created":       true,
	"lobby.application.approved": true,
	"lobby.game.started":         true,
	"game.turn.ready":            true,
	"game.turn.reminder":         true,
	"game.race.removed":          true,
	"game.race.offered":          true,
	"game.race.handed_over":      true,
	"game.substitute.approved":   true,
	"game.message.received":      true,
	"game.finished":              true,
}

// IsKnownKind reports whether kind is one of KnownKinds.
func IsKnownKind(kind string) bool { return slices.Contains(KnownKinds, kind) }

// DefaultPreference is the routing of a kind for a user who never changed it:
// push for every kind, email for the kinds mailed by default.
func DefaultPreference(kind string) Preference {
	p := Preference{Kind: kind, Push: true, Email: emailByDefault[kind]}
	if kind == KindTurnReady {
		p.ReportFormat = ReportInline
	}
	return p
}

// Intent is a notification asked for by a domain module.
type Intent struct {
	// Kind names what happened, e.g. "lobby.application.approved".
	Kind string
	// UserIDs are the recipients; duplicates are ignored.
	UserIDs []string
	// Payload is shown in the inbox, pushed, and feeds the mail template.
	Payload map[string]any
	// DedupeKey makes a repeated intent a no-op per recipient; empty means
	// the intent is never deduplicated.
	DedupeKey string
}

// Mailer accepts mail deliveries inside a transaction (mail.Service).
// EnqueueManyTx answers each request on its own: invalid_argument for one
// that cannot be rendered, conflict for an idempotency key reused with a
// different request.
type Mailer interface {
	EnqueueManyTx(ctx context.Context, tx pgx.Tx, reqs []mail.Request) ([]mail.Outcome, error)
}

// Publisher sends an event to the users' gateways (push.Service).
type Publisher interface {
	Publish(e push.Event) uint64
}

// Users resolves a recipient's address and name (user.Service). Get returns
// not_found for an unknown user.
type Users interface {
	Get(ctx context.Context, id string) (user.User, error)
}

// Service is the notification module.
type Service struct {
	cfg    config.Notification
	db     *postgres.DB
	river  *river.Client[pgx.Tx]
	mailer Mailer
	pub    Publisher
	users  Users
	logger *slog.Logger
	// enrich, when set, adds to a mail's data what only the mail may carry
	// (SetMailEnricher).
	enrich MailEnricher

	// attempts runs the attempts of concurrent dispatch jobs in shared
	// transactions (see attemptBatch): a job's routes in, their failures
	// out.
	attempts *groupcommit.Batcher[[]string, []error]

	// beforeAttempt, when set (tests), runs at the start of every attempt;
	// its error fails the attempt.
	beforeAttempt func(routeID, channel string) error
}

// MailEnricher adds to the data of a notification's mail, in the route's
// transaction, what must never be stored in the notification itself: a
// secret drawn for this mail only (a new orders password), or a large body
// read at sending time (a report). data already holds the payload.
type MailEnricher interface {
	EnrichMailTx(ctx context.Context, tx pgx.Tx, kind, userID string, data map[string]any) ([]mail.Attachment, error)
}

// SetMailEnricher sets the enricher; call it before the workers start.
func (s *Service) SetMailEnricher(e MailEnricher) { s.enrich = e }

// New builds the service. Register its worker with RegisterWorkers.
func New(cfg config.Notification, db *postgres.DB, riverClient *river.Client[pgx.Tx], mailer Mailer, pub Publisher,
	users Users, logger *slog.Logger) *Service {
	s := &Service{cfg: cfg, db: db, river: riverClient, mailer: mailer, pub: pub, users: users,
		logger: logger.With("module", "notification")}
	s.attempts = groupcommit.New(maxBatch, s.attemptBatch)
	return s
}

// QueueConfig sizes the notifications queue: MaxWorkers / FetchCooldown caps
// a queue's throughput, so the cooldown is short on purpose (an intent to a
// whole game fans out to several routes at once).
func QueueConfig(cfg config.Notification) river.QueueConfig {
	return river.QueueConfig{MaxWorkers: cfg.WorkerConcurrency, FetchCooldown: 10 * time.Millisecond}
}
