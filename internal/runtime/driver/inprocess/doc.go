// Package inprocess is the driver.Driver that runs engines inside the backend
// process: one engine.Server per game on a loopback port with the game's
// token. It is the default of `galaxy dev` and of tests, and behaves like
// the docker driver through the interface (statuses, errors, state kept
// across stop and start, removed with the engine).
//
// Each game's state lives in a directory named like the docker driver's
// volume (galaxy-game-{id}-state) under the configured state directory, so a
// stopped engine continues from its last turn exactly as a container over its
// volume does. Without a configured directory the driver uses a private
// temporary one and deletes it on Close: the state then lives as long as the
// backend process, which is what tests and throw-away dev runs want. With a
// configured directory it also survives a backend restart.
package inprocess
