package inprocess

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// Config configures the inprocess driver. The zero value is usable.
type Config struct {
	// StateDir is the directory under which each game's state directory is
	// created. Empty: a private temporary directory, deleted by Close.
	StateDir string
	// StopTimeout is how long Stop lets an engine finish its turn; zero means
	// driver.DefaultStopTimeout, less than driver.MinStopTimeout is refused.
	StopTimeout time.Duration
	// Logger receives the driver's and the engines' logs; nil discards them.
	Logger *slog.Logger
}

// withDefaults fills the zero fields and validates the rest.
func (c Config) withDefaults() (Config, error) {
	if c.StopTimeout == 0 {
		c.StopTimeout = driver.DefaultStopTimeout
	}
	if c.StopTimeout < driver.MinStopTimeout {
		return c, fmt.Errorf("inprocess driver: stop timeout %s is shorter than the engine's own shutdown budget; use at least %s",
			c.StopTimeout, driver.MinStopTimeout)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
