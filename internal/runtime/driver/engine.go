package driver

import "time"

// Status is the coarse state of a game's engine, the same for every driver.
type Status string

// The statuses an engine can be in.
const (
	// StatusRunning: the engine process runs (it may not answer yet; see
	// WaitHealthy).
	StatusRunning Status = "running"
	// StatusExited: the engine exists with its state but does not run:
	// stopped, crashed, killed, or created and never started.
	StatusExited Status = "exited"
	// StatusMissing: the game has no engine (never started, or removed).
	StatusMissing Status = "missing"
)

// Engine describes a game's engine as the driver sees it.
type Engine struct {
	// GameID is the game the engine runs.
	GameID string
	// ID identifies this incarnation of the engine: the container id for
	// docker. A replaced engine gets a new ID; an adopted one keeps it.
	ID string
	// Name is the engine's stable name, galaxy-game-{game_id}.
	Name string
	// Image is the image the engine runs (docker); "inprocess" otherwise.
	Image string
	// Status is the coarse state every driver reports the same way.
	Status Status
	// State is the driver's own word for the state (docker: created,
	// running, paused, restarting, removing, exited, dead), for logs and
	// operators.
	State string
	// Endpoint is the base URL at which the backend reaches the engine, e.g.
	// "http://127.0.0.1:49153"; empty unless Status is StatusRunning.
	Endpoint string
	// StartedAt is when the engine last started; zero if it never did.
	StartedAt time.Time
	// FinishedAt is when the engine last stopped; zero while it never did.
	FinishedAt time.Time
	// ExitCode is the engine's last exit code (137 when killed); meaningful
	// only with Status StatusExited and a non-zero FinishedAt.
	ExitCode int
}
