// Package driver defines how the runtime starts, stops, inspects and removes
// the engine of a game, whatever runs it.
//
// The runtime (worker pool, scheduler, reconciler; seed 000) speaks only to
// the Driver interface. Two implementations exist:
//
//   - driver/inprocess: engine servers inside the backend process, on
//     loopback ports. The default of `galaxy dev` and of tests.
//   - driver/docker: one container galaxy-game-{game_id} per game through the
//     Docker Engine API. The production driver.
//
// Both behave the same through the interface (same statuses, same errors);
// driver/drivertest holds the conformance suite that proves it, and
// driver/drivers builds one from a kind name ("inprocess", "docker").
//
// A started engine is not yet usable: Docker marks a container running as soon
// as its entrypoint starts, before the engine binds its port. Callers wait
// with WaitHealthy before calling /admin/init.
package driver
