-- Inbound mail queries (sqlc → internal/mail/inbound/inboundstore).

-- name: InsertInbound :one
-- A message already received (same Message-ID, by either door) is not
-- stored again: no row comes back.
INSERT INTO inbound_mails (inbound_id, message_key, message_id, source, envelope_from, sender, subject, size_bytes, raw, status)
VALUES (@inbound_id, @message_key, @message_id, @source, @envelope_from, @sender, @subject, @size_bytes, @raw, 'received')
ON CONFLICT (message_key) DO NOTHING
RETURNING inbound_id;

-- name: InboundIDByKey :one
SELECT inbound_id FROM inbound_mails WHERE message_key = @message_key;

-- name: FinishInbound :exec
UPDATE inbound_mails SET status = @status, outcome = @outcome, processed_at = now() WHERE inbound_id = @inbound_id;

-- name: UserByEmail :one
SELECT user_id, email, display_name FROM users WHERE lower(email) = lower(@email) AND status = 'active';

-- name: InsertGameMessage :exec
-- One recipient's copy of a relayed message; a retried relay stores it once.
INSERT INTO game_messages (message_id, game_id, from_race_name, from_user_id, to_user_id, to_race_name, to_all, body, inbound_id)
VALUES (@message_id, @game_id, @from_race_name, @from_user_id, @to_user_id, @to_race_name, @to_all, @body, @inbound_id)
ON CONFLICT (message_id) DO NOTHING;

-- name: PageGameMessages :many
-- One page of the messages a player received in a game, newest first.
SELECT * FROM game_messages
WHERE game_id = @game_id AND to_user_id = @to_user_id
  AND (sqlc.narg(before_created)::timestamptz IS NULL
       OR (created_at, message_id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::text))
ORDER BY created_at DESC, message_id DESC
LIMIT @max_rows;

-- name: DeleteOldInbound :execrows
-- Processed mails received before @before, up to max_rows at a time.
DELETE FROM inbound_mails d WHERE d.inbound_id IN (
    SELECT o.inbound_id FROM inbound_mails o WHERE o.status <> 'received' AND o.received_at < @before::timestamptz
    LIMIT @max_rows);

-- name: PageInbound :many
-- Newest first, keyset-paginated on (received_at, inbound_id); every
-- filter is optional.
SELECT inbound_id, message_id, source, envelope_from, sender, subject, size_bytes, status, outcome, received_at, processed_at
FROM inbound_mails
WHERE (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
  AND (sqlc.narg(sender)::text IS NULL OR lower(sender) = lower(sqlc.narg(sender)))
  AND (sqlc.narg(before_received)::timestamptz IS NULL
       OR (received_at, inbound_id) < (sqlc.narg(before_received)::timestamptz, sqlc.narg(before_id)::text))
ORDER BY received_at DESC, inbound_id DESC
LIMIT @max_rows;

-- name: GetInbound :one
SELECT * FROM inbound_mails WHERE inbound_id = @inbound_id;

-- name: CountInboundByStatus :many
SELECT status, count(*)::bigint AS mails FROM inbound_mails GROUP BY status;
