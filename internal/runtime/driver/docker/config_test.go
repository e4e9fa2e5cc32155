package docker

import (
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

func TestConfig(t *testing.T) {
	t.Parallel()

	t.Run("the zero config takes the documented defaults", func(t *testing.T) {
		t.Parallel()
		c, err := Config{}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		if c.Image != "galaxy-engine:dev" || c.Network != "publish" || c.PublishIP != "127.0.0.1" ||
			c.StopTimeout != driver.DefaultStopTimeout || c.APITimeout != DefaultAPITimeout || c.Limits != DefaultLimits {
			t.Errorf("defaults = %+v", c)
		}
	})

	t.Run("network mode names a user-defined network", func(t *testing.T) {
		t.Parallel()
		c, err := Config{Network: "network:galaxy"}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := c.networkName(); n != "galaxy" {
			t.Errorf("network = %q", n)
		}
	})

	t.Run("every bad field is reported at once", func(t *testing.T) {
		t.Parallel()
		_, err := Config{
			Network:     "network:bridge",
			PublishIP:   "localhost",
			StopTimeout: 10 * time.Second,
			Limits:      driver.Limits{MemoryBytes: -1},
			Labels:      map[string]string{driver.LabelBackend: "2"},
		}.withDefaults()
		if err == nil {
			t.Fatal("accepted")
		}
		for _, want := range []string{"bridge", "localhost", "stop timeout", "memory", driver.LabelBackend} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	})

	t.Run("an unknown network mode is refused", func(t *testing.T) {
		t.Parallel()
		for _, mode := range []string{"host", "network:", "bridge"} {
			if _, err := (Config{Network: mode}).withDefaults(); err == nil {
				t.Errorf("network mode %q accepted", mode)
			}
		}
	})

	t.Run("endpoints use loopback for an unspecified publish address", func(t *testing.T) {
		t.Parallel()
		for ip, want := range map[string]string{
			"127.0.0.1": "http://127.0.0.1:4242",
			"0.0.0.0":   "http://127.0.0.1:4242",
			"::":        "http://[::1]:4242",
		} {
			d, err := New(Config{PublishIP: ip})
			if err != nil {
				t.Fatal(err)
			}
			if got := d.endpoint("galaxy-game-g", 4242); got != want {
				t.Errorf("publish IP %s: endpoint %q, want %q", ip, got, want)
			}
			if got := d.endpoint("galaxy-game-g", 0); got != "" {
				t.Errorf("publish IP %s without a port: endpoint %q, want none", ip, got)
			}
		}
	})
}

func TestUnreachableDaemon(t *testing.T) {
	t.Parallel()
	d, err := New(Config{Host: "unix://" + t.TempDir() + "/no-docker.sock"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close(t.Context()) })

	t.Run("every call is unavailable", func(t *testing.T) {
		t.Parallel()
		_, errStart := d.Start(t.Context(), driver.Spec{GameID: "g", Token: "t"})
		_, errInspect := d.Inspect(t.Context(), "g")
		_, errList := d.List(t.Context())
		for name, err := range map[string]error{
			"Ping": d.Ping(t.Context()), "Start": errStart, "Inspect": errInspect, "List": errList,
			"Stop": d.Stop(t.Context(), "g"), "Remove": d.Remove(t.Context(), "g"),
		} {
			if errs.CodeOf(err) != errs.Unavailable {
				t.Errorf("%s = %v, want unavailable", name, err)
			}
		}
	})
}
