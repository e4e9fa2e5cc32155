-- name: UpsertAdmin :one
INSERT INTO admins (admin_id, username, password_hash) VALUES (@admin_id, @username, @password_hash)
ON CONFLICT (lower(username)) DO UPDATE SET password_hash = EXCLUDED.password_hash
RETURNING *;

-- name: InsertAdmin :one
INSERT INTO admins (admin_id, username, password_hash) VALUES (@admin_id, @username, @password_hash)
RETURNING *;

-- name: GetAdminByUsername :one
SELECT * FROM admins WHERE lower(username) = lower(@username);

-- name: InsertAdminSession :one
INSERT INTO admin_sessions (session_id, admin_id, token_hash, expires_at)
VALUES (@session_id, @admin_id, @token_hash, @expires_at)
RETURNING *;

-- name: ListActiveAdminSessionsPage :many
-- One batch of the live admin sessions the token cache keeps, in
-- session_id order after a keyset cursor (the cache warms in batches).
SELECT * FROM admin_sessions
WHERE session_id > @after_id AND revoked_at IS NULL AND expires_at > now()
ORDER BY session_id LIMIT @max_rows;

-- name: GetAdminSessionByHash :one
SELECT * FROM admin_sessions WHERE token_hash = @token_hash;

-- name: InsertAudit :exec
INSERT INTO admin_audit_log (admin_id, action, target_type, target_id, details)
VALUES (@admin_id, @action, @target_type, @target_id, @details);

-- name: ListAudit :many
SELECT * FROM admin_audit_log WHERE target_type = @target_type AND target_id = @target_id ORDER BY entry_id;

-- name: PageAudit :many
-- One page of the audit log, newest first, optionally one admin's or one
-- target's entries.
SELECT a.*, coalesce(ad.username, '')::text AS admin_username
FROM admin_audit_log a LEFT JOIN admins ad ON ad.admin_id = a.admin_id
WHERE (sqlc.narg(admin_id)::text IS NULL OR a.admin_id = sqlc.narg(admin_id))
  AND (sqlc.narg(target_type)::text IS NULL OR a.target_type = sqlc.narg(target_type))
  AND (sqlc.narg(target_id)::text IS NULL OR a.target_id = sqlc.narg(target_id))
  AND (sqlc.narg(before_id)::bigint IS NULL OR a.entry_id < sqlc.narg(before_id))
ORDER BY a.entry_id DESC
LIMIT @max_rows;

-- name: RevokeAdminSession :one
UPDATE admin_sessions SET revoked_at = now() WHERE session_id = @session_id AND revoked_at IS NULL RETURNING *;
