package docker

import (
	"context"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/docker/dockertest"
)

// runLabel marks what this run creates (dockertest.RunLabel).
const runLabel = dockertest.RunLabel

// dockerEnv is the real Docker Engine the tests run against, with the engine
// image built for this run, and a driver of it.
type dockerEnv struct {
	cli   *client.Client
	run   string // value of runLabel
	image string // tag of the image built for this run
	drv   *Driver
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string { return dockertest.RandomHex(n) }

// newDockerEnv skips the test when no Docker daemon answers; see
// dockertest.New.
func newDockerEnv(t *testing.T) *dockerEnv {
	t.Helper()
	de := dockertest.New(t)
	env := &dockerEnv{cli: de.Cli, run: de.Run, image: de.Image}
	env.drv = env.newDriver(t, Config{})
	return env
}

// newDriver returns a driver for this run's image and label, closed at
// cleanup; cfg's zero fields take those and the defaults.
func (env *dockerEnv) newDriver(t *testing.T, cfg Config) *Driver {
	t.Helper()
	if cfg.Image == "" {
		cfg.Image = env.image
	}
	if cfg.Labels == nil {
		cfg.Labels = map[string]string{runLabel: env.run}
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	return d
}

// gameSpec returns a spec for a new game of this run.
func gameSpec() driver.Spec {
	return driver.Spec{GameID: "dk-" + randomHex(6), Token: randomHex(16)}
}

// removeGame registers the removal of a game's engine with d.
func removeGame(t *testing.T, d *Driver, gameID string) {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := d.Remove(ctx, gameID); err != nil {
			t.Errorf("cleanup: Remove(%s): %v", gameID, err)
		}
	})
}
