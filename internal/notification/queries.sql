-- name: InsertIntent :many
-- Records an intent in one statement, whatever the number of recipients:
-- one notification per recipient (a recipient who already has one with the
-- dedupe key gets nothing new), and one pending route per channel the
-- recipient's preference for the kind enables, or the kind's default when
-- the recipient has none. Each recipient comes with the ids its
-- notification and routes would take; the routes made are returned.
WITH input AS (
    SELECT unnest(@notification_ids::text[]) AS notification_id, unnest(@user_ids::text[]) AS user_id,
           unnest(@push_route_ids::text[]) AS push_route_id, unnest(@email_route_ids::text[]) AS email_route_id
), inserted AS (
    INSERT INTO notifications (notification_id, user_id, kind, payload, dedupe_key, created_at)
    SELECT input.notification_id, input.user_id, @kind, @payload, @dedupe_key, clock_timestamp() FROM input
    ON CONFLICT (user_id, dedupe_key) DO NOTHING
    RETURNING notification_id, user_id
), recipients AS (
    SELECT i.notification_id, input.push_route_id, input.email_route_id,
           coalesce(p.push, @default_push::boolean) AS push,
           coalesce(p.email, @default_email::boolean) AND @mailable::boolean AS email
    FROM inserted i
    JOIN input ON input.notification_id = i.notification_id
    LEFT JOIN notification_preferences p ON p.user_id = i.user_id AND p.kind = @kind
), routes AS (
    SELECT push_route_id AS route_id, 'push' AS channel, notification_id FROM recipients WHERE push
    UNION ALL
    SELECT email_route_id, 'email', notification_id FROM recipients WHERE email
)
INSERT INTO notification_routes (route_id, notification_id, channel, status)
SELECT routes.route_id, routes.notification_id, routes.channel, 'pending' FROM routes
RETURNING route_id;

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

-- name: UpsertPreference :exec
INSERT INTO notification_preferences (user_id, kind, push, email, report_format)
VALUES (@user_id, @kind, @push, @email, @report_format)
ON CONFLICT (user_id, kind) DO UPDATE SET push = excluded.push, email = excluded.email,
    report_format = excluded.report_format, updated_at = now();

-- name: GetReportFormat :one
SELECT report_format FROM notification_preferences WHERE user_id = @user_id AND kind = 'game.turn.ready';

-- name: LockRoute :one
SELECT r.route_id, r.channel, r.status, r.attempts,
       n.notification_id, n.user_id, n.kind, n.payload, n.created_at
FROM notification_routes r JOIN notifications n USING (notification_id)
WHERE r.route_id = @route_id
FOR UPDATE OF r;

-- name: LockRoutes :many
-- The routes of a batch of attempts, locked in id order (so that two
-- batches never wait on each other's locks in a cycle).
SELECT r.route_id, r.channel, r.status, r.attempts,
       n.notification_id, n.user_id, n.kind, n.payload, n.created_at
FROM notification_routes r JOIN notifications n USING (notification_id)
WHERE r.route_id = ANY(@route_ids::text[])
ORDER BY r.route_id
FOR UPDATE OF r;

-- name: GetRoute :one
SELECT * FROM notification_routes WHERE route_id = @route_id;

-- name: ListRoutesForNotification :many
SELECT * FROM notification_routes WHERE notification_id = @notification_id ORDER BY channel;

-- name: MarkDelivered :exec
-- Marks a batch of routes delivered; an email route records its mail
-- delivery (an empty delivery id is none).
UPDATE notification_routes r
SET status = 'delivered', attempts = r.attempts + 1, last_error = NULL, delivered_at = now(),
    delivery_id = nullif(d.delivery_id, '')
FROM (SELECT unnest(@route_ids::text[]) AS route_id, unnest(@delivery_ids::text[]) AS delivery_id) AS d
WHERE r.route_id = d.route_id;

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
