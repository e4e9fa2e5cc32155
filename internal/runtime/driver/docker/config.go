package docker

import (
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// Defaults of Config.
const (
	// DefaultImage is what `make engine-image` builds.
	DefaultImage = "galaxy-engine:dev"
	// DefaultNetwork publishes the engine port on the host's loopback.
	DefaultNetwork = NetworkPublish
	// DefaultPublishIP keeps published engine ports off other interfaces.
	DefaultPublishIP = "127.0.0.1"
	// DefaultAPITimeout bounds each Docker API call but the stop itself.
	DefaultAPITimeout = 30 * time.Second
)

// DefaultLimits are the resource limits of an engine when the Config and
// the Spec set none: plenty for a game of a few dozen races, small enough
// that a runaway engine cannot starve the host.
var DefaultLimits = driver.Limits{
	MemoryBytes: 512 << 20,
	NanoCPUs:    1_000_000_000,
	PidsLimit:   256,
}

// NetworkPublish is the network mode that publishes the engine port on the
// host; "network:<name>" is the other (see the package doc).
const NetworkPublish = "publish"

// networkPrefix introduces the name of a user-defined network.
const networkPrefix = "network:"

// EnginePort is the port the engine listens on inside its container.
const EnginePort = 8090

// stateMount is where the state volume is mounted in the container.
const stateMount = "/state"

// Config configures the docker driver. The zero value uses the defaults.
type Config struct {
	// Host is the Docker daemon address, e.g. "unix:///var/run/docker.sock"
	// or "tcp://10.0.0.5:2376". Empty: DOCKER_HOST and its companions
	// (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_API_VERSION) as the docker
	// CLI reads them, else the local unix socket.
	Host string
	// Image is the engine image (BACKEND_RUNTIME_ENGINE_IMAGE); a Spec may
	// override it per game. Default DefaultImage. It must exist on the
	// Docker host: the driver never pulls.
	Image string
	// Limits are every engine's resource limits (BACKEND_RUNTIME_ENGINE_MEMORY,
	// BACKEND_RUNTIME_ENGINE_CPUS, ...); zero fields take DefaultLimits, and
	// a Spec may override them per game.
	Limits driver.Limits
	// Network is how the backend reaches engines
	// (BACKEND_RUNTIME_DOCKER_NETWORK): "publish" (default) or
	// "network:<name>". See the package doc.
	Network string
	// PublishIP is the host address engine ports are published on in
	// publish mode; default 127.0.0.1. With an unspecified address (0.0.0.0)
	// the backend still reaches engines over loopback.
	PublishIP string
	// StopTimeout is how long Stop lets an engine finish its turn before
	// Docker kills it; default driver.DefaultStopTimeout, less than
	// driver.MinStopTimeout is refused. It is also set as the container's
	// own stop timeout, so `docker stop` by an operator waits as long.
	StopTimeout time.Duration
	// APITimeout bounds each Docker API call (the stop itself gets
	// StopTimeout on top); default DefaultAPITimeout.
	APITimeout time.Duration
	// Labels are extra labels put on every container and volume and required
	// by List, Inspect, Stop and Remove, so that several backends (or test
	// runs) can share a Docker host without adopting each other's engines.
	Labels map[string]string
	// Logger receives the driver's logs; nil discards them.
	Logger *slog.Logger
}

// withDefaults fills the zero fields and validates the rest.
func (c Config) withDefaults() (Config, error) {
	if c.Image == "" {
		c.Image = DefaultImage
	}
	c.Limits = c.Limits.Or(DefaultLimits)
	if c.Network == "" {
		c.Network = DefaultNetwork
	}
	if c.PublishIP == "" {
		c.PublishIP = DefaultPublishIP
	}
	if c.StopTimeout == 0 {
		c.StopTimeout = driver.DefaultStopTimeout
	}
	if c.APITimeout == 0 {
		c.APITimeout = DefaultAPITimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}

	var problems []string
	if err := c.Limits.Validate(); err != nil {
		problems = append(problems, "limits: "+err.Error())
	}
	if _, err := c.networkName(); err != nil {
		problems = append(problems, err.Error())
	}
	if _, err := netip.ParseAddr(c.PublishIP); err != nil {
		problems = append(problems, fmt.Sprintf("publish IP %q is not an IP address", c.PublishIP))
	}
	if c.StopTimeout < driver.MinStopTimeout {
		problems = append(problems, fmt.Sprintf("stop timeout %s is shorter than the engine's own shutdown budget; use at least %s", c.StopTimeout, driver.MinStopTimeout))
	}
	if c.APITimeout < 0 {
		problems = append(problems, "API timeout must not be negative")
	}
	for k := range c.Labels {
		if k == driver.LabelBackend || k == driver.LabelGameID || k == "" {
			problems = append(problems, fmt.Sprintf("label %q is reserved or empty", k))
		}
	}
	if len(problems) > 0 {
		return c, fmt.Errorf("docker driver: %s", strings.Join(problems, "; "))
	}
	return c, nil
}

// networkName returns the user-defined network of "network:<name>" mode, or
// "" in publish mode.
func (c Config) networkName() (string, error) {
	switch {
	case c.Network == NetworkPublish:
		return "", nil
	case strings.HasPrefix(c.Network, networkPrefix) && len(c.Network) > len(networkPrefix):
		name := strings.TrimPrefix(c.Network, networkPrefix)
		switch name {
		case "bridge", "host", "none", "default":
			// Built-in networks have no DNS for container names (or, for
			// host, no port of its own): the endpoint would not resolve.
			return "", fmt.Errorf("network %q cannot be used: engines are reached by container name, which needs a user-defined network", name)
		}
		return name, nil
	}
	return "", fmt.Errorf("network mode %q: want %q or \"network:<name>\"", c.Network, NetworkPublish)
}
