package docker

import (
	"context"
	"crypto/subtle"
	"net/netip"
	"sort"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// Start implements driver.Driver. See the package doc for what is created
// and when an existing container is adopted. Besides the interface's
// errors: errs.FailedPrecondition names a missing image (build it with
// `make engine-image`) or network.
func (d *Driver) Start(ctx context.Context, spec driver.Spec) (driver.Engine, error) {
	if err := spec.Validate(); err != nil {
		return driver.Engine{}, err
	}
	unlock, err := d.lock(ctx, spec.GameID)
	if err != nil {
		return driver.Engine{}, err
	}
	defer unlock()

	cur, err := d.inspectOwned(ctx, spec.GameID)
	if err != nil {
		return driver.Engine{}, err
	}
	if cur != nil {
		if d.adoptable(cur, spec.Token) {
			d.log.Info("engine adopted", "game_id", spec.GameID, "container_id", cur.ID)
			return d.toEngine(spec.GameID, cur), nil
		}
		d.log.Info("engine container replaced", "game_id", spec.GameID, "container_id", cur.ID, "state", cur.State.Status)
		if cur.State.Running {
			// Running with another token or network: let its turn finish
			// and persist before the new container takes the volume over.
			if err := d.stopContainer(ctx, cur.ID); err != nil {
				return driver.Engine{}, err
			}
		}
		if err := d.removeContainer(ctx, cur.ID); err != nil {
			return driver.Engine{}, err
		}
	}

	image := spec.Image
	if image == "" {
		image = d.cfg.Image
	}
	if err := d.checkImage(ctx, image); err != nil {
		return driver.Engine{}, err
	}
	if err := d.checkNetwork(ctx); err != nil {
		return driver.Engine{}, err
	}
	if err := d.createVolume(ctx, spec.GameID); err != nil {
		return driver.Engine{}, err
	}
	id, err := d.create(ctx, spec, image)
	if err != nil {
		return driver.Engine{}, err
	}
	if err := d.startContainer(ctx, id); err != nil {
		// Leave nothing half-made; the volume (the game's state) stays.
		if rmErr := d.removeContainer(context.WithoutCancel(ctx), id); rmErr != nil {
			d.log.Warn("container that failed to start cannot be removed", "container_id", id, "err", rmErr)
		}
		return driver.Engine{}, err
	}
	c, err := d.inspectOwned(ctx, spec.GameID)
	if err != nil {
		return driver.Engine{}, err
	}
	if c == nil {
		return driver.Engine{}, errs.E(errs.Unavailable, "engine container of game %s vanished right after it started", spec.GameID)
	}
	e := d.toEngine(spec.GameID, c)
	d.log.Info("engine started", "game_id", spec.GameID, "container_id", e.ID, "image", image, "endpoint", e.Endpoint)
	return e, nil
}

// adoptable reports whether a running container can serve the spec as it
// is: same token (the backend could not call it otherwise) and the
// configured network mode (the endpoint would not be reachable otherwise).
// The image may differ: running games keep theirs until their next start.
func (d *Driver) adoptable(c *container.InspectResponse, token string) bool {
	if !c.State.Running || c.State.Paused || c.State.Restarting || c.Config == nil || c.HostConfig == nil {
		return false
	}
	want := []byte(driver.EnvToken + "=" + token)
	tokenOK := false
	for _, kv := range c.Config.Env {
		if subtle.ConstantTimeCompare([]byte(kv), want) == 1 {
			tokenOK = true
		}
	}
	if !tokenOK {
		return false
	}
	if d.network != "" {
		return string(c.HostConfig.NetworkMode) == d.network
	}
	return len(c.HostConfig.PortBindings[d.port]) > 0
}

// checkImage fails with a clear precondition when image is not on the host.
func (d *Driver) checkImage(ctx context.Context, image string) error {
	ctx, cancel := d.apiCtx(ctx)
	defer cancel()
	_, err := d.cli.ImageInspect(ctx, image)
	if cerrdefs.IsNotFound(err) {
		return errs.E(errs.FailedPrecondition,
			"engine image %s is not on the Docker host: build it with `make engine-image` (ENGINE_IMAGE=%s), or load or pull it there", image, image).
			WithDetail("image", image)
	}
	return dockerErr(err, "inspect engine image %s", image)
}

// checkNetwork fails with a clear precondition when the configured network
// does not exist; publish mode needs none.
func (d *Driver) checkNetwork(ctx context.Context) error {
	if d.network == "" {
		return nil
	}
	ctx, cancel := d.apiCtx(ctx)
	defer cancel()
	_, err := d.cli.NetworkInspect(ctx, d.network, client.NetworkInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return errs.E(errs.FailedPrecondition,
			"Docker network %s does not exist: create it (docker network create %s) and attach the backend's container to it", d.network, d.network).
			WithDetail("network", d.network)
	}
	return dockerErr(err, "inspect network %s", d.network)
}

// createVolume creates the game's state volume, or finds it: creating an
// existing volume is a no-op in Docker.
func (d *Driver) createVolume(ctx context.Context, gameID string) error {
	ctx, cancel := d.apiCtx(ctx)
	defer cancel()
	name := driver.StateName(gameID)
	_, err := d.cli.VolumeCreate(ctx, client.VolumeCreateOptions{Name: name, Labels: d.labels(gameID)})
	return dockerErr(err, "create state volume %s", name)
}

// create creates the game's container and returns its id.
func (d *Driver) create(ctx context.Context, spec driver.Spec, image string) (string, error) {
	name := driver.EngineName(spec.GameID)
	limits := spec.Limits.Or(d.cfg.Limits)
	stopSecs := int(d.cfg.StopTimeout.Seconds())
	pids := limits.PidsLimit

	cfg := &container.Config{
		Image:        image,
		Env:          d.env(spec),
		Labels:       d.labels(spec.GameID),
		ExposedPorts: network.PortSet{d.port: {}},
		StopTimeout:  &stopSecs,
	}
	host := &container.HostConfig{
		RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyDisabled},
		Mounts: []mount.Mount{{
			Type:   mount.TypeVolume,
			Source: driver.StateName(spec.GameID),
			Target: stateMount,
		}},
		Resources: container.Resources{
			Memory: limits.MemoryBytes,
			// Equal to Memory: no swap on top, so the limit is the limit.
			MemorySwap: limits.MemoryBytes,
			NanoCPUs:   limits.NanoCPUs,
			PidsLimit:  &pids,
		},
		// The engine writes only to /state; nothing else needs privileges.
		ReadonlyRootfs: true,
		CapDrop:        []string{"ALL"},
		SecurityOpt:    []string{"no-new-privileges"},
	}
	var netCfg *network.NetworkingConfig
	if d.network != "" {
		host.NetworkMode = container.NetworkMode(d.network)
		netCfg = &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{d.network: {}}}
	} else {
		host.PortBindings = network.PortMap{d.port: {{
			HostIP:   netip.MustParseAddr(d.cfg.PublishIP), // validated by New
			HostPort: "",                                   // any free port
		}}}
	}

	ctx, cancel := d.apiCtx(ctx)
	defer cancel()
	res, err := d.cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: name, Config: cfg, HostConfig: host, NetworkingConfig: netCfg,
	})
	if cerrdefs.IsConflict(err) {
		return "", errs.Wrap(err, errs.Conflict, "container %s was created meanwhile by someone else", name)
	}
	if err != nil {
		return "", dockerErr(err, "create container %s", name)
	}
	for _, w := range res.Warnings {
		d.log.Warn("Docker warning on container create", "game_id", spec.GameID, "warning", w)
	}
	return res.ID, nil
}

// env returns the container's environment: the spec's extra variables, then
// the ones the driver owns (Validate refused them in the spec), sorted so
// that the same spec always yields the same container.
func (d *Driver) env(spec driver.Spec) []string {
	env := make([]string, 0, len(spec.Env)+3)
	for k, v := range spec.Env {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return append(env,
		driver.EnvToken+"="+spec.Token,
		driver.EnvAddr+"=:"+itoa(EnginePort),
		driver.EnvStateDir+"="+stateMount,
	)
}

// portClashAttempts bounds the starts of one container whose published
// port was taken meanwhile.
const portClashAttempts = 5

// startContainer starts a created container. Docker picks the published
// host port from the ephemeral range without knowing the host's other
// listeners and outgoing connections, so the pick can clash; each new
// attempt gets another port.
func (d *Driver) startContainer(ctx context.Context, id string) error {
	var err error
	for range portClashAttempts {
		err = d.startOnce(ctx, id)
		if err == nil || !strings.Contains(err.Error(), "address already in use") {
			break
		}
		d.log.Warn("published port of the engine was taken; starting again", "container_id", id)
	}
	return err
}

func (d *Driver) startOnce(ctx context.Context, id string) error {
	ctx, cancel := d.apiCtx(ctx)
	defer cancel()
	_, err := d.cli.ContainerStart(ctx, id, client.ContainerStartOptions{})
	return dockerErr(err, "start container %s", id)
}

// removeContainer removes a container at once (SIGKILL if running), keeping
// the state volume; a container already gone is fine.
func (d *Driver) removeContainer(ctx context.Context, id string) error {
	ctx, cancel := d.apiCtx(ctx)
	defer cancel()
	_, err := d.cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true})
	if err == nil || cerrdefs.IsNotFound(err) {
		return nil
	}
	// "removal already in progress" is a conflict that ends by itself.
	if cerrdefs.IsConflict(err) && strings.Contains(err.Error(), "already in progress") {
		return nil
	}
	return dockerErr(err, "remove container %s", id)
}
