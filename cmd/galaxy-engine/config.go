package main

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// config is the engine process's configuration, all from the environment so
// the backend's Docker driver can set it per container.
type config struct {
	Token           string
	Addr            string
	StateDir        string
	ShutdownTimeout time.Duration
	LogLevel        slog.Level
}

// envHelp documents every variable; --help prints it.
const envHelp = `Environment:
  GALAXY_ENGINE_TOKEN             per-game bearer token every call but /healthz must carry (required)
  GALAXY_ENGINE_ADDR              listen address (default ":8090")
  GALAXY_ENGINE_STATE_DIR         directory where the state is persisted after every init and turn
                                  and loaded from at start (default: none, state in memory only)
  GALAXY_ENGINE_SHUTDOWN_TIMEOUT  how long a stop waits for the in-flight turn (default "30s")
  GALAXY_ENGINE_LOG_LEVEL         debug, info, warn or error (default "info")
`

// loadConfig reads the environment through getenv and reports every bad
// variable at once, one line each, so an operator fixes them in one go.
func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		Token:           getenv("GALAXY_ENGINE_TOKEN"),
		Addr:            ":8090",
		StateDir:        getenv("GALAXY_ENGINE_STATE_DIR"),
		ShutdownTimeout: 30 * time.Second,
		LogLevel:        slog.LevelInfo,
	}
	var problems []error
	if strings.TrimSpace(cfg.Token) == "" {
		problems = append(problems, errors.New("GALAXY_ENGINE_TOKEN is required"))
	}
	if v := getenv("GALAXY_ENGINE_ADDR"); v != "" {
		cfg.Addr = v
	}
	if v := getenv("GALAXY_ENGINE_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil:
			problems = append(problems, fmt.Errorf("GALAXY_ENGINE_SHUTDOWN_TIMEOUT=%q: not a duration (e.g. 30s)", v))
		case d <= 0:
			problems = append(problems, fmt.Errorf("GALAXY_ENGINE_SHUTDOWN_TIMEOUT=%q: must be positive", v))
		default:
			cfg.ShutdownTimeout = d
		}
	}
	if v := getenv("GALAXY_ENGINE_LOG_LEVEL"); v != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(v)); err != nil {
			problems = append(problems, fmt.Errorf("GALAXY_ENGINE_LOG_LEVEL=%q: want debug, info, warn or error", v))
		}
	}
	return cfg, errors.Join(problems...)
}
