package driver

import "context"

// The kinds of driver, as named in configuration (BACKEND_RUNTIME_DRIVER).
const (
	KindInprocess = "inprocess"
	KindDocker    = "docker"
)

// Driver runs the engines of games. One engine per game id: the driver, not
// the caller, names the underlying process or container from the id, so a
// restarted backend finds its engines again (List, Inspect) and adopts them.
//
// Every error is an *errs.Error. Codes common to all methods:
// errs.InvalidArgument for a malformed game id or spec; errs.Unavailable when
// the underlying system (the Docker daemon) cannot be reached, the call timed
// out or ctx ended, or the driver is closed; errs.Internal for anything else.
// Method comments list the codes specific to them.
//
// Implementations are safe for concurrent use; calls for the same game are
// serialised by the driver.
type Driver interface {
	// Kind returns the driver's kind, e.g. KindDocker.
	Kind() string

	// Ping checks that the driver can work (the Docker daemon answers), so
	// the backend fails fast at start and /readyz can report it.
	// Errors: errs.Unavailable.
	Ping(ctx context.Context) error

	// Start creates and starts the engine of spec.GameID and returns it
	// running. The engine keeps its state across Stop and Start: a new start
	// continues from the state the last one persisted, until Remove.
	//
	// When the game's engine is already running with the same token it is
	// adopted as it is (a backend restarting, or a retried start); otherwise
	// a stopped engine is replaced by a new one over the same state, and a
	// running one with another token is stopped and replaced. The returned
	// Endpoint is not necessarily answering yet: see WaitHealthy.
	//
	// Errors: errs.FailedPrecondition when the engine cannot be created as
	// configured (image or network missing); errs.Conflict when the name of
	// the game's engine is taken by something this backend does not manage,
	// or another start for the game raced this one.
	Start(ctx context.Context, spec Spec) (Engine, error)

	// Stop stops the game's engine gracefully: the engine gets the driver's
	// stop timeout (at least MinStopTimeout, longer than the engine's own 30 s
	// shutdown budget) to finish its turn and persist it, then is killed.
	// ctx should leave that much time. The engine's state is kept. Stopping
	// an engine that is not running succeeds.
	//
	// Errors: errs.NotFound when the game has no engine; errs.Conflict when
	// the engine's name is taken by something this backend does not manage.
	Stop(ctx context.Context, gameID string) error

	// Remove deletes the game's engine, stopped or not (without grace: the
	// game is over), and its persisted state. Removing an engine that does
	// not exist succeeds, so Remove can be retried.
	//
	// Errors: errs.Conflict when the engine's name is taken by something this
	// backend does not manage, or its state is still in use elsewhere.
	Remove(ctx context.Context, gameID string) error

	// Inspect returns the game's engine. A game without an engine is not an
	// error: the result has Status StatusMissing and only GameID and Name set.
	//
	// Errors: errs.Conflict when the engine's name is taken by something this
	// backend does not manage.
	Inspect(ctx context.Context, gameID string) (Engine, error)

	// List returns every engine this backend manages (docker: every
	// container labelled galaxy.backend=1, plus the configured extra labels),
	// running or not, sorted by game id. It includes engines the backend has
	// no record of, for the reconciler to adopt or remove. Entries carry at
	// least GameID, ID, Name, Status and State, and Endpoint when running;
	// StartedAt, FinishedAt and ExitCode may need an Inspect.
	List(ctx context.Context) ([]Engine, error)

	// Close releases the driver. Engines that live in the backend process
	// (inprocess) are stopped gracefully within ctx; containers keep running,
	// to be adopted by the next backend. After Close every method fails with
	// errs.Unavailable.
	Close(ctx context.Context) error
}
