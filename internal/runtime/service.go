package runtime

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/galaxy-platform/galaxy/internal/groupcommit"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// Queues of the runtime's jobs. Starts have their own queue so that slow
// engine starts (image pulls, health waits) never hold back due turns.
const (
	QueueStart = "runtime_start"
	QueueTurn  = "runtime_turn"
)

// MaxJobTimeout bounds every runtime job (a start or replacement: driver
// start, health wait and init; a turn: the engine and the commit).
// BACKEND_JOBS_RESCUE_STUCK_AFTER must exceed it, or River would hand a job
// still running to a second worker.
const MaxJobTimeout = 4 * time.Minute

// fetchCooldown is the runtime queues' pause between fetches while jobs
// keep coming: River's default (100 ms) would cap a queue at MaxWorkers
// jobs per 100 ms, below what one replica can run when every game shares a
// tick.
const fetchCooldown = 10 * time.Millisecond

// turnPollInterval is how often the turn queue looks for due jobs when no
// insert notified it. River's scheduler makes a tick's jobs available a few
// seconds ahead of the tick, without a notification (they are not due
// yet), so the poll is what starts them: River's default (1 s) would add up
// to a second to the lag of every tick. An idle poll is one indexed query.
const turnPollInterval = 100 * time.Millisecond

// Config tunes the runtime. Zero fields take the defaults below.
type Config struct {
	// StartWorkers bounds concurrent engine starts on this replica
	// (default 4): each holds a health wait and an init.
	StartWorkers int
	// TurnWorkers bounds concurrent turns on this replica (default 128).
	// A turn holds no database connection while its engine runs, and turns
	// that reach a database step together share one transaction (see
	// turn_batch.go), so more workers mean bigger batches, not more
	// connections: when every game shares a tick, a few workers leave
	// both the engines and the database waiting on round trips.
	TurnWorkers int
	// StartMaxAttempts bounds the attempts of one start before the game is
	// reported start_failed (default 5).
	StartMaxAttempts int
	// TurnMaxAttempts bounds the attempts of one turn job (default 20, so an
	// engine outage of about an hour is ridden out).
	TurnMaxAttempts int
	// HealthTimeout bounds the wait for a new engine's /healthz (default
	// driver.DefaultHealthTimeout).
	HealthTimeout time.Duration
	// RetryBaseDelay and RetryMaxDelay shape the backoff between attempts
	// (defaults 1 s and 5 min).
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// ReconcileInterval is the period of the reconciler's passes (default
	// 30 s; negative: no periodic pass, for tests that call Reconcile).
	ReconcileInterval time.Duration
	// HealthFailures is how many health probes in a row a running engine
	// may fail before it is replaced (default 3).
	HealthFailures int
	// ProbeConcurrency bounds the reconciler's health probes in flight
	// (default 16), and ProbeTimeout each probe (default 2 s).
	ProbeConcurrency int
	ProbeTimeout     time.Duration
}

func (c Config) withDefaults() Config {
	if c.StartWorkers <= 0 {
		c.StartWorkers = 4
	}
	if c.TurnWorkers <= 0 {
		c.TurnWorkers = 128
	}
	if c.StartMaxAttempts <= 0 {
		c.StartMaxAttempts = 5
	}
	if c.TurnMaxAttempts <= 0 {
		c.TurnMaxAttempts = 20
	}
	if c.HealthTimeout <= 0 {
		c.HealthTimeout = driver.DefaultHealthTimeout
	}
	if c.RetryBaseDelay <= 0 {
		c.RetryBaseDelay = time.Second
	}
	if c.RetryMaxDelay <= 0 {
		c.RetryMaxDelay = 5 * time.Minute
	}
	if c.ReconcileInterval == 0 {
		c.ReconcileInterval = 30 * time.Second
	}
	if c.HealthFailures <= 0 {
		c.HealthFailures = 3
	}
	if c.ProbeConcurrency <= 0 {
		c.ProbeConcurrency = 16
	}
	if c.ProbeTimeout <= 0 {
		c.ProbeTimeout = 2 * time.Second
	}
	return c
}

// Queues returns the River queues the runtime's jobs need, sized from cfg;
// pass them to jobs.New (Options.Queues).
func Queues(cfg Config) map[string]river.QueueConfig {
	cfg = cfg.withDefaults()
	return map[string]river.QueueConfig{
		QueueStart: {MaxWorkers: cfg.StartWorkers, FetchCooldown: fetchCooldown},
		QueueTurn:  {MaxWorkers: cfg.TurnWorkers, FetchCooldown: fetchCooldown, FetchPollInterval: turnPollInterval},
	}
}

// Lobby is what the runtime reports to, inside its own transactions.
// *lobby.Service implements it.
type Lobby interface {
	// OnRuntimeJobResultTx moves a starting game to running or start_failed.
	OnRuntimeJobResultTx(ctx context.Context, tx pgx.Tx, gameID string, success bool, reason string) (lobby.Game, error)
	// FinishTx ends a running game; survivors' race names become pending.
	FinishTx(ctx context.Context, tx pgx.Tx, gameID string, survivorUserIDs []string) (lobby.Game, error)
	// RemoveRacesTx ends the memberships of races the engine removed as
	// idle at turn, and tells their players.
	RemoveRacesTx(ctx context.Context, tx pgx.Tx, gameID string, userIDs []string, turn int) error
	// OfferRacesTx offers the races of idle players to substitutes (the
	// substitute policy), and tells the players.
	OfferRacesTx(ctx context.Context, tx pgx.Tx, gameID string, userIDs []string, turn int) error
	// QuitRacesTx ends the memberships of races whose players left the
	// game with the q order.
	QuitRacesTx(ctx context.Context, tx pgx.Tx, gameID string, userIDs []string) error
	// ReserveRaceNameTx reserves the name a race's c order asks for before
	// the turn, returning why it is refused ("" when reserved).
	ReserveRaceNameTx(ctx context.Context, tx pgx.Tx, gameID, gameName, userID, name string) (string, error)
	// SetRaceNameTx makes a membership's race name the engine's after the
	// turn, and the directory's reservation with it.
	SetRaceNameTx(ctx context.Context, tx pgx.Tx, gameID, userID, name string) error
}

// Service is the game runtime. It implements lobby.Runtime.
type Service struct {
	db      *postgres.DB
	drv     driver.Driver
	river   *river.Client[pgx.Tx]
	lobby   Lobby
	notify  lobby.Notifier
	push    Pusher
	cfg     Config
	logger  *slog.Logger
	now     func() time.Time
	metrics *metrics
	cache   *RecordCache
	// opens and commits group the two database steps of concurrent turns
	// (see turn_batch.go).
	opens   *groupcommit.Batcher[turnCall, openedTurn]
	commits *groupcommit.Batcher[ranTurn, turnOutcome]
}

var _ lobby.Runtime = (*Service)(nil)

// New builds the runtime over the process's job client (register the
// workers with RegisterWorkers before the client starts) and a driver; its
// record cache listens to listener. The
// lobby and the runtime need each other: build the runtime first, give it to
// lobby.New, then call SetLobby before any job runs.
func New(db *postgres.DB, drv driver.Driver, jc *jobs.Client, listener *pgnotify.Listener, cfg Config, logger *slog.Logger) *Service {
	m, _ := newMetrics(nil) // no-op instruments cannot fail; RegisterMetrics replaces them
	s := &Service{db: db, drv: drv, river: jc.River(), cfg: cfg.withDefaults(), cache: newRecordCache(db),
		logger: logger.With("module", "runtime"), now: time.Now, metrics: m}
	s.opens = groupcommit.New(turnBatchMax, s.openTurns)
	s.commits = groupcommit.New(turnBatchMax, s.commitTurns)
	listener.Handle(recordNotifyKind, s.cache.invalidate)
	listener.OnResync(s.cache.Warm)
	return s
}

// Cache returns the record cache (a lifecycle component with Ready).
func (s *Service) Cache() *RecordCache { return s.cache }

// SetLobby gives the runtime the lobby it reports to. Call it once, before
// the job client starts.
func (s *Service) SetLobby(l Lobby) { s.lobby = l }

// SetNotifier sets where turn notifications go (game.turn.ready,
// game.finished), in the turn's own transaction.
func (s *Service) SetNotifier(n lobby.Notifier) { s.notify = n }

// RegisterWorkers adds the runtime's workers to c, and the reconciler's
// periodic pass unless Config.ReconcileInterval is negative.
func (s *Service) RegisterWorkers(c *jobs.Client) {
	jobs.Register(c, &startWorker{s: s})
	jobs.Register(c, &turnWorker{s: s})
	jobs.Register(c, &reminderWorker{s: s})
	jobs.Register(c, &stopWorker{s: s})
	jobs.Register(c, &replaceWorker{s: s})
	jobs.Register(c, &reconcileWorker{s: s})
	if s.cfg.ReconcileInterval > 0 {
		s.registerReconciler(c.River())
	}
}

// liveStates makes a job unique only while it may still run: a completed
// or abandoned job does not block asking again (a restart after
// start_failed, a turn rescheduled after a pause). River requires the first
// four.
var liveStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled, rivertype.JobStateRetryable,
}
