-- name: InsertNotification :one
-- A repeated (user, dedupe key) returns no row: the intent was already
-- recorded for that user.
INSERT INTO notifications (notification_id, user_id, kind, payload, dedupe_key, created_at)
VALUES (@notification_id, @user_id, @kind, @payload, @dedupe_key, clock_timestamp())
ON CONFLICT (user_id, dedupe_key) DO NOTHING
RETURNING *;

-- name: GetNotification :one
SELECT * FROM notifications WHERE notification_id = @notification_id;

-- name: ListNotifications :many
SELECT * FROM notifications
WHERE user_id = @user_id
  AND (NOT @unread_only::boolean OR read_at IS NULL)
  AND (sqlc.narg(before_created)::timestamptz IS NULL
       OR (created_at, notification_id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::text))
ORDER BY created_at DESC, notification_id DESC
LIMIT @max_rows;

-- name: MarkRead :one
-- Marks one of the user's notifications read (keeping the first read time).
UPDATE notifications SET read_at = coalesce(read_at, now())
WHERE notification_id = @notification_id AND user_id = @user_id
RETURNING *;

-- name: MarkAllRead :execrows
UPDATE notifications SET read_at = now() WHERE user_id = @user_id AND read_at IS NULL;

-- name: ListPreferences :many
SELECT * FROM notification_preferences WHERE user_id = @user_id ORDER BY kind;

-- name: ListPreferencesForKind :many
SELECT * FROM notification_preferences WHERE kind = @kind AND user_id = ANY(@user_ids::text[]);

-- name: UpsertPreference :exec
INSERT INTO notification_preferences (user_id, kind, push, email, report_format)
VALUES (@user_id, @kind, @push, @email, @report_format)
ON CONFLICT (user_id, kind) DO UPDATE SET push = excluded.push, email = excluded.email,
    report_format = excluded.report_format, updated_at = now();

-- name: GetReportFormat :one
SELECT report_format FROM notification_preferences WHERE user_id = @user_id AND kind = 'game.turn.ready';

-- name: InsertRoute :exec
INSERT INTO notification_routes (route_id, notification_id, channel, status)
VALUES (@route_id, @notification_id, @channel, 'pending');

-- name: LockRoute :one
SELECT r.route_id, r.channel, r.status, r.attempts,
       n.notification_id, n.user_id, n.kind, n.payload, n.created_at
FROM notification_routes r JOIN notifications n USING (notification_id)
WHERE r.route_id = @route_id
FOR UPDATE OF r;

-- name: GetRoute :one
SELECT * FROM notification_routes WHERE route_id = @route_id;

-- name: ListRoutesForNotification :many
SELECT * FROM notification_routes WHERE notification_id = @notification_id ORDER BY channel;

-- name: MarkDelivered :exec
UPDATE notification_routes
SET status = 'delivered', attempts = attempts + 1, last_error = NULL, delivered_at = now(),
    delivery_id = sqlc.narg(delivery_id)
WHERE route_id = @route_id;

-- name: RecordFailure :one
-- Counts a failed attempt and returns the attempts of the current series.
UPDATE notification_routes SET attempts = attempts + 1, last_error = @last_error
WHERE route_id = @route_id AND status = 'pending'
RETURNING attempts;

-- name: MarkDead :exec
UPDATE notification_routes SET status = 'dead' WHERE route_id = @route_id;

-- name: UpsertDeadLetter :exec
INSERT INTO notification_dead_letters (route_id, reason, attempts, failed_at)
VALUES (@route_id, @reason, @attempts, now())
ON CONFLICT (route_id) DO UPDATE SET reason = excluded.reason, attempts = excluded.attempts, failed_at = excluded.failed_at;

-- name: ListDeadLetters :many
SELECT d.route_id, d.reason, d.attempts, d.failed_at,
       r.channel, n.notification_id, n.user_id, n.kind
FROM notification_dead_letters d
JOIN notification_routes r USING (route_id)
JOIN notifications n USING (notification_id)
WHERE sqlc.narg(before_failed)::timestamptz IS NULL
   OR (d.failed_at, d.route_id) < (sqlc.narg(before_failed)::timestamptz, sqlc.narg(before_id)::text)
ORDER BY d.failed_at DESC, d.route_id DESC
LIMIT @max_rows;

-- name: DeleteDeadLetter :one
-- Removes a dead letter for replay; no row when there is none.
DELETE FROM notification_dead_letters WHERE route_id = @route_id RETURNING *;

-- name: RequeueRoute :exec
-- A replay starts a new attempt series.
UPDATE notification_routes SET status = 'pending', attempts = 0, last_error = NULL WHERE route_id = @route_id;

-- name: CountDeadLetters :one
SELECT count(*)::bigint FROM notification_dead_letters;
