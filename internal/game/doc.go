// Package game implements the rules of Galaxy as played in GalaxyNG: galaxy
// generation, the order language, the turn, and the reports. It is pure: no
// I/O, no clock, no global mutable state. The engine process
// (internal/engine) owns one Game and serialises calls to it.
//
// # Determinism
//
// All randomness of a turn comes from one PCG generator seeded with the game
// seed and the turn number (rng.go), and every loop walks slices or sorted
// keys, never a map. The same state and the same orders therefore give the
// same new state and byte-identical reports, which is what lets a replacement
// engine continue a game from a snapshot, and lets tests pin whole games.
//
// # The turn
//
// Orders that change no ship's position take effect as they are read, line
// by line (designs, production, alliances and war, routes, breaking,
// scrapping, fleets, recalls, victory claims, options, messages). Renames
// of planets, ship types and fleets (n, t) run after every race's other
// orders and race names (c) after those, as in GalaxyNG's phases 2 and 3.
// Orders that belong to a phase are queued and run in it, in the rules'
// order:
//
//  1. battles, then bombing
//  2. loading (l)
//  3. upgrades (g)
//  4. sending (s, and i)
//  5. routes (r), then interception: groups sent with i turn after the
//     largest mass leaving the planet they watch
//  6. movement
//  7. battles, then bombing, where groups arrived
//  8. production: ships, MAT, CAP, then research and population growth
//  9. unloading (u, route cargo at the end of its route, and everything
//     under the autoUnload option) and colonisation
//  10. group merging and renumbering (by place under sortGroups)
//
// then races that quit (q) leave, idle races are removed, races without
// planets and ships eliminated, and the end of the game checked. A queued
// order that can no longer be carried out when its phase comes (its group
// was destroyed, say) is reported as a mistake on its line, like any other.
//
// Where engine-rules.md is silent the package follows the GalaxyNG manual as
// far as it is known, and otherwise makes these choices:
// in a battle a race fires on the races it is at war with and shoots back
// at races at war with it that have armed ships there, as GalaxyNG does (an
// unarmed race at war starts no battle); within a round ships fire one at a
// time in random order, and a ship destroyed before its turn does not fire;
// defence counts the cargo carried (GalaxyNG's shipmass);
// upgrades are paid from the planet's production of the turn; newly
// colonised and bombed planets produce CAP; allies who take a planet together
// without exactly one v claim leave it without owner; a planet without owner
// does not grow or produce; route ships are cargo groups outside fleets that
// got no order this turn; a race that quits or is removed leaves its
// planets empty at once (GalaxyNG keeps a quitting race's planets until it
// is dropped).
// As in GalaxyNG's code: unloaded CAP and COL become industry and population
// at once; scrapped ships leave their mass as MAT and their cargo at any
// planet (but no colonists on another race's); a planet that cannot pay for
// a whole upgrade takes every ship part of the way; a change of production
// loses the production spent on an unfinished ship but gives back its share
// of the ship's MAT; routes load ship by ship and send only the ships that
// carry the route's cargo, and that cargo unloads at the end of the route
// whoever brought it; new and upgraded groups get tech rounded to two
// decimals and 0 for the parts their type lacks; a group arrives when less
// than 0.01 light years are left; any order set, an empty one too, keeps a
// race from being idle.
//
// # Reports
//
// A race sees every planet's position, and the details of a planet only
// while it owns it or has ships in orbit there; likewise it sees other races'
// groups at those planets, and groups heading for its own planets (without
// their owner). Tech levels, population, industry and planet counts of all
// races are public, as in GalaxyNG's status of players. The text report is
// rendered from the JSON data, so the two never disagree.
//
// # Orders
//
// One order per line; the first letter of the first word decides the order
// (so "send" works like "s"), case does not matter, ';' starts a comment and
// '_' stands for a space in names. A "#GALAXY ..." header line is ignored and
// "#END" ends the orders. Planets are named by name or by "#number"; groups
// by number; [n] is an optional number of ships, which then break off the
// group as a new group.
//
//	@ [race ...]             message to the races named (all when none), up
//	                         to a line holding only "@"
//	= name                   your real name, shown unless you are anonymous
//	a race / w race          alliance (stop attacking race) / war (the default)
//	b group n                break n ships off into a new group
//	c name                   a new race name (checked by the platform)
//	d name D A W S C         design a ship type (masses 0 or >= 1, A whole)
//	e name                   eliminate an unused ship type, or disband a fleet
//	g group [n]              upgrade to current tech at one of your planets
//	h group|fleet            turn back in hyperspace (4+ turns from arrival)
//	i group|fleet planet [n] intercept: send, and follow who leaves planet
//	j group fleet            join (or create) a fleet where the group is
//	l group COL|CAP|MAT [n]  load cargo at one of your planets
//	m x y size               the area of the report's map
//	n planet name            rename one of your planets
//	o [no] option            report and play options (see options.go)
//	p planet what            produce CAP, MAT, DRIVE, WEAPONS, SHIELDS, CARGO
//	                         or a ship type
//	q race                   leave the game at the end of the turn
//	r planet cargo [planet]  set (or, without destination, remove) a route
//	                         for COL, CAP, MAT or EMP (empty ships)
//	s group|fleet planet [n] send
//	t name new               rename a ship type or fleet
//	u group [n]              unload (COL on a free planet colonises it)
//	v planet                 claim a planet taken together with allies
//	x group [n]              scrap
//	y / z / f                the platform's (password, mail address, a
//	                         race's address): answered with a mistake
//
// docs/orders.md is the player's reference.
//
// # Snapshots
//
// A snapshot is the magic "GXSN", a version byte, and the state compressed
// with gzip (one member, nothing after it). Engines write version 2, a
// binary encoding of the state's fields in the order of their declaration
// (snapshot_v2.go): integers as varints, strings and slices after their
// length, float64s as their exact bits, byte-reversed into a varint so that
// zero takes one byte. A group names its type by its place in the race's
// types and writes only the technology levels that differ from the group
// before it, since groups built together share them; this halves the body.
// Version 1, the state as JSON, is still read: games stored before version
// 2 restore from it and go on exactly as they would have.
//
// JSON was replaced because reflection and formatting and parsing decimal
// numbers made a snapshot slow: for the busy 25-race galaxy of the
// benchmarks, encoding took about 0.4 of a turn and decoding a whole turn.
// Version 2 takes about 0.15 of a turn each way (RestoreSnapshot then
// rebuilds the last turn's reports, which costs more), and is a third
// smaller (90 KB against 134 KB). Gzip stays, at its fastest level: the body shrinks
// about threefold, and the checksum catches damage. SnapshotJSON gives
// people investigating a game the state as JSON, as version 1 held it.
//
// Whatever the version:
//   - A restored state is the encoded one, bit for bit, so later turns
//     reproduce byte for byte. Only whether an empty slice is nil is lost:
//     no rule tells them apart, and so a snapshot's bytes depend only on
//     what the rules see (a game restored from version 1 writes the same
//     snapshots as if it had never stopped).
//   - A damaged or hostile snapshot fails with an errs.InvalidArgument error
//     that says what is wrong: an unknown version, bad compression or
//     checksum, truncation, unknown fields (version 1) or bytes after the
//     state, a number that is not finite, a count larger than the rest of
//     the data can hold, or a reference the state cannot hold (check).
//   - Memory is bounded: decompression stops at 64 MiB (256 MiB of JSON),
//     and a count is refused unless the rest of the data could hold that
//     many records at their smallest, so decoding allocates no more than a
//     small multiple of the data.
//   - Encoding fails rather than write a NaN or an infinity, which only a
//     broken rule produces.
//
// A field added to the state must be added to the version 2 encoding, on
// both sides, under a new version number; TestSnapshotV2EveryField fails
// until it is. The snapshot also holds the events of the last turn
// (battles, bombings, mistakes, messages, bulletins), so the reports of
// that turn are rebuilt exactly after a restore.
package game
