-- name: InsertGame :one
INSERT INTO games (game_id, name, description, visibility, owner_user_id, status, min_players, max_players,
                   enrollment_ends_at, turn_schedule, settings, seed)
VALUES (@game_id, @name, @description, @visibility, @owner_user_id, 'enrollment_open', @min_players, @max_players,
        @enrollment_ends_at, @turn_schedule, @settings, @seed)
RETURNING *;

-- name: GetGame :one
SELECT * FROM games WHERE game_id = @game_id;

-- name: LockGame :one
SELECT * FROM games WHERE game_id = @game_id FOR UPDATE;

-- name: TransitionGame :one
-- Compare-and-set: only a game currently in one of @from_statuses moves.
UPDATE games SET status = @to_status,
    started_at = CASE WHEN @to_status::text = 'running' AND started_at IS NULL THEN now() ELSE started_at END,
    finished_at = CASE WHEN @to_status::text IN ('finished', 'cancelled') THEN now() ELSE finished_at END
WHERE game_id = @game_id AND status = ANY(@from_statuses::text[])
RETURNING *;

-- name: TakeSeat :one
-- Counts an approval; refuses (no row) when the game is full or closed.
UPDATE games SET approved_count = approved_count + 1
WHERE game_id = @game_id AND status = 'enrollment_open' AND approved_count < max_players
RETURNING *;

-- name: FreeSeat :exec
UPDATE games SET approved_count = approved_count - 1 WHERE game_id = @game_id AND approved_count > 0;

-- name: InsertGameEvent :exec
INSERT INTO lobby_game_events (game_id, from_status, to_status, actor_kind, actor_id, reason)
VALUES (@game_id, @from_status, @to_status, @actor_kind, @actor_id, @reason);

-- name: ListGameEvents :many
SELECT * FROM lobby_game_events WHERE game_id = @game_id ORDER BY event_id;

-- name: ListPublicGames :many
-- Public games open for enrollment, and public games under way that look
-- for substitutes; all of them without max_rows (the in-memory listing).
SELECT * FROM games
WHERE visibility = 'public'
  AND (status = 'enrollment_open'
       OR (status IN ('running', 'paused')
           AND EXISTS (SELECT 1 FROM memberships m
                       WHERE m.game_id = games.game_id AND m.substitute_wanted AND m.status = 'active')))
  AND (sqlc.narg(before_created)::timestamptz IS NULL
       OR (created_at, game_id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::text))
ORDER BY created_at DESC, game_id DESC
LIMIT sqlc.narg(max_rows);

-- name: ListUserGames :many
-- Games the user owns or plays in (or played in until it was cancelled).
SELECT g.* FROM games g
WHERE (g.owner_user_id = @user_id
       OR EXISTS (SELECT 1 FROM memberships m WHERE m.game_id = g.game_id AND m.user_id = @user_id
                  AND m.status IN ('active', 'ended')))
  AND (sqlc.narg(before_created)::timestamptz IS NULL
       OR (g.created_at, g.game_id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::text))
ORDER BY g.created_at DESC, g.game_id DESC
LIMIT @max_rows;

-- name: ListGamesByStatus :many
-- Operators' list: optionally one status, optionally names containing
-- @name_contains (case-insensitive).
SELECT * FROM games
WHERE (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
  AND (sqlc.narg(name_contains)::text IS NULL
       OR strpos(lower(name), lower(sqlc.narg(name_contains))) > 0)
  AND (sqlc.narg(before_created)::timestamptz IS NULL
       OR (created_at, game_id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::text))
ORDER BY created_at DESC, game_id DESC
LIMIT @max_rows;

-- name: ListExpiredEnrollments :many
SELECT * FROM games WHERE status = 'enrollment_open' AND enrollment_ends_at <= @now ORDER BY enrollment_ends_at LIMIT @max_rows;

-- name: CountGamesByStatus :many
SELECT status, count(*)::bigint AS games FROM games GROUP BY status;

-- name: ListOwnedLiveGames :many
SELECT * FROM games WHERE owner_user_id = @user_id AND status NOT IN ('finished', 'cancelled');

-- name: InsertApplication :one
INSERT INTO applications (application_id, game_id, user_id, race_name, status)
VALUES (@application_id, @game_id, @user_id, @race_name, 'submitted')
RETURNING *;

-- name: LockApplication :one
SELECT * FROM applications WHERE application_id = @application_id AND game_id = @game_id FOR UPDATE;

-- name: SetApplicationStatus :one
UPDATE applications SET status = @to_status, decided_at = now()
WHERE application_id = @application_id AND status = @from_status
RETURNING *;

-- name: ListApplications :many
SELECT * FROM applications WHERE game_id = @game_id AND (sqlc.narg(user_id)::text IS NULL OR user_id = sqlc.narg(user_id))
ORDER BY created_at, application_id;

-- name: ListUserSubmittedApplications :many
SELECT * FROM applications WHERE user_id = @user_id AND status = 'submitted';

-- name: HasApplied :one
SELECT EXISTS (SELECT 1 FROM applications WHERE game_id = @game_id AND user_id = @user_id) AS applied;

-- name: InsertInvite :one
INSERT INTO invites (invite_id, game_id, inviter_user_id, invitee_user_id, status, expires_at)
VALUES (@invite_id, @game_id, @inviter_user_id, @invitee_user_id, 'created', @expires_at)
RETURNING *;

-- name: LockInvite :one
SELECT * FROM invites WHERE invite_id = @invite_id FOR UPDATE;

-- name: SetInviteStatus :one
UPDATE invites SET status = @to_status, decided_at = now(), race_name = coalesce(sqlc.narg(race_name), race_name)
WHERE invite_id = @invite_id AND status = 'created'
RETURNING *;

-- name: ListInvitesForUser :many
SELECT * FROM invites WHERE invitee_user_id = @user_id AND status = 'created' AND expires_at > now()
ORDER BY created_at DESC, invite_id DESC;

-- name: ListGameInvites :many
-- A game's invites for its owner, newest first, with the invitee's name.
SELECT sqlc.embed(invites), u.display_name AS invitee_display_name
FROM invites JOIN users u ON u.user_id = invites.invitee_user_id
WHERE invites.game_id = @game_id
ORDER BY invites.created_at DESC, invites.invite_id DESC;

-- name: ListUserOpenInvites :many
-- Invites to or from the user that are still open (the block cascade).
SELECT * FROM invites WHERE (invitee_user_id = @user_id OR inviter_user_id = @user_id) AND status = 'created';

-- name: IsInvited :one
SELECT EXISTS (SELECT 1 FROM invites WHERE game_id = @game_id AND invitee_user_id = @user_id) AS invited;

-- name: UpsertMembership :one
-- A player who joins before the start plays a race of their own, whose id
-- is their user id.
INSERT INTO memberships (game_id, user_id, race_id, race_name, status)
VALUES (@game_id, @user_id, @user_id, @race_name, 'active')
ON CONFLICT (game_id, user_id) DO UPDATE SET race_name = EXCLUDED.race_name, race_id = EXCLUDED.race_id,
    status = 'active', joined_at = now(), left_at = NULL
RETURNING *;

-- name: GetMembership :one
SELECT * FROM memberships WHERE game_id = @game_id AND user_id = @user_id;

-- name: SetMembershipStatus :one
UPDATE memberships SET status = @to_status, left_at = now()
WHERE game_id = @game_id AND user_id = @user_id AND status = 'active'
RETURNING *;

-- name: SetMembershipRaceName :one
UPDATE memberships SET race_name = @race_name
WHERE game_id = @game_id AND user_id = @user_id AND status = 'active'
RETURNING *;

-- name: ListMembers :many
SELECT * FROM memberships WHERE game_id = @game_id ORDER BY joined_at, user_id;

-- name: ListActiveMembers :many
SELECT * FROM memberships WHERE game_id = @game_id AND status = 'active' ORDER BY joined_at, user_id;

-- name: ListUserActiveMemberships :many
SELECT * FROM memberships WHERE user_id = @user_id AND status = 'active';

-- name: ExpireGameInvites :many
UPDATE invites SET status = 'expired', decided_at = now() WHERE game_id = @game_id AND status = 'created'
RETURNING *;

-- name: RejectSubmittedApplications :many
-- A cancelled game's pending applications.
UPDATE applications SET status = 'rejected', decided_at = now()
WHERE game_id = @game_id AND status = 'submitted'
RETURNING *;

-- name: EndActiveMemberships :many
-- A cancelled game's active memberships.
UPDATE memberships SET status = 'ended', left_at = now()
WHERE game_id = @game_id AND status = 'active'
RETURNING *;

-- name: ExtendEnrollment :one
UPDATE games SET enrollment_ends_at = @enrollment_ends_at
WHERE game_id = @game_id AND status = 'enrollment_open'
RETURNING *;

-- name: ExtendOpenInvites :exec
UPDATE invites SET expires_at = @expires_at WHERE game_id = @game_id AND status = 'created';

-- name: UserIDByEmail :one
SELECT user_id FROM users WHERE lower(email) = lower(@email);

-- name: ListSubstitutesWanted :many
-- The races offered to substitutes in the given games.
SELECT game_id, race_name FROM memberships
WHERE game_id = ANY(@game_ids::text[]) AND substitute_wanted AND status = 'active'
ORDER BY game_id, race_name;

-- name: OfferRaces :many
-- The substitute policy: these players' races are offered to new players.
UPDATE memberships SET substitute_wanted = true
WHERE game_id = @game_id AND user_id = ANY(@user_ids::text[]) AND status = 'active' AND NOT substitute_wanted
RETURNING *;

-- name: LockOfferedRace :one
SELECT * FROM memberships
WHERE game_id = @game_id AND race_name = @race_name AND status = 'active' AND substitute_wanted
FOR UPDATE;

-- name: LockActiveRace :one
SELECT * FROM memberships WHERE game_id = @game_id AND race_id = @race_id AND status = 'active' FOR UPDATE;

-- name: EndHandedOverMembership :one
-- The player whose race a substitute took over.
UPDATE memberships SET status = 'removed', left_at = now(), substitute_wanted = false
WHERE game_id = @game_id AND user_id = @user_id AND status = 'active'
RETURNING *;

-- name: InsertSubstituteMembership :one
-- A substitute plays an existing race: its id and name stay the race's.
INSERT INTO memberships (game_id, user_id, race_id, race_name, status)
VALUES (@game_id, @user_id, @race_id, @race_name, 'active')
RETURNING *;

-- name: InsertSubstituteClaim :one
INSERT INTO substitute_claims (claim_id, game_id, race_id, race_name, user_id, status)
VALUES (@claim_id, @game_id, @race_id, @race_name, @user_id, 'submitted')
RETURNING *;

-- name: LockSubstituteClaim :one
SELECT * FROM substitute_claims WHERE claim_id = @claim_id AND game_id = @game_id FOR UPDATE;

-- name: SetSubstituteClaimStatus :one
UPDATE substitute_claims SET status = @to_status, decided_at = now()
WHERE claim_id = @claim_id AND status = 'submitted'
RETURNING *;

-- name: RejectOpenRaceClaims :many
-- The other open claims of a race that has just been handed over.
UPDATE substitute_claims SET status = 'rejected', decided_at = now()
WHERE game_id = @game_id AND race_id = @race_id AND status = 'submitted'
RETURNING *;

-- name: PageSubstituteClaims :many
-- One page of a game's substitute claims, oldest first (optionally one
-- user's).
SELECT * FROM substitute_claims
WHERE game_id = @game_id AND (sqlc.narg(user_id)::text IS NULL OR user_id = sqlc.narg(user_id))
  AND (sqlc.narg(after_created)::timestamptz IS NULL
       OR (created_at, claim_id) > (sqlc.narg(after_created)::timestamptz, sqlc.narg(after_id)::text))
ORDER BY created_at, claim_id
LIMIT @max_rows;

-- name: HasClaimed :one
SELECT EXISTS (SELECT 1 FROM substitute_claims WHERE game_id = @game_id AND user_id = @user_id) AS claimed;

-- name: SetOrdersPasswordHash :execrows
-- Only an active membership gets one; the previous password is replaced.
INSERT INTO orders_passwords (game_id, user_id, password_hash)
SELECT m.game_id, m.user_id, @password_hash::text FROM memberships m
WHERE m.game_id = @game_id AND m.user_id = @user_id AND m.status = 'active'
ON CONFLICT (game_id, user_id) DO UPDATE SET password_hash = excluded.password_hash, issued_at = now();

-- name: FindMailMember :one
-- The active membership of a player's race, for a command by mail: the game
-- named by id, or by a name no other game under way has.
SELECT m.*, g.name AS game_name, g.status AS game_status,
       coalesce(p.password_hash, '')::text AS orders_password_hash
FROM memberships m JOIN games g USING (game_id)
LEFT JOIN orders_passwords p ON p.game_id = m.game_id AND p.user_id = m.user_id
WHERE m.user_id = @user_id AND m.status = 'active' AND lower(m.race_name) = lower(@race_name)
  AND (g.game_id = @game_ref
       OR (lower(g.name) = lower(@game_ref) AND g.status IN ('running', 'paused')
           AND NOT EXISTS (SELECT 1 FROM games o WHERE lower(o.name) = lower(@game_ref)
                           AND o.status IN ('running', 'paused') AND o.game_id <> g.game_id)));

-- name: ListActiveRaces :many
SELECT user_id, race_name FROM memberships WHERE game_id = @game_id AND status = 'active' ORDER BY race_name;
