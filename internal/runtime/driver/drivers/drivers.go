// Package drivers builds the engine driver named in configuration
// (BACKEND_RUNTIME_DRIVER), so the composition root needs one call whatever
// the kind. It is apart from package driver because it imports every
// implementation, which themselves import driver.
package drivers

import (
	"fmt"

	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/docker"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/inprocess"
)

// DefaultKind is the driver used when none is configured: in-process
// engines need nothing installed, which suits `galaxy dev` and tests.
const DefaultKind = driver.KindInprocess

// Config selects and configures a driver. Only the section of the selected
// kind is used.
type Config struct {
	// Kind is driver.KindInprocess or driver.KindDocker; empty means
	// DefaultKind.
	Kind string
	// Inprocess configures the inprocess driver.
	Inprocess inprocess.Config
	// Docker configures the docker driver.
	Docker docker.Config
}

// Kinds lists the kinds New accepts, for configuration help and errors.
func Kinds() []string { return []string{driver.KindInprocess, driver.KindDocker} }

// New returns the driver of cfg.Kind. It does not contact Docker: start the
// driver through driver.Component (which pings) to fail fast when the daemon
// is down.
func New(cfg Config) (driver.Driver, error) {
	switch cfg.Kind {
	case "", driver.KindInprocess:
		return inprocess.New(cfg.Inprocess)
	case driver.KindDocker:
		return docker.New(cfg.Docker)
	}
	return nil, fmt.Errorf("runtime driver %q is unknown: want one of %v", cfg.Kind, Kinds())
}
