-- name: InsertChallenge :exec
INSERT INTO login_challenges (challenge_id, email, code_hash, max_attempts, expires_at, client_ip)
VALUES (@challenge_id, @email, @code_hash, @max_attempts, @expires_at, @client_ip);

-- name: LockChallenge :one
SELECT * FROM login_challenges WHERE challenge_id = @challenge_id FOR UPDATE;

-- name: CountChallengeAttempt :exec
UPDATE login_challenges SET attempts = attempts + 1 WHERE challenge_id = @challenge_id;

-- name: ConsumeChallenge :exec
UPDATE login_challenges SET consumed_at = now(), attempts = attempts + 1 WHERE challenge_id = @challenge_id;

-- name: DeleteExpiredChallenges :execrows
DELETE FROM login_challenges WHERE expires_at < @cutoff;

-- name: InsertSession :one
INSERT INTO sessions (session_id, user_id, token_hash, expires_at, client_ip, user_agent)
VALUES (@session_id, @user_id, @token_hash, @expires_at, @client_ip, @user_agent)
RETURNING *;

-- name: GetSessionByHash :one
SELECT * FROM sessions WHERE token_hash = @token_hash;

-- name: ListActiveSessionsPage :many
-- One batch of the live sessions the token cache keeps, in session_id
-- order after a keyset cursor (the cache warms in batches).
SELECT * FROM sessions
WHERE session_id > @after_id AND revoked_at IS NULL AND expires_at > now()
ORDER BY session_id LIMIT @max_rows;

-- name: ListUserSessions :many
SELECT * FROM sessions WHERE user_id = @user_id AND revoked_at IS NULL AND expires_at > now()
ORDER BY created_at DESC, session_id DESC;

-- name: PageUserSessions :many
-- One page of a user's live sessions, newest first, after a keyset cursor.
SELECT * FROM sessions WHERE user_id = @user_id AND revoked_at IS NULL AND expires_at > now()
  AND (sqlc.narg(before_created)::timestamptz IS NULL
       OR (created_at, session_id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::text))
ORDER BY created_at DESC, session_id DESC
LIMIT @max_rows;

-- name: RevokeSession :one
UPDATE sessions SET revoked_at = now(), revoke_reason = @reason
WHERE session_id = @session_id AND user_id = @user_id AND revoked_at IS NULL
RETURNING *;

-- name: RevokeUserSessions :many
UPDATE sessions SET revoked_at = now(), revoke_reason = @reason
WHERE user_id = @user_id AND revoked_at IS NULL
RETURNING *;

-- name: ExtendSession :execrows
-- No row when the session was revoked meanwhile.
UPDATE sessions SET expires_at = @expires_at, last_used_at = now() WHERE session_id = @session_id AND revoked_at IS NULL;

-- name: DeleteDeadSessions :execrows
DELETE FROM sessions WHERE expires_at < @cutoff OR revoked_at < @cutoff;
