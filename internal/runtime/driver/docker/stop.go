package docker

import (
	"context"
	"strconv"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// Stop implements driver.Driver: Docker sends SIGTERM, waits the stop
// timeout, then SIGKILLs. The call itself is bounded by the stop timeout
// plus the API timeout, and by ctx.
func (d *Driver) Stop(ctx context.Context, gameID string) error {
	if err := driver.ValidateGameID(gameID); err != nil {
		return err
	}
	unlock, err := d.lock(ctx, gameID)
	if err != nil {
		return err
	}
	defer unlock()
	c, err := d.inspectOwned(ctx, gameID)
	if err != nil {
		return err
	}
	if c == nil {
		return errs.E(errs.NotFound, "game %s has no engine", gameID).WithDetail("game_id", gameID)
	}
	if !c.State.Running {
		return nil
	}
	if err := d.stopContainer(ctx, c.ID); err != nil {
		return err
	}
	d.log.Info("engine stopped", "game_id", gameID, "container_id", c.ID)
	return nil
}

// stopContainer stops a container gracefully within the stop timeout.
func (d *Driver) stopContainer(ctx context.Context, id string) error {
	secs := int(d.cfg.StopTimeout.Seconds())
	ctx, cancel := context.WithTimeout(ctx, d.cfg.StopTimeout+d.cfg.APITimeout)
	defer cancel()
	_, err := d.cli.ContainerStop(ctx, id, client.ContainerStopOptions{Timeout: &secs})
	return dockerErr(err, "stop container %s", id)
}

// Remove implements driver.Driver: the container is removed by force (the
// game is over, there is no turn worth waiting for), then its state volume.
// The volume is removed even when the container is already gone, so a
// Remove interrupted half-way completes when retried.
func (d *Driver) Remove(ctx context.Context, gameID string) error {
	if err := driver.ValidateGameID(gameID); err != nil {
		return err
	}
	unlock, err := d.lock(ctx, gameID)
	if err != nil {
		return err
	}
	defer unlock()
	c, err := d.inspectOwned(ctx, gameID)
	if err != nil {
		return err
	}
	if c != nil {
		if err := d.removeContainer(ctx, c.ID); err != nil {
			return err
		}
	}
	vol := driver.StateName(gameID)
	vctx, cancel := d.apiCtx(ctx)
	defer cancel()
	_, err = d.cli.VolumeRemove(vctx, vol, client.VolumeRemoveOptions{})
	switch {
	case err == nil:
	case cerrdefs.IsNotFound(err):
	case cerrdefs.IsConflict(err):
		return errs.Wrap(err, errs.Conflict, "state volume %s is still in use by another container", vol)
	default:
		return dockerErr(err, "remove state volume %s", vol)
	}
	if c != nil {
		d.log.Info("engine removed", "game_id", gameID, "container_id", c.ID)
	}
	return nil
}

// itoa formats a port.
func itoa(n int) string { return strconv.Itoa(n) }
