package docker

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/drivertest"
)

// TestDocker runs against the real Docker Engine of this machine; it skips
// only when no daemon answers.
func TestDocker(t *testing.T) {
	t.Parallel()
	env := newDockerEnv(t)

	t.Run("conformance", func(t *testing.T) {
		t.Parallel()
		drivertest.Run(t,
			func(*testing.T) driver.Driver { return env.drv },
			drivertest.WithUnmanaged(env.startUnmanaged))
	})

	t.Run("a killed engine is seen exited and restarts from its volume", func(t *testing.T) {
		t.Parallel()
		d := env.drv
		spec := gameSpec()
		removeGame(t, d, spec.GameID)
		e := startHealthy(t, d, spec)
		c := engineClient(t, e.Endpoint, spec.Token)
		initAndTurn(t, c, spec.GameID)

		if _, err := env.cli.ContainerKill(t.Context(), e.ID, client.ContainerKillOptions{Signal: "KILL"}); err != nil {
			t.Fatalf("docker kill: %v", err)
		}
		got := waitStatus(t, d, spec.GameID, driver.StatusExited)
		if got.ExitCode != 137 || got.Endpoint != "" || got.FinishedAt.IsZero() || got.ID != e.ID {
			t.Errorf("Inspect after kill = %+v, want exited %s with code 137", got, e.ID)
		}

		e2 := startHealthy(t, d, spec)
		if e2.ID == e.ID {
			t.Errorf("Start after kill reused container %s, want a new one", e.ID)
		}
		resp, err := engineClient(t, e2.Endpoint, spec.Token).Turn(t.Context(), engine.TurnRequest{Turn: 1})
		if err != nil || resp.Turn != 1 {
			t.Errorf("Turn 1 after the restart = %v, %v; want the stored turn 1", resp, err)
		}
	})

	t.Run("a labelled container with no game record is listed and adopted", func(t *testing.T) {
		t.Parallel()
		spec := gameSpec()
		removeGame(t, env.drv, spec.GameID)
		id := env.createLabelled(t, spec)

		var found driver.Engine
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			all, err := env.drv.List(t.Context())
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			i := slices.IndexFunc(all, func(e driver.Engine) bool { return e.GameID == spec.GameID })
			if i >= 0 && all[i].Status == driver.StatusRunning {
				found = all[i]
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if found.ID != id || found.Endpoint == "" || found.Name != driver.EngineName(spec.GameID) {
			t.Fatalf("List entry = %+v, want running container %s with an endpoint", found, id)
		}
		adopted := startHealthy(t, env.drv, spec)
		if adopted.ID != id || adopted.Endpoint != found.Endpoint {
			t.Errorf("Start = %s at %s, want the adopted %s at %s", adopted.ID, adopted.Endpoint, id, found.Endpoint)
		}
		initAndTurn(t, engineClient(t, adopted.Endpoint, spec.Token), spec.GameID)
	})

	t.Run("the container carries the spec's limits, labels, env, volume and restart policy", func(t *testing.T) {
		t.Parallel()
		spec := gameSpec()
		spec.Limits = driver.Limits{MemoryBytes: 64 << 20, NanoCPUs: 500_000_000}
		spec.Env = map[string]string{"GALAXY_ENGINE_LOG_LEVEL": "debug"}
		removeGame(t, env.drv, spec.GameID)
		e := startHealthy(t, env.drv, spec)

		res, err := env.cli.ContainerInspect(t.Context(), e.ID, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c := res.Container
		h := c.HostConfig
		if h.Memory != 64<<20 || h.MemorySwap != 64<<20 || h.NanoCPUs != 500_000_000 || h.PidsLimit == nil || *h.PidsLimit != DefaultLimits.PidsLimit {
			t.Errorf("resources = memory %d swap %d cpus %d pids %v", h.Memory, h.MemorySwap, h.NanoCPUs, h.PidsLimit)
		}
		if h.RestartPolicy.Name != container.RestartPolicyDisabled || !h.ReadonlyRootfs || !slices.Contains(h.CapDrop, "CAP_ALL") && !slices.Contains(h.CapDrop, "ALL") {
			t.Errorf("restart %q, read-only %v, cap drop %v", h.RestartPolicy.Name, h.ReadonlyRootfs, h.CapDrop)
		}
		if c.Config.StopTimeout == nil || *c.Config.StopTimeout < int(driver.MinStopTimeout.Seconds()) {
			t.Errorf("container stop timeout = %v, want at least %s", c.Config.StopTimeout, driver.MinStopTimeout)
		}
		for _, kv := range []string{"GALAXY_ENGINE_TOKEN=" + spec.Token, "GALAXY_ENGINE_ADDR=:8090", "GALAXY_ENGINE_STATE_DIR=/state", "GALAXY_ENGINE_LOG_LEVEL=debug"} {
			if !slices.Contains(c.Config.Env, kv) {
				t.Errorf("env %v lacks %s", c.Config.Env, strings.SplitN(kv, "=", 2)[0])
			}
		}
		if c.Config.Labels[driver.LabelBackend] != "1" || c.Config.Labels[driver.LabelGameID] != spec.GameID || c.Config.Image != env.image {
			t.Errorf("labels %v, image %s", c.Config.Labels, c.Config.Image)
		}
		i := slices.IndexFunc(c.Mounts, func(m container.MountPoint) bool { return m.Destination == "/state" })
		if i < 0 || c.Mounts[i].Type != mount.TypeVolume || c.Mounts[i].Name != driver.StateName(spec.GameID) || !c.Mounts[i].RW {
			t.Errorf("mounts = %+v, want volume %s at /state", c.Mounts, driver.StateName(spec.GameID))
		}
		port, _ := network.PortFrom(EnginePort, network.TCP)
		b := c.NetworkSettings.Ports[port]
		if len(b) != 1 || b[0].HostIP != netip.MustParseAddr("127.0.0.1") || !strings.HasSuffix(e.Endpoint, ":"+b[0].HostPort) {
			t.Errorf("port bindings %+v, endpoint %s: want one on 127.0.0.1", b, e.Endpoint)
		}
	})

	t.Run("a missing image is a failed precondition naming it and make engine-image", func(t *testing.T) {
		t.Parallel()
		spec := gameSpec()
		spec.Image = "galaxy-engine-test:missing-" + env.run
		removeGame(t, env.drv, spec.GameID)
		_, err := env.drv.Start(t.Context(), spec)
		if errs.CodeOf(err) != errs.FailedPrecondition || !strings.Contains(err.Error(), spec.Image) || !strings.Contains(err.Error(), "make engine-image") {
			t.Errorf("Start = %v, want a failed precondition naming %s and make engine-image", err, spec.Image)
		}
	})

	t.Run("a container with the engine's name but not its labels is refused and left alone", func(t *testing.T) {
		t.Parallel()
		spec := gameSpec()
		res, err := env.cli.ContainerCreate(t.Context(), client.ContainerCreateOptions{
			Name:   driver.EngineName(spec.GameID),
			Config: &container.Config{Image: env.image, Labels: map[string]string{runLabel: env.run}},
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.drv.Start(t.Context(), spec)
		wantConflict(t, "Start", err)
		_, err = env.drv.Inspect(t.Context(), spec.GameID)
		wantConflict(t, "Inspect", err)
		wantConflict(t, "Stop", env.drv.Stop(t.Context(), spec.GameID))
		wantConflict(t, "Remove", env.drv.Remove(t.Context(), spec.GameID))
		if _, err := env.cli.ContainerInspect(t.Context(), res.ID, client.ContainerInspectOptions{}); err != nil {
			t.Errorf("the foreign container is gone: %v", err)
		}
	})

	t.Run("network mode attaches the engine to the network and names it in the endpoint", func(t *testing.T) {
		t.Parallel()
		name := "galaxy-test-" + env.run
		if _, err := env.cli.NetworkCreate(t.Context(), name, client.NetworkCreateOptions{
			Driver: "bridge", Internal: true, Labels: map[string]string{runLabel: env.run},
		}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = env.cli.NetworkRemove(context.Background(), name, client.NetworkRemoveOptions{}) })
		d := env.newDriver(t, Config{Network: "network:" + name})
		spec := gameSpec()
		removeGame(t, d, spec.GameID)
		e, err := d.Start(t.Context(), spec)
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		if want := "http://" + driver.EngineName(spec.GameID) + ":8090"; e.Endpoint != want {
			t.Errorf("Endpoint = %q, want %q", e.Endpoint, want)
		}
		res, err := env.cli.ContainerInspect(t.Context(), e.ID, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := res.Container.NetworkSettings.Networks[name]; !ok || len(res.Container.HostConfig.PortBindings) != 0 {
			t.Errorf("networks %v, port bindings %v: want only network %s, nothing published",
				keys(res.Container.NetworkSettings.Networks), res.Container.HostConfig.PortBindings, name)
		}
		// The same game started by a publish-mode backend is recreated, not
		// adopted: its endpoint would not be reachable.
		e2, err := env.drv.Start(t.Context(), spec)
		if err != nil {
			t.Fatalf("Start in publish mode: %v", err)
		}
		if e2.ID == e.ID || !strings.HasPrefix(e2.Endpoint, "http://127.0.0.1:") {
			t.Errorf("publish-mode Start = %s at %s, want a new container on loopback", e2.ID, e2.Endpoint)
		}
	})

	t.Run("a missing network is a failed precondition naming it", func(t *testing.T) {
		t.Parallel()
		name := "galaxy-test-missing-" + env.run
		d := env.newDriver(t, Config{Network: "network:" + name})
		spec := gameSpec()
		removeGame(t, d, spec.GameID)
		_, err := d.Start(t.Context(), spec)
		if errs.CodeOf(err) != errs.FailedPrecondition || !strings.Contains(err.Error(), name) {
			t.Errorf("Start = %v, want a failed precondition naming %s", err, name)
		}
	})

	t.Run("ping answers", func(t *testing.T) {
		t.Parallel()
		if err := env.drv.Ping(t.Context()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

// startUnmanaged creates a container for gameID with every label but
// galaxy.backend, for drivertest's List check.
func (env *dockerEnv) startUnmanaged(t *testing.T, gameID string) {
	t.Helper()
	_, err := env.cli.ContainerCreate(t.Context(), client.ContainerCreateOptions{
		Name: "galaxy-unmanaged-" + gameID,
		Config: &container.Config{Image: env.image, Labels: map[string]string{
			runLabel: env.run, driver.LabelGameID: gameID,
		}},
	})
	if err != nil {
		t.Fatalf("create unmanaged container: %v", err)
	}
	// Removed by the run's sweep.
}

// createLabelled creates and starts, behind the driver's back, a container
// as an earlier backend would have left it: this backend has no record of it.
func (env *dockerEnv) createLabelled(t *testing.T, spec driver.Spec) string {
	t.Helper()
	port, _ := network.PortFrom(EnginePort, network.TCP)
	res, err := env.cli.ContainerCreate(t.Context(), client.ContainerCreateOptions{
		Name: driver.EngineName(spec.GameID),
		Config: &container.Config{
			Image: env.image,
			Env:   []string{driver.EnvToken + "=" + spec.Token},
			Labels: map[string]string{
				runLabel: env.run, driver.LabelBackend: "1", driver.LabelGameID: spec.GameID,
			},
			ExposedPorts: network.PortSet{port: {}},
		},
		HostConfig: &container.HostConfig{
			PortBindings: network.PortMap{port: {{HostIP: netip.MustParseAddr("127.0.0.1")}}},
		},
	})
	if err != nil {
		t.Fatalf("create labelled container: %v", err)
	}
	if _, err := env.cli.ContainerStart(t.Context(), res.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatalf("start labelled container: %v", err)
	}
	return res.ID
}

// startHealthy starts spec's engine and waits for /healthz.
func startHealthy(t *testing.T, d *Driver, spec driver.Spec) driver.Engine {
	t.Helper()
	e, err := d.Start(t.Context(), spec)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := driver.WaitHealthy(t.Context(), e.Endpoint, 30*time.Second); err != nil {
		t.Fatalf("WaitHealthy: %v", err)
	}
	return e
}

// engineClient returns a client of the engine at endpoint.
func engineClient(t *testing.T, endpoint, token string) *engine.Client {
	t.Helper()
	c, err := engine.NewClient(endpoint, token)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// initAndTurn initialises a two-race game and runs turn 1.
func initAndTurn(t *testing.T, c *engine.Client, gameID string) {
	t.Helper()
	races := []game.RaceSpec{{ID: "r1", Name: "Alpha"}, {ID: "r2", Name: "Beta"}}
	if _, err := c.Init(t.Context(), engine.InitRequest{GameID: gameID, Seed: 3, Races: races}); err != nil {
		t.Fatalf("Init: %v", err)
	}
	if resp, err := c.Turn(t.Context(), engine.TurnRequest{Turn: 1}); err != nil || resp.Turn != 1 {
		t.Fatalf("Turn 1 = %v, %v", resp, err)
	}
}

// waitStatus polls Inspect until the engine has status want.
func waitStatus(t *testing.T, d *Driver, gameID string, want driver.Status) driver.Engine {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		e, err := d.Inspect(t.Context(), gameID)
		if err != nil {
			t.Fatalf("Inspect: %v", err)
		}
		if e.Status == want {
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("engine of %s is %s (%s), want %s", gameID, e.Status, e.State, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// wantConflict fails unless err is an errs.Conflict.
func wantConflict(t *testing.T, what string, err error) {
	t.Helper()
	if errs.CodeOf(err) != errs.Conflict {
		t.Errorf("%s = %v, want a conflict", what, err)
	}
}

// keys returns the keys of m.
func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
