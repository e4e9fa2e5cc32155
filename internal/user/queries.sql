-- name: GetUser :one
SELECT * FROM users WHERE user_id = @user_id;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE lower(email) = lower(@email);

-- name: InsertUser :one
INSERT INTO users (user_id, email, display_name, country)
VALUES (@user_id, @email, @display_name, @country)
ON CONFLICT (lower(email)) DO NOTHING
RETURNING *;

-- name: UpdateProfile :one
UPDATE users SET display_name = @display_name, timezone = @timezone WHERE user_id = @user_id RETURNING *;

-- name: SetStatus :one
UPDATE users SET status = @status, block_reason = @block_reason,
    blocked_at = CASE WHEN @status::text = 'active' THEN NULL ELSE now() END
WHERE user_id = @user_id RETURNING *;

-- name: TouchLastSeen :exec
UPDATE users SET last_seen_at = now() WHERE user_id = @user_id AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute');

-- name: EstimateUserCount :one
-- The planner's estimate of the number of users (-1 before the table is
-- first analysed): the cache sizes its map with it before a warm-up.
SELECT reltuples::bigint AS estimate FROM pg_catalog.pg_class WHERE oid = 'users'::regclass;

-- name: ListUsersPage :many
-- One batch of the users the cache keeps in memory, in user_id order after
-- a keyset cursor: the cache warms in batches, reading the primary key's
-- order, so no query holds every row at once.
SELECT * FROM users WHERE user_id > @after_id ORDER BY user_id LIMIT @max_rows;

-- name: SearchUsers :many
-- strpos, not LIKE: the query is plain text, so "%" and "_" match only
-- themselves (with LIKE, "_" found every user).
SELECT * FROM users
WHERE (@query::text = '' OR user_id = @query OR strpos(lower(email), lower(@query)) > 0
       OR strpos(lower(display_name), lower(@query)) > 0)
  AND (sqlc.narg(before_created)::timestamptz IS NULL
       OR (created_at, user_id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::text))
ORDER BY created_at DESC, user_id DESC
LIMIT @max_rows;
