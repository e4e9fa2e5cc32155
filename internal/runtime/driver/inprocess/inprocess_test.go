package inprocess

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/drivertest"
)

// newDriver returns a driver over a private state dir, closed at cleanup.
func newDriver(t *testing.T, cfg Config) *Driver {
	t.Helper()
	d, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := d.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return d
}

func TestConformance(t *testing.T) {
	t.Parallel()
	drivertest.Run(t, func(t *testing.T) driver.Driver {
		t.Helper()
		return newDriver(t, Config{StateDir: t.TempDir()})
	})
}

func TestConformanceWithPrivateStateDir(t *testing.T) {
	t.Parallel()
	drivertest.Run(t, func(t *testing.T) driver.Driver {
		t.Helper()
		return newDriver(t, Config{})
	})
}

func TestDriver(t *testing.T) {
	t.Parallel()

	t.Run("a configured state dir lets the next backend process continue a game", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		first := newDriver(t, Config{StateDir: dir})
		e := start(t, first, "g1", "tok")
		c := mustClient(t, e.Endpoint, "tok")
		if _, err := c.Init(t.Context(), engine.InitRequest{GameID: "g1", Seed: 1, Races: []game.RaceSpec{{ID: "r1", Name: "A"}, {ID: "r2", Name: "B"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Turn(t.Context(), engine.TurnRequest{Turn: 1}); err != nil {
			t.Fatal(err)
		}
		if err := first.Close(t.Context()); err != nil {
			t.Fatal(err)
		}

		second := newDriver(t, Config{StateDir: dir})
		if got, err := second.Inspect(t.Context(), "g1"); err != nil || got.Status != driver.StatusMissing {
			t.Errorf("Inspect on a new process = %+v, %v; want missing (engines die with the process)", got, err)
		}
		e2 := start(t, second, "g1", "tok")
		resp, err := mustClient(t, e2.Endpoint, "tok").Turn(t.Context(), engine.TurnRequest{Turn: 1})
		if err != nil || resp.Turn != 1 {
			t.Fatalf("Turn 1 after the restart = %v, %v; want the stored turn 1", resp, err)
		}
		if err := second.Remove(t.Context(), "g1"); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(second.stateDir("g1")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("state dir after Remove: %v, want gone", err)
		}
	})

	t.Run("close stops the engines, deletes a private state dir and refuses further calls", func(t *testing.T) {
		t.Parallel()
		d := newDriver(t, Config{})
		e := start(t, d, "g1", "tok")
		if err := d.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := mustClient(t, e.Endpoint, "tok").Healthz(t.Context()); err == nil {
			t.Error("engine still answers after Close")
		}
		if _, err := os.Stat(d.baseDir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("private state dir after Close: %v, want gone", err)
		}
		for name, err := range map[string]error{
			"Ping":  d.Ping(t.Context()),
			"Stop":  d.Stop(t.Context(), "g1"),
			"Start": second(d.Start(t.Context(), driver.Spec{GameID: "g2", Token: "t"})),
			"List":  second(d.List(t.Context())),
		} {
			if errs.CodeOf(err) != errs.Unavailable {
				t.Errorf("%s after Close = %v, want unavailable", name, err)
			}
		}
		if err := d.Close(t.Context()); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})

	t.Run("a stop timeout shorter than the engine's own is refused", func(t *testing.T) {
		t.Parallel()
		if _, err := New(Config{StopTimeout: 10 * time.Second}); err == nil {
			t.Error("New accepted a 10s stop timeout")
		}
	})

	t.Run("the component pings at start and closes at stop", func(t *testing.T) {
		t.Parallel()
		d := newDriver(t, Config{})
		c := driver.Component(d)
		if c.Name() != "runtime-driver-inprocess" {
			t.Errorf("Name = %q", c.Name())
		}
		if err := c.Start(t.Context()); err != nil {
			t.Fatalf("Start: %v", err)
		}
		if err := c.Stop(t.Context()); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		if err := d.Ping(t.Context()); errs.CodeOf(err) != errs.Unavailable {
			t.Errorf("Ping after the component stopped = %v, want unavailable", err)
		}
	})
}

// start starts a game's engine and waits until it answers.
func start(t *testing.T, d *Driver, gameID, token string) driver.Engine {
	t.Helper()
	e, err := d.Start(t.Context(), driver.Spec{GameID: gameID, Token: token})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := driver.WaitHealthy(t.Context(), e.Endpoint, 10*time.Second); err != nil {
		t.Fatalf("WaitHealthy: %v", err)
	}
	return e
}

// mustClient returns an engine client.
func mustClient(t *testing.T, endpoint, token string) *engine.Client {
	t.Helper()
	c, err := engine.NewClient(endpoint, token)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// second drops the first of two results.
func second[T any](_ T, err error) error { return err }
