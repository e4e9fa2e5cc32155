package docker

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/internal/keylock"
)

// errClosed is returned by every call after Close.
var errClosed = errs.E(errs.Unavailable, "docker engine driver is closed")

// Driver runs engines as Docker containers. Create it with New.
type Driver struct {
	cfg     Config
	cli     *client.Client
	log     *slog.Logger
	network string       // user-defined network, "" in publish mode
	port    network.Port // EnginePort/tcp
	locks   keylock.Locks
	closed  atomic.Bool
}

var _ driver.Driver = (*Driver)(nil)

// New returns a driver over cfg. It does not contact the daemon (the API
// version is negotiated on the first call); Ping does.
func New(cfg Config) (*Driver, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	opts := []client.Opt{client.FromEnv}
	if cfg.Host != "" {
		opts = append(opts, client.WithHost(cfg.Host))
	}
	cli, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("docker driver: client: %w", err)
	}
	netName, _ := cfg.networkName() // validated above
	port, _ := network.PortFrom(EnginePort, network.TCP)
	return &Driver{
		cfg:     cfg,
		cli:     cli,
		log:     cfg.Logger.With("driver", driver.KindDocker),
		network: netName,
		port:    port,
	}, nil
}

// Kind implements driver.Driver.
func (d *Driver) Kind() string { return driver.KindDocker }

// Client returns the Docker client the driver uses, for diagnostics and
// tests; callers must not close it.
func (d *Driver) Client() *client.Client { return d.cli }

// Ping implements driver.Driver: the daemon answers and speaks an API
// version this client supports.
func (d *Driver) Ping(ctx context.Context) error {
	if d.closed.Load() {
		return errClosed
	}
	ctx, cancel := d.apiCtx(ctx)
	defer cancel()
	if _, err := d.cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		return errs.Wrap(err, errs.Unavailable, "Docker daemon at %s does not answer", d.cli.DaemonHost())
	}
	return nil
}

// Close implements driver.Driver: containers keep running for the next
// backend to adopt; only the client's connections are released.
func (d *Driver) Close(context.Context) error {
	if d.closed.Swap(true) {
		return nil
	}
	return d.cli.Close()
}

// lock serialises the operations on one game within this backend and
// refuses them after Close. Several backends sharing a daemon are kept apart
// by their labels, and Docker's unique names settle the rest (a Conflict).
func (d *Driver) lock(ctx context.Context, gameID string) (func(), error) {
	if d.closed.Load() {
		return nil, errClosed
	}
	unlock, err := d.locks.Lock(ctx, gameID)
	if err != nil {
		return nil, errs.Wrap(err, errs.Unavailable, "waiting for another operation on the engine of game %s", gameID)
	}
	return unlock, nil
}

// apiCtx bounds one Docker API call.
func (d *Driver) apiCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if d.cfg.APITimeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d.cfg.APITimeout)
}

// labels returns the labels of a game's container and volume.
func (d *Driver) labels(gameID string) map[string]string {
	l := make(map[string]string, len(d.cfg.Labels)+2)
	for k, v := range d.cfg.Labels {
		l[k] = v
	}
	l[driver.LabelBackend] = driver.LabelBackendValue
	l[driver.LabelGameID] = gameID
	return l
}

// owns reports whether labels mark a container as this backend's engine of
// gameID.
func (d *Driver) owns(labels map[string]string, gameID string) bool {
	for k, v := range d.labels(gameID) {
		if labels[k] != v {
			return false
		}
	}
	return true
}
