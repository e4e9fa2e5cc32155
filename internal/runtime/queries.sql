-- Runtime queries (sqlc → internal/runtime/runtimestore).

-- name: UpsertRecordPending :one
-- A (re)start begins afresh: a new token, no error, no leftover flags.
INSERT INTO runtime_records (game_id, engine_token, status)
VALUES (@game_id, @engine_token, 'pending')
ON CONFLICT (game_id) DO UPDATE SET engine_token = EXCLUDED.engine_token, status = 'pending', last_error = '',
    paused = false, skip_next_tick = false, turn_in_progress = NULL
RETURNING *;

-- name: GetRecord :one
SELECT * FROM runtime_records WHERE game_id = @game_id;

-- name: ListCachedRecords :many
-- The records a replica keeps in memory: those that may hold an engine.
SELECT * FROM runtime_records WHERE status <> 'removed';

-- name: LockRecord :one
SELECT * FROM runtime_records WHERE game_id = @game_id FOR UPDATE;

-- name: SetRecordEngine :exec
UPDATE runtime_records SET driver = @driver, container_id = @container_id, endpoint = @endpoint, status = 'starting'
WHERE game_id = @game_id;

-- name: SetRecordRunning :exec
UPDATE runtime_records SET status = 'running', current_turn = @current_turn, last_health_at = now(), last_error = '',
    health_failures = 0
WHERE game_id = @game_id;

-- name: SetRecordStatus :exec
UPDATE runtime_records SET status = @status WHERE game_id = @game_id;

-- name: SetRecordFailed :exec
UPDATE runtime_records SET status = 'failed', last_error = @last_error WHERE game_id = @game_id;

-- name: SetRecordError :exec
UPDATE runtime_records SET last_error = @last_error WHERE game_id = @game_id;

-- name: SetPaused :exec
UPDATE runtime_records SET paused = @paused WHERE game_id = @game_id;

-- name: SetSkipNextTick :exec
UPDATE runtime_records SET skip_next_tick = @skip_next_tick WHERE game_id = @game_id;

-- name: SetTurnInProgress :exec
UPDATE runtime_records SET turn_in_progress = sqlc.narg(turn) WHERE game_id = @game_id;

-- name: SetTurnsInProgress :exec
-- A batch of turns whose orders are being read: orders for them are
-- refused from now until they commit.
UPDATE runtime_records r SET turn_in_progress = t.turn
FROM (SELECT unnest(@game_ids::text[]) AS game_id, unnest(@turns::int[]) AS turn) AS t
WHERE r.game_id = t.game_id;

-- name: AdvanceRecords :exec
-- A batch of committed turns: each record moves to its turn, which also
-- consumes the skip flag and vouches for the engine's health.
UPDATE runtime_records r SET current_turn = t.turn, turn_in_progress = NULL, skip_next_tick = false,
    last_health_at = now(), last_error = '', health_failures = 0
FROM (SELECT unnest(@game_ids::text[]) AS game_id, unnest(@turns::int[]) AS turn) AS t
WHERE r.game_id = t.game_id;

-- name: GetGame :one
SELECT game_id, status, seed, settings, turn_schedule, current_turn, next_turn_at FROM games WHERE game_id = @game_id;

-- name: LockGame :one
-- FOR NO KEY UPDATE, not FOR UPDATE: it excludes every other writer of the
-- game as well, but not the KEY SHARE lock that an insert into a table
-- referencing games takes. Order submission holds the runtime record while
-- it inserts into game_orders; with FOR UPDATE here a turn (game, then
-- record) and a submission (record, then the game's key) deadlocked.
SELECT game_id, name, status, seed, settings, turn_schedule, current_turn, next_turn_at FROM games WHERE game_id = @game_id FOR NO KEY UPDATE;

-- name: LockTurnGames :many
-- The games and records of a batch of turns, each game's row locked before
-- its record's (as lockGameAndRecord does), and the games in game_id order,
-- so that two batches (two replicas) lock their common games in the same
-- order and never wait for each other. FOR NO KEY UPDATE, as LockGame.
SELECT g.game_id, g.name, g.status, g.settings, g.turn_schedule, g.next_turn_at, sqlc.embed(r)
FROM games g JOIN runtime_records r ON r.game_id = g.game_id
WHERE g.game_id = ANY(@game_ids::text[])
ORDER BY g.game_id
FOR NO KEY UPDATE OF g, r;

-- name: SetGameTurn :exec
UPDATE games SET current_turn = @current_turn, next_turn_at = sqlc.narg(next_turn_at) WHERE game_id = @game_id;

-- name: SetGamesTurn :exec
-- After a batch of turns: each game's current turn and when the next runs.
UPDATE games g SET current_turn = t.turn, next_turn_at = t.next_turn_at
FROM (SELECT unnest(@game_ids::text[]) AS game_id, unnest(@turns::int[]) AS turn,
             unnest(@next_turn_ats::timestamptz[]) AS next_turn_at) AS t
WHERE g.game_id = t.game_id;

-- name: SetGameNextTurnAt :exec
UPDATE games SET next_turn_at = sqlc.narg(next_turn_at) WHERE game_id = @game_id;

-- name: ListMembers :many
SELECT user_id, race_id, race_name, status FROM memberships WHERE game_id = @game_id ORDER BY joined_at, user_id;

-- name: ListMembersOf :many
-- The memberships of a batch of games, each game's oldest first.
SELECT game_id, user_id, race_id, race_name, status FROM memberships
WHERE game_id = ANY(@game_ids::text[])
ORDER BY game_id, joined_at, user_id;

-- name: GetMembership :one
SELECT user_id, race_id, race_name, status FROM memberships WHERE game_id = @game_id AND user_id = @user_id;

-- name: InsertSnapshots :exec
INSERT INTO game_snapshots (game_id, turn, snapshot)
SELECT unnest(@game_ids::text[]), unnest(@turns::int[]), unnest(@snapshots::bytea[])
ON CONFLICT (game_id, turn) DO NOTHING;

-- name: LatestSnapshot :one
SELECT turn, snapshot FROM game_snapshots WHERE game_id = @game_id ORDER BY turn DESC LIMIT 1;

-- name: InsertReports :exec
INSERT INTO race_reports (game_id, turn, user_id, race_id, race_name, text, data)
SELECT unnest(@game_ids::text[]), unnest(@turns::int[]), unnest(@user_ids::text[]), unnest(@race_ids::text[]),
    unnest(@race_names::text[]), unnest(@texts::text[]), unnest(@datas::jsonb[])
ON CONFLICT (game_id, turn, race_id) DO NOTHING;

-- name: GetReport :one
-- A report a player may read: one their race received while they played it,
-- or any of the race they play now (a substitute inherits its history).
SELECT r.* FROM race_reports r
WHERE r.game_id = @game_id AND r.turn = @turn
  AND (r.user_id = @user_id
       OR r.race_id = (SELECT m.race_id FROM memberships m
                       WHERE m.game_id = @game_id AND m.user_id = @user_id AND m.status = 'active'))
LIMIT 1;

-- name: LatestReport :one
-- The newest report a player may read (see GetReport).
SELECT r.* FROM race_reports r
WHERE r.game_id = @game_id
  AND (r.user_id = @user_id
       OR r.race_id = (SELECT m.race_id FROM memberships m
                       WHERE m.game_id = @game_id AND m.user_id = @user_id AND m.status = 'active'))
ORDER BY r.turn DESC LIMIT 1;

-- name: LatestRaceReport :one
SELECT * FROM race_reports WHERE game_id = @game_id AND race_id = @race_id ORDER BY turn DESC LIMIT 1;

-- name: ListPlayedTurns :many
-- The race a player played in each turn they received a report of.
SELECT turn, race_id FROM race_reports WHERE game_id = @game_id AND user_id = @user_id;

-- name: InsertTurns :exec
INSERT INTO game_turns (game_id, turn, summary)
SELECT unnest(@game_ids::text[]), unnest(@turns::int[]), unnest(@summaries::jsonb[])
ON CONFLICT (game_id, turn) DO NOTHING;

-- name: ListTurns :many
SELECT * FROM game_turns WHERE game_id = @game_id ORDER BY turn;

-- name: PageTurns :many
-- One page of a game's turns, oldest first, after a turn number.
SELECT * FROM game_turns WHERE game_id = @game_id AND turn > @after_turn ORDER BY turn LIMIT @max_rows;

-- name: CountTurns :one
SELECT count(*)::bigint FROM game_turns WHERE game_id = @game_id AND turn = @turn;

-- name: UpsertOrders :execrows
-- A race's orders, sent by its player user_id: the latest set is the one
-- the turn uses, mistakes and all (its valid lines run, GalaxyNG's way).
-- accepted records whether every line was valid when it was sent.
INSERT INTO game_orders (game_id, turn, race_id, user_id, text, accepted, final, errors)
VALUES (@game_id, @turn, @race_id, @user_id, @text, @accepted, @final, @errors)
ON CONFLICT (game_id, turn, race_id) DO UPDATE
    SET user_id = EXCLUDED.user_id, text = EXCLUDED.text, accepted = EXCLUDED.accepted, final = EXCLUDED.final,
        errors = EXCLUDED.errors, updated_at = now();

-- name: GetOrders :one
SELECT turn, user_id, text, final, accepted, errors, updated_at FROM game_orders
WHERE game_id = @game_id AND turn = @turn AND race_id = @race_id;

-- name: ListTurnOrders :many
-- What a batch of turns runs: every race's stored set for its game's turn,
-- and a row with excused set (and no text) for each race of an active
-- player excused for the turn (absence) who stored no orders for it.
SELECT o.game_id, o.race_id, o.text, false AS excused
FROM game_orders o
JOIN (SELECT unnest(@game_ids::text[]) AS game_id, unnest(@turns::int[]) AS turn) AS t ON o.game_id = t.game_id AND o.turn = t.turn
UNION ALL
SELECT m.game_id, m.race_id, '' AS text, true AS excused
FROM memberships m
JOIN (SELECT unnest(@game_ids::text[]) AS game_id, unnest(@turns::int[]) AS turn) AS t ON m.game_id = t.game_id
WHERE m.status = 'active' AND m.absent_until_turn >= t.turn
  AND NOT EXISTS (SELECT 1 FROM game_orders o WHERE o.game_id = m.game_id AND o.turn = t.turn
                  AND o.race_id = m.race_id);

-- name: ListReadiness :many
-- The active races of a game and whether each has stored orders for turn,
-- and whether final: never the orders themselves.
SELECT m.user_id, m.race_name,
       (o.race_id IS NOT NULL)::boolean AS submitted, coalesce(o.final, false)::boolean AS final
FROM memberships m
LEFT JOIN game_orders o ON o.game_id = m.game_id AND o.turn = @turn AND o.race_id = m.race_id
WHERE m.game_id = @game_id AND m.status = 'active'
ORDER BY m.race_name;

-- name: SetAbsence :one
UPDATE memberships SET absent_until_turn = @absent_until_turn
WHERE game_id = @game_id AND user_id = @user_id AND status = 'active'
RETURNING race_name, absent_until_turn;

-- name: ListSilent :many
-- Active players with no stored orders for turn who are not excused, with
-- their count of silent turns so far.
SELECT m.user_id, m.race_id, m.race_name, m.idle_turns, m.substitute_wanted FROM memberships m
WHERE m.game_id = @game_id AND m.status = 'active' AND m.absent_until_turn < @turn
  AND NOT EXISTS (SELECT 1 FROM game_orders o WHERE o.game_id = m.game_id AND o.turn = @turn
                  AND o.race_id = m.race_id);

-- name: ListReturning :many
-- Active players the bot was playing for (idle_turns at least @after) who
-- stored orders for turn: their own orders ran again.
SELECT m.user_id FROM memberships m
WHERE m.game_id = @game_id AND m.status = 'active' AND m.idle_turns >= @after
  AND EXISTS (SELECT 1 FROM game_orders o WHERE o.game_id = m.game_id AND o.turn = @turn
              AND o.race_id = m.race_id);

-- name: CountIdleTurns :exec
-- After a batch of turns: a player who stored orders for their game's turn
-- is no longer idle (nor is their race offered to substitutes any more); a
-- silent one who was not excused counts one more idle turn.
UPDATE memberships m SET idle_turns = CASE
    WHEN EXISTS (SELECT 1 FROM game_orders o WHERE o.game_id = m.game_id AND o.turn = t.turn
                 AND o.race_id = m.race_id) THEN 0
    WHEN m.absent_until_turn >= t.turn THEN m.idle_turns
    ELSE m.idle_turns + 1 END,
    substitute_wanted = m.substitute_wanted AND NOT EXISTS (
        SELECT 1 FROM game_orders o WHERE o.game_id = m.game_id AND o.turn = t.turn
        AND o.race_id = m.race_id)
FROM (SELECT unnest(@game_ids::text[]) AS game_id, unnest(@turns::int[]) AS turn) AS t
WHERE m.game_id = t.game_id AND m.status = 'active';

-- name: ListToRemind :many
-- Active players with no stored orders for turn: those a reminder is for.
SELECT m.user_id, m.race_name FROM memberships m
WHERE m.game_id = @game_id AND m.status = 'active' AND m.absent_until_turn < @turn
  AND NOT EXISTS (SELECT 1 FROM game_orders o WHERE o.game_id = m.game_id AND o.turn = @turn AND o.race_id = m.race_id)
ORDER BY m.user_id;

-- name: GetGameName :one
SELECT name FROM games WHERE game_id = @game_id;

-- name: CountNotFinal :one
-- Active players who have not sent final orders for the turn.
SELECT count(*)::bigint FROM memberships m
WHERE m.game_id = @game_id AND m.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM game_orders o WHERE o.game_id = m.game_id AND o.turn = @turn
                  AND o.race_id = m.race_id AND o.final);

-- name: PageRecords :many
-- One page of engine records for operators, oldest first: by creation, which
-- never changes, so a record updated between two pages is neither shown
-- twice nor skipped.
SELECT * FROM runtime_records
WHERE sqlc.narg(after_created)::timestamptz IS NULL
   OR (created_at, game_id) > (sqlc.narg(after_created)::timestamptz, sqlc.narg(after_id)::text)
ORDER BY created_at, game_id
LIMIT @max_rows;

-- name: ListLiveRecords :many
-- What the reconciler compares with the driver's engines: every record that
-- may still have an engine, with its game's status.
SELECT r.game_id, r.status, r.container_id, r.endpoint, r.health_failures, r.updated_at, g.status AS game_status
FROM runtime_records r JOIN games g USING (game_id)
WHERE r.status <> 'removed'
ORDER BY r.game_id;

-- name: DatabaseNow :one
SELECT now()::timestamptz AS now;

-- name: ListGameStatuses :many
-- The status of each of the given games that exists (engines without a
-- live record).
SELECT game_id, status, current_turn FROM games WHERE game_id = ANY(@game_ids::text[]);

-- name: MarkHealthy :exec
UPDATE runtime_records SET last_health_at = now(), health_failures = 0
WHERE game_id = ANY(@game_ids::text[]) AND status = 'running';

-- name: AddHealthFailure :one
-- One more failed probe of a running engine; returns the new count.
UPDATE runtime_records SET health_failures = health_failures + 1, last_error = @last_error
WHERE game_id = @game_id AND status = 'running'
RETURNING health_failures;

-- name: SetRecordReplacing :execrows
-- A replacement engine is on its way: turns wait (status starting), a turn
-- caught half-way is run again on the new engine (so orders are accepted
-- meanwhile), and the reason is kept for operators. Only records that may still hold an engine.
UPDATE runtime_records SET status = 'starting', replacements = replacements + 1, health_failures = 0,
    turn_in_progress = NULL, last_error = @reason
WHERE game_id = @game_id AND status IN ('running', 'failed');

-- name: AdoptRecord :exec
-- An engine of an active game without a live record: record it with a fresh
-- token (the backend never learnt the engine's), to be replaced at once.
INSERT INTO runtime_records (game_id, driver, container_id, engine_token, status, current_turn, last_error, replacements)
VALUES (@game_id, @driver, @container_id, @engine_token, 'starting', @current_turn, @reason, 1)
ON CONFLICT (game_id) DO UPDATE SET driver = EXCLUDED.driver, container_id = EXCLUDED.container_id,
    engine_token = EXCLUDED.engine_token, status = 'starting', current_turn = EXCLUDED.current_turn,
    turn_in_progress = NULL, replacements = runtime_records.replacements + 1, last_error = EXCLUDED.last_error;

-- name: CountRecordsByStatus :many
SELECT status, count(*)::bigint AS engines FROM runtime_records GROUP BY status;
