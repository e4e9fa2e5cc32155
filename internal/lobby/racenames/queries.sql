-- Race Name Directory queries. Every write path locks the key rows it
-- touches (ClaimKey or LockKeys) before it changes their bindings, always in
-- canonical_key order when it takes several, and freeing keys never waits,
-- so that concurrent writers on one key are serialised and writers on
-- several keys do not deadlock.

-- name: ClaimKey :one
-- Creates the key for holder_user_id, or locks the existing key row; either
-- way returns the key's holder. ON CONFLICT DO UPDATE is atomic under
-- concurrency: when another transaction holds the row, this waits for it and
-- then updates the surviving row or, if that transaction deleted it,
-- inserts. The no-op SET only exists to take the row lock and return it.
INSERT INTO race_name_keys AS k (canonical_key, holder_user_id)
VALUES (@canonical_key, @holder_user_id)
ON CONFLICT (canonical_key) DO UPDATE SET holder_user_id = k.holder_user_id
RETURNING holder_user_id;

-- name: LockKeys :many
-- Locks the rows of keys that exist, in key order.
SELECT canonical_key, holder_user_id FROM race_name_keys
WHERE canonical_key = ANY(@canonical_keys::text[])
ORDER BY canonical_key
FOR UPDATE;

-- name: CountLiveBindings :one
-- Bindings of a key that still hold it: a pending registration past its
-- window no longer does, even before the expirer has deleted it.
SELECT count(*) FROM race_names
WHERE canonical_key = @canonical_key
  AND NOT (binding_kind = 'pending_registration' AND eligible_until <= @now::timestamptz);

-- name: DeleteKeyBindings :exec
-- Clears a key whose bindings have all lapsed before it changes hands.
DELETE FROM race_names WHERE canonical_key = @canonical_key;

-- name: TransferKey :exec
UPDATE race_name_keys SET holder_user_id = @holder_user_id WHERE canonical_key = @canonical_key;

-- name: DeleteOrphanKeys :execrows
-- Frees the keys among canonical_keys that no binding refers to any more.
-- It never waits: keys this transaction locked are its own, and a key
-- another transaction holds is left to it (a key row without bindings
-- blocks nobody, see ClaimKey's callers, and the expirer sweeps it later).
DELETE FROM race_name_keys k
WHERE k.canonical_key IN (
    SELECT l.canonical_key FROM race_name_keys l
    WHERE l.canonical_key = ANY(@canonical_keys::text[])
    ORDER BY l.canonical_key
    FOR UPDATE SKIP LOCKED)
  AND NOT EXISTS (SELECT 1 FROM race_names r WHERE r.canonical_key = k.canonical_key);

-- name: DeleteStrayKeys :execrows
-- Frees up to max_rows keys that no binding refers to, skipping keys other
-- transactions hold: what DeleteOrphanKeys had to leave behind.
DELETE FROM race_name_keys k
WHERE k.canonical_key IN (
    SELECT l.canonical_key FROM race_name_keys l
    WHERE NOT EXISTS (SELECT 1 FROM race_names r WHERE r.canonical_key = l.canonical_key)
    ORDER BY l.canonical_key
    LIMIT @max_rows
    FOR UPDATE SKIP LOCKED)
  AND NOT EXISTS (SELECT 1 FROM race_names r WHERE r.canonical_key = k.canonical_key);

-- name: GetGameBinding :one
SELECT * FROM race_names WHERE game_id = @game_id::text AND holder_user_id = @holder_user_id;

-- name: InsertReservation :one
INSERT INTO race_names (canonical_key, name, holder_user_id, game_id, binding_kind)
VALUES (@canonical_key, @name, @holder_user_id, @game_id::text, 'reservation')
RETURNING *;

-- name: RenameBinding :one
UPDATE race_names SET name = @name WHERE binding_id = @binding_id RETURNING *;

-- name: DeleteReservation :many
DELETE FROM race_names
WHERE game_id = @game_id::text AND holder_user_id = @holder_user_id AND binding_kind = 'reservation'
RETURNING canonical_key;

-- name: LockGameNames :exec
-- Serialises the operations on a whole game's names (release, pending
-- registration) until the transaction ends.
SELECT pg_advisory_xact_lock(hashtextextended('race_names:' || @game_id::text, 0));

-- name: GameReservationKeys :many
SELECT DISTINCT canonical_key FROM race_names
WHERE game_id = @game_id::text AND binding_kind = 'reservation'
ORDER BY canonical_key;

-- name: DeleteGameReservations :many
DELETE FROM race_names
WHERE game_id = @game_id::text AND binding_kind = 'reservation'
RETURNING canonical_key;

-- name: UserKeys :many
SELECT canonical_key FROM race_name_keys WHERE holder_user_id = @holder_user_id ORDER BY canonical_key;

-- name: DeleteUserBindings :many
DELETE FROM race_names WHERE holder_user_id = @holder_user_id RETURNING canonical_key;

-- name: MarkSurvivorsPending :execrows
-- Survivors' reservations become pending registrations, except where the
-- survivor has registered the name already (that reservation is simply
-- released with the others: the registered binding keeps the name).
UPDATE race_names r
SET binding_kind = 'pending_registration', eligible_until = @eligible_until::timestamptz
WHERE r.game_id = @game_id::text
  AND r.binding_kind = 'reservation'
  AND r.holder_user_id = ANY(@survivor_user_ids::text[])
  AND NOT EXISTS (
      SELECT 1 FROM race_names g
      WHERE g.canonical_key = r.canonical_key AND g.binding_kind = 'registered');

-- name: UserKeyBindings :many
SELECT * FROM race_names
WHERE holder_user_id = @holder_user_id AND canonical_key = @canonical_key
ORDER BY created_at, binding_id;

-- name: RegisterBinding :one
UPDATE race_names
SET binding_kind = 'registered', game_id = NULL, eligible_until = NULL
WHERE binding_id = @binding_id
RETURNING *;

-- name: DeleteUserPendingForKey :exec
-- Other pending registrations of a name its holder has just registered are
-- redundant.
DELETE FROM race_names
WHERE holder_user_id = @holder_user_id AND canonical_key = @canonical_key
  AND binding_kind = 'pending_registration';

-- name: LockExpiredPendingKeys :many
-- The keys of up to max_rows pending registrations whose window closed by
-- @now, oldest first, locked; keys another transaction holds are skipped so
-- that several replicas' expirers share the backlog instead of queueing.
SELECT k.canonical_key FROM race_name_keys k
WHERE k.canonical_key IN (
    SELECT r.canonical_key FROM race_names r
    WHERE r.binding_kind = 'pending_registration' AND r.eligible_until <= @now::timestamptz
    ORDER BY r.eligible_until
    LIMIT @max_rows)
ORDER BY k.canonical_key
FOR UPDATE SKIP LOCKED;

-- name: DeleteExpiredPending :many
DELETE FROM race_names
WHERE canonical_key = ANY(@canonical_keys::text[])
  AND binding_kind = 'pending_registration' AND eligible_until <= @now::timestamptz
RETURNING canonical_key;

-- name: ListUserBindings :many
SELECT * FROM race_names WHERE holder_user_id = @holder_user_id ORDER BY created_at, binding_id;

-- name: PageUserBindings :many
-- One page of a user's bindings, oldest first, after a keyset cursor.
SELECT * FROM race_names WHERE holder_user_id = @holder_user_id
  AND (sqlc.narg(after_created)::timestamptz IS NULL
       OR (created_at, binding_id) > (sqlc.narg(after_created)::timestamptz, sqlc.narg(after_id)::bigint))
ORDER BY created_at, binding_id
LIMIT @max_rows;

-- name: CountUserKeyBindings :one
SELECT count(*) FROM race_names WHERE holder_user_id = @holder_user_id AND canonical_key = @canonical_key;

-- name: MoveKeyWithBinding :exec
-- Gives a key and its one binding to another user in one statement: the
-- foreign key from bindings to keys is checked at the statement's end.
WITH moved_key AS (
    UPDATE race_name_keys k SET holder_user_id = @holder_user_id WHERE k.canonical_key = @canonical_key RETURNING 1)
UPDATE race_names SET holder_user_id = @holder_user_id WHERE binding_id = @binding_id;
