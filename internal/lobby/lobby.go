// Package lobby owns games before, around and after play: creation,
// applications and invitations, memberships, the game state machine, race
// name bindings (through the Race Name Directory), the sweeper, and the
// cascade that releases everything a permanently blocked user held.
//
// Every status change is a compare-and-set on the current status in one
// transaction with its side effects: the history row, race-name bindings,
// notification intents and requests to the runtime. Concurrent commands
// therefore cannot both win, and a failed command leaves nothing behind.
package lobby

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Game statuses.
const (
	StatusEnrollmentOpen = "enrollment_open"
	StatusReady          = "ready"
	StatusStarting       = "starting"
	StatusRunning        = "running"
	StatusPaused         = "paused"
	StatusStartFailed    = "start_failed"
	StatusFinished       = "finished"
	StatusCancelled      = "cancelled"
)

// AllStatuses lists the statuses in lifecycle order.
var AllStatuses = []string{StatusEnrollmentOpen, StatusReady, StatusStarting, StatusRunning, StatusPaused,
	StatusStartFailed, StatusFinished, StatusCancelled}

// Game is a stored game.
type Game = lobbystore.Game

// Intent is a notification the lobby asks for, inside its transaction.
type Intent struct {
	Kind      string
	UserIDs   []string
	Payload   map[string]any
	DedupeKey string
}

// Notifier accepts notification intents in the caller's transaction.
type Notifier interface {
	NotifyTx(ctx context.Context, tx pgx.Tx, in Intent) error
}

// Runtime is what the lobby asks of the game runtime, in the transaction
// that changes the game's status (so a request exists if and only if the
// change committed). The runtime reports back through OnRuntimeJobResult.
type Runtime interface {
	StartTx(ctx context.Context, tx pgx.Tx, gameID string) error
	StopTx(ctx context.Context, tx pgx.Tx, gameID, reason string) error
	PauseTx(ctx context.Context, tx pgx.Tx, gameID string) error
	ResumeTx(ctx context.Context, tx pgx.Tx, gameID string) error
}

// RaceNames is the Race Name Directory as the lobby uses it; every write
// joins the lobby's transaction. Reserve answers conflict when the name's
// canonical key is bound to another user.
type RaceNames interface {
	Reserve(ctx context.Context, tx pgx.Tx, userID, gameID, name string) (racenames.Binding, error)
	Release(ctx context.Context, tx pgx.Tx, userID, gameID string) error
	ReleaseGame(ctx context.Context, tx pgx.Tx, gameID string) error
	ReleaseAllByUser(ctx context.Context, tx pgx.Tx, userID string) (int, error)
	MarkPending(ctx context.Context, tx pgx.Tx, gameID string, finishedAt time.Time, survivorUserIDs []string) error
	HandOver(ctx context.Context, tx pgx.Tx, fromUserID, toUserID, gameID string) (bool, error)
}

// Actor says who changes a game, for the history.
type Actor struct {
	Kind string // user, admin or system
	ID   string
}

// Service is the lobby module.
type Service struct {
	db       *postgres.DB
	river    *river.Client[pgx.Tx]
	names    RaceNames
	notifier Notifier
	runtime  Runtime
	logger   *slog.Logger
	now      func() time.Time
	// minTurnInterval bounds how often a schedule may fire (see
	// SetMinTurnInterval); zero allows every minute.
	minTurnInterval time.Duration
}

// SetMinTurnInterval refuses, from now on, new games whose schedule fires
// two turns closer than d (BACKEND_RUNTIME_MIN_TURN_INTERVAL). Call it
// before serving.
func (s *Service) SetMinTurnInterval(d time.Duration) { s.minTurnInterval = d }

// New builds the service. Register its workers with RegisterWorkers.
func New(db *postgres.DB, riverClient *river.Client[pgx.Tx], names RaceNames, notifier Notifier, runtime Runtime, logger *slog.Logger) *Service {
	return &Service{db: db, river: riverClient, names: names, notifier: notifier, runtime: runtime,
		logger: logger.With("module", "lobby"), now: time.Now}
}
