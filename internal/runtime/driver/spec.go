package driver

import (
	"regexp"
	"strings"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Labels every managed engine carries (docker: on the container and its state
// volume). The reconciler finds engines by LabelBackend and matches them to
// games by LabelGameID.
const (
	LabelBackend      = "galaxy.backend"
	LabelBackendValue = "1"
	LabelGameID       = "galaxy.game_id"
)

// The engine's environment variables (see cmd/galaxy-engine) that the driver
// sets itself; a Spec must not set them.
const (
	EnvToken    = "GALAXY_ENGINE_TOKEN"
	EnvAddr     = "GALAXY_ENGINE_ADDR"
	EnvStateDir = "GALAXY_ENGINE_STATE_DIR"
)

// Stop timeouts. The engine itself allows an in-flight turn 30 s to finish on
// SIGTERM (GALAXY_ENGINE_SHUTDOWN_TIMEOUT); the driver waits longer than that
// before it kills, so a stop never cuts a turn that would have completed.
// Docker's own default of 10 s is far too short.
const (
	MinStopTimeout     = 35 * time.Second
	DefaultStopTimeout = 40 * time.Second
)

// Spec is what the runtime asks a driver to start.
type Spec struct {
	// GameID identifies the game; it names the engine (galaxy-game-{id}), so
	// it must match [A-Za-z0-9][A-Za-z0-9_.-]* and be at most 128 characters.
	GameID string
	// Token is the per-game bearer token the engine requires on every call
	// but /healthz. Required.
	Token string
	// Image overrides the driver's configured engine image (docker); empty
	// uses the configured one. The inprocess driver ignores it.
	Image string
	// Limits override the driver's configured resource limits field by field;
	// zero fields use the configured ones. The inprocess driver cannot
	// enforce limits and ignores them.
	Limits Limits
	// Env adds environment variables to the engine (docker), e.g.
	// GALAXY_ENGINE_LOG_LEVEL. The variables the driver sets itself (EnvToken,
	// EnvAddr, EnvStateDir) are refused. The inprocess driver ignores Env.
	Env map[string]string
}

// Limits bounds the resources of one engine. A zero field means "the
// driver's default" (see the driver's Config).
type Limits struct {
	// MemoryBytes is the memory limit in bytes (swap is not added on top).
	MemoryBytes int64
	// NanoCPUs is the CPU quota in billionths of a CPU (1e9 = one CPU).
	NanoCPUs int64
	// PidsLimit bounds the number of processes and threads.
	PidsLimit int64
}

// Or returns l with every zero field taken from def.
func (l Limits) Or(def Limits) Limits {
	if l.MemoryBytes == 0 {
		l.MemoryBytes = def.MemoryBytes
	}
	if l.NanoCPUs == 0 {
		l.NanoCPUs = def.NanoCPUs
	}
	if l.PidsLimit == 0 {
		l.PidsLimit = def.PidsLimit
	}
	return l
}

// Validate reports what is wrong with l as an errs.InvalidArgument.
func (l Limits) Validate() error {
	switch {
	case l.MemoryBytes < 0:
		return errs.E(errs.InvalidArgument, "memory limit must not be negative").WithDetail("field", "memory_bytes")
	case l.MemoryBytes > 0 && l.MemoryBytes < 6<<20:
		// Docker refuses less than 6 MiB; say so before it does.
		return errs.E(errs.InvalidArgument, "memory limit must be at least 6 MiB").WithDetail("field", "memory_bytes")
	case l.NanoCPUs < 0:
		return errs.E(errs.InvalidArgument, "CPU limit must not be negative").WithDetail("field", "nano_cpus")
	case l.PidsLimit < 0:
		return errs.E(errs.InvalidArgument, "pids limit must not be negative").WithDetail("field", "pids_limit")
	}
	return nil
}

// gameIDPattern is what Docker accepts in a container name, so that every
// driver accepts the same ids.
var gameIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// maxGameIDLen keeps names and volume names well under Docker's limits.
const maxGameIDLen = 128

// ValidateGameID reports whether id can name an engine, as an
// errs.InvalidArgument.
func ValidateGameID(id string) error {
	if id == "" {
		return errs.E(errs.InvalidArgument, "game id is required").WithDetail("field", "game_id")
	}
	if len(id) > maxGameIDLen || !gameIDPattern.MatchString(id) {
		return errs.E(errs.InvalidArgument, "game id %q cannot name an engine: want [A-Za-z0-9][A-Za-z0-9_.-]*, at most %d characters", id, maxGameIDLen).
			WithDetail("field", "game_id")
	}
	return nil
}

// Validate reports what is wrong with s as an errs.InvalidArgument.
func (s Spec) Validate() error {
	if err := ValidateGameID(s.GameID); err != nil {
		return err
	}
	if strings.TrimSpace(s.Token) == "" {
		return errs.E(errs.InvalidArgument, "engine token is required").WithDetail("field", "token")
	}
	if err := s.Limits.Validate(); err != nil {
		return err
	}
	for k := range s.Env {
		switch {
		case k == EnvToken || k == EnvAddr || k == EnvStateDir:
			return errs.E(errs.InvalidArgument, "environment variable %s is set by the driver", k).WithDetail("field", "env")
		case k == "" || strings.ContainsAny(k, "=\x00"):
			return errs.E(errs.InvalidArgument, "environment variable name %q is invalid", k).WithDetail("field", "env")
		}
	}
	return nil
}

// EngineName returns the stable name of a game's engine: the container name
// for docker, so an operator finds it with `docker ps`.
func EngineName(gameID string) string { return "galaxy-game-" + gameID }

// StateName returns the name of a game's persisted state: the Docker volume,
// or the inprocess driver's directory under its state dir.
func StateName(gameID string) string { return "galaxy-game-" + gameID + "-state" }
