// Package engine is the game-engine side of the platform: the HTTP server that
// one galaxy-engine process runs for one game, and the typed client the
// backend runtime uses to drive it.
//
// The server owns exactly one game (internal/game). All mutations are
// serialised through one goroutine that owns the game, so the rules package
// never sees concurrent writers; order checks run beside each other but never
// beside a mutation. When a state directory is configured, the state after
// every init and turn is written atomically together with the last answer, so
// a restarted container continues where it stopped and answers retried calls
// with the same bytes.
//
// The wire types in types.go are the single definition of the contract's
// "Engine" section, shared by server and client.
package engine
