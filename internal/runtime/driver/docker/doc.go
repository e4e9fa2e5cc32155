// Package docker is the production driver.Driver: one container per game
// through the Docker Engine API (github.com/moby/moby/client), from the
// scratch galaxy-engine image (deploy/engine.Dockerfile, `make engine-image`).
//
// For game {id} the driver creates:
//
//   - a named volume galaxy-game-{id}-state, mounted at /state, where the
//     engine persists its state after every init and turn; it survives stops
//     and container replacement and is deleted only by Remove;
//   - a container galaxy-game-{id} labelled galaxy.backend=1 and
//     galaxy.game_id={id} (plus the configured extra labels), with
//     GALAXY_ENGINE_TOKEN, GALAXY_ENGINE_ADDR=:8090 and
//     GALAXY_ENGINE_STATE_DIR=/state, the configured memory, CPU and pids
//     limits, a read-only root file system, no capabilities, and restart
//     policy "no": the runtime's reconciler, not Docker, decides what runs.
//
// The driver keeps no state of its own: Docker is the record of what runs,
// found again by name and label after a backend restart. The token travels
// in the container's environment (the engine reads it from there), so
// whoever can use the Docker API can read it, as they can anything on the
// host.
//
// # Reaching the engine
//
// Network mode "publish" (the default, for a backend on the Docker host)
// publishes the engine port 8090 on 127.0.0.1 with a random host port; the
// endpoint is http://127.0.0.1:{port}, new at every container start.
//
// Network mode "network:<name>" (for a backend that itself runs in a
// container) attaches the engine to the user-defined network <name>, which
// the backend's container must also join, and publishes nothing; the
// endpoint is http://galaxy-game-{id}:8090, resolved by Docker's embedded
// DNS. The engine is then reachable only from that network.
//
// # Start over an existing container
//
// A container already named galaxy-game-{id} with this backend's labels for
// the same game is adopted when it is running with the same token and the
// configured network mode (a restarted backend finds its engines still
// serving; a retried start is harmless). Otherwise, stopped, crashed or
// configured differently, it is removed and a new one is created over the
// same volume, so the game continues from its last persisted turn with the
// current image, limits and token. A container with that name but without
// the labels is not this backend's: Start, Stop, Remove and Inspect refuse
// it with errs.Conflict rather than touch it.
package docker
