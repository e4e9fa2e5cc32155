// Package racenames is the Race Name Directory (RND): who holds which race
// name across the platform, and how.
//
// A user holds a name through bindings of three kinds (see Kind): a
// reservation while they apply to or play in a game, a pending registration
// for 30 days after they survived a finished game under it, and a
// registration that keeps it theirs for good. Two names that look alike to a
// player ("Vogons", "VOGONS", "V0gons", "Vоgоns" with Cyrillic o) share one
// canonical key (see Canonical), and a canonical key is bound to at most one
// user at a time: other users get a conflict, while its holder may use it in
// as many games as they like.
//
// That invariant is kept by PostgreSQL rather than by checks that could race
// (migration 00006_race_names.sql): race_name_keys names the single holder of
// each bound key, every binding references its key row through (key, holder),
// and writers lock the key row before they change its bindings.
//
// Every write takes the caller's pgx.Tx, so the lobby binds and releases
// names in the same transaction as the application, membership or game
// change that causes it, and runs in a savepoint: a failed call leaves the
// caller's transaction usable and unchanged.
package racenames
