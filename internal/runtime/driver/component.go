package driver

import "github.com/galaxy-platform/galaxy/internal/lifecycle"

// Component adapts d to the platform's component life cycle: Start pings, so
// the backend refuses to start when its engines cannot be run (the Docker
// daemon is down), and Stop closes d. The driver cannot itself be a
// lifecycle.Component because Driver.Stop stops one engine.
func Component(d Driver) lifecycle.Component {
	return lifecycle.Func{
		ComponentName: "runtime-driver-" + d.Kind(),
		StartFunc:     d.Ping,
		StopFunc:      d.Close,
	}
}
