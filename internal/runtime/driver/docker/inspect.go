package docker

import (
	"context"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// Inspect implements driver.Driver.
func (d *Driver) Inspect(ctx context.Context, gameID string) (driver.Engine, error) {
	if err := driver.ValidateGameID(gameID); err != nil {
		return driver.Engine{}, err
	}
	if d.closed.Load() {
		return driver.Engine{}, errClosed
	}
	c, err := d.inspectOwned(ctx, gameID)
	if err != nil {
		return driver.Engine{}, err
	}
	if c == nil {
		return driver.Engine{GameID: gameID, Name: driver.EngineName(gameID), Status: driver.StatusMissing}, nil
	}
	return d.toEngine(gameID, c), nil
}

// List implements driver.Driver. It is one API call: entries carry what the
// container list holds (no timestamps, no exit code).
func (d *Driver) List(ctx context.Context) ([]driver.Engine, error) {
	if d.closed.Load() {
		return nil, errClosed
	}
	f := client.Filters{}
	for k, v := range d.labels("") {
		if k != driver.LabelGameID {
			f.Add("label", k+"="+v)
		}
	}
	ctx, cancel := d.apiCtx(ctx)
	defer cancel()
	res, err := d.cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return nil, dockerErr(err, "list engine containers")
	}
	out := make([]driver.Engine, 0, len(res.Items))
	for _, s := range res.Items {
		gameID := s.Labels[driver.LabelGameID]
		if driver.ValidateGameID(gameID) != nil {
			// Labelled by hand or by a broken backend: no game to match it
			// with, and no name the other methods could address.
			d.log.Warn("labelled container without a valid game id ignored", "container_id", s.ID, "names", s.Names)
			continue
		}
		e := driver.Engine{
			GameID: gameID,
			ID:     s.ID,
			Name:   driver.EngineName(gameID),
			Image:  s.Image,
			State:  string(s.State),
			Status: driver.StatusExited,
		}
		if len(s.Names) > 0 {
			e.Name = strings.TrimPrefix(s.Names[0], "/")
		}
		if s.State == container.StateRunning {
			e.Status = driver.StatusRunning
			e.Endpoint = d.endpoint(e.Name, publishedPort(s.Ports))
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GameID < out[j].GameID })
	return out, nil
}

// inspectOwned returns the container of gameID, nil when there is none, and
// errs.Conflict when the name is taken by a container this backend does not
// manage.
func (d *Driver) inspectOwned(ctx context.Context, gameID string) (*container.InspectResponse, error) {
	name := driver.EngineName(gameID)
	ctx, cancel := d.apiCtx(ctx)
	defer cancel()
	res, err := d.cli.ContainerInspect(ctx, name, client.ContainerInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, dockerErr(err, "inspect container %s", name)
	}
	c := &res.Container
	var labels map[string]string
	if c.Config != nil {
		labels = c.Config.Labels
	}
	if !d.owns(labels, gameID) {
		return nil, errs.E(errs.Conflict, "container %s exists but is not this backend's engine of game %s (labels differ); remove or rename it", name, gameID).
			WithDetail("container_id", c.ID)
	}
	if c.State == nil {
		return nil, errs.E(errs.Internal, "container %s has no state", name)
	}
	return c, nil
}

// toEngine describes an inspected container.
func (d *Driver) toEngine(gameID string, c *container.InspectResponse) driver.Engine {
	e := driver.Engine{
		GameID:     gameID,
		ID:         c.ID,
		Name:       strings.TrimPrefix(c.Name, "/"),
		Status:     driver.StatusExited,
		State:      string(c.State.Status),
		StartedAt:  parseTime(c.State.StartedAt),
		FinishedAt: parseTime(c.State.FinishedAt),
		ExitCode:   c.State.ExitCode,
	}
	if c.Config != nil {
		e.Image = c.Config.Image
	}
	// A paused or restarting container does not serve: only a plain running
	// one counts as running, for every driver alike.
	if c.State.Running && !c.State.Paused && !c.State.Restarting {
		e.Status = driver.StatusRunning
		var port uint16
		if c.NetworkSettings != nil {
			for _, b := range c.NetworkSettings.Ports[d.port] {
				if p, err := strconv.ParseUint(b.HostPort, 10, 16); err == nil && p > 0 {
					port = uint16(p)
					break
				}
			}
		}
		e.Endpoint = d.endpoint(e.Name, port)
		if e.Endpoint == "" {
			d.log.Warn("running engine has no endpoint in this network mode", "game_id", gameID, "network", d.cfg.Network)
		}
	}
	return e
}

// endpoint returns the base URL of a running engine: its container name on
// the user-defined network, or the published host port in publish mode
// ("" without one).
func (d *Driver) endpoint(name string, hostPort uint16) string {
	if d.network != "" {
		return "http://" + net.JoinHostPort(name, strconv.Itoa(EnginePort))
	}
	if hostPort == 0 {
		return ""
	}
	ip := netip.MustParseAddr(d.cfg.PublishIP) // validated by New
	if ip.IsUnspecified() {
		// Published on every interface: loopback is one of them.
		if ip.Is4() {
			ip = netip.AddrFrom4([4]byte{127, 0, 0, 1})
		} else {
			ip = netip.IPv6Loopback()
		}
	}
	return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(int(hostPort)))
}

// publishedPort returns the host port the engine port is published on in a
// container list entry, 0 if none.
func publishedPort(ports []container.PortSummary) uint16 {
	for _, p := range ports {
		if p.PrivatePort == EnginePort && p.Type == "tcp" && p.PublicPort != 0 {
			return p.PublicPort
		}
	}
	return 0
}

// parseTime reads Docker's timestamps; Docker's zero time
// ("0001-01-01T00:00:00Z") and garbage are the zero time.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() <= 1 {
		return time.Time{}
	}
	return t.UTC()
}
