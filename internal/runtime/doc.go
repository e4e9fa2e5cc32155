// Package runtime runs started games: it starts one engine per game through
// a driver (internal/runtime/driver), initialises it, runs its turns on the
// game's cron schedule (or earlier: forced by an admin, or when every player
// sent final orders), stores orders, snapshots, reports and the turn
// history, and tells the lobby when a game is running, failed to start or
// finished.
//
// Postgres is the record of truth (runtime_records, game_snapshots,
// race_reports, game_turns, game_orders); River jobs drive the work:
//
//   - runtime.start (queue runtime_start, bounded concurrency): create the
//     engine, wait until /healthz answers, /admin/init, store turn 0 and
//     schedule the first turn, reporting to the lobby in the same
//     transaction.
//   - runtime.turn (queue runtime_turn): one job per (game, turn, trigger),
//     scheduled at the next cron tick. A turn is committed only if the
//     stored current turn is still the one before it, under a row lock, so
//     two replicas (or a forced turn racing a tick) never produce a turn
//     twice; the engine's /admin/turn is idempotent per turn number. The
//     turns of many games that reach the same database step together (when
//     they share a tick) share its transaction (turn_batch.go), so a tick's
//     cost grows with its games' rows, not with their round trips.
//   - runtime.stop: stop or remove the engine.
//
// The lobby asks for starts, stops, pauses and resumes inside its own
// transaction (the lobby.Runtime interface), so a job exists if and only if
// the status change committed.
package runtime
