-- name: InsertDeliveries :exec
-- Writes deliveries, their recipients and their rendered payloads in one
-- statement, whatever their number (one round trip at intake). The arrays
-- are parallel, one element per delivery, except the recipient arrays, one
-- element per recipient; an empty idempotency key or resent_from is none.
-- (unnest in the select list walks parallel arrays together.) A
-- data-modifying CTE's foreign keys are checked at the end of the
-- statement, once the delivery rows exist.
WITH delivery AS (
    INSERT INTO mail_deliveries (delivery_id, idempotency_key, template, locale, status, source, max_attempts,
                                 resent_from, in_reply_to)
    SELECT unnest(@delivery_ids::text[]), nullif(unnest(@idempotency_keys::text[]), ''),
           unnest(@templates::text[]), unnest(@locales::text[]), unnest(@statuses::text[]),
           unnest(@sources::text[]), unnest(@max_attempts::integer[]), nullif(unnest(@resent_froms::text[]), ''),
           unnest(@in_reply_tos::text[])
), recipients AS (
    INSERT INTO mail_delivery_recipients (delivery_id, position, address)
    SELECT unnest(@recipient_delivery_ids::text[]), unnest(@recipient_positions::integer[]),
           unnest(@recipient_addresses::text[])
)
INSERT INTO mail_delivery_payloads (delivery_id, data, subject, text_body, html_body, attachments)
SELECT unnest(@delivery_ids::text[]), unnest(@data::jsonb[]), unnest(@subjects::text[]),
       unnest(@text_bodies::text[]), unnest(@html_bodies::text[]), unnest(@attachments::jsonb[]);

-- name: ClaimIdempotencyKeys :many
-- Takes each key that is free or expired and returns the keys taken; a key
-- another live delivery holds is not returned. The keys must be distinct.
INSERT INTO mail_idempotency_keys AS k (idempotency_key, delivery_id, request_hash, expires_at)
SELECT unnest(@idempotency_keys::text[]), unnest(@delivery_ids::text[]), unnest(@request_hashes::text[]),
       unnest(@expires_at::timestamptz[])
ON CONFLICT (idempotency_key) DO UPDATE
    SET delivery_id = EXCLUDED.delivery_id, request_hash = EXCLUDED.request_hash, expires_at = EXCLUDED.expires_at
    WHERE k.expires_at <= now()
RETURNING idempotency_key;

-- name: GetIdempotencyKey :one
SELECT delivery_id, request_hash, expires_at FROM mail_idempotency_keys WHERE idempotency_key = @idempotency_key;

-- name: GetDelivery :one
SELECT * FROM mail_deliveries WHERE delivery_id = @delivery_id;

-- name: GetPayload :one
SELECT * FROM mail_delivery_payloads WHERE delivery_id = @delivery_id;

-- name: ListRecipients :many
SELECT address FROM mail_delivery_recipients WHERE delivery_id = @delivery_id ORDER BY position;

-- name: ListPayloadDataFor :many
SELECT delivery_id, data FROM mail_delivery_payloads WHERE delivery_id = ANY(@delivery_ids::text[]);

-- name: ListRecipientsFor :many
SELECT delivery_id, address FROM mail_delivery_recipients
WHERE delivery_id = ANY(@delivery_ids::text[]) ORDER BY delivery_id, position;

-- name: ListAttempts :many
SELECT * FROM mail_attempts WHERE delivery_id = @delivery_id ORDER BY attempt_no, attempt_id;

-- name: GetDeadLetter :one
SELECT * FROM mail_dead_letters WHERE delivery_id = @delivery_id;

-- name: ListDeliveries :many
-- Newest first, keyset-paginated on (created_at, delivery_id); every filter
-- is optional.
SELECT d.* FROM mail_deliveries d
WHERE (sqlc.narg(status)::text IS NULL OR d.status = sqlc.narg(status))
  AND (sqlc.narg(template)::text IS NULL OR d.template = sqlc.narg(template))
  AND (sqlc.narg(recipient)::text IS NULL OR EXISTS (
        SELECT 1 FROM mail_delivery_recipients r
        WHERE r.delivery_id = d.delivery_id AND lower(r.address) = lower(sqlc.narg(recipient))))
  AND (sqlc.narg(before_created)::timestamptz IS NULL
       OR (d.created_at, d.delivery_id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::text))
ORDER BY d.created_at DESC, d.delivery_id DESC
LIMIT @max_rows;

-- name: StartAttempts :many
-- Claims the next attempt of each delivery that may still be sent (queued,
-- or sending after an attempt cut short by a crash) and returns what to
-- send, in one statement for a batch of deliveries: the UPDATE locks each
-- row and re-checks its status, so a sent, failed or cancelled delivery
-- yields no row and is never sent again.
WITH claimed AS (
    UPDATE mail_deliveries d
    SET status = 'sending', attempt_count = d.attempt_count + 1, next_attempt_at = NULL
    WHERE d.delivery_id = ANY(@delivery_ids::text[]) AND d.status IN ('queued', 'sending')
    RETURNING d.delivery_id, d.attempt_count, d.in_reply_to
)
SELECT c.delivery_id, c.attempt_count, c.in_reply_to, p.subject, p.text_body, p.html_body, p.attachments,
       ARRAY(SELECT r.address FROM mail_delivery_recipients r
             WHERE r.delivery_id = c.delivery_id ORDER BY r.position)::text[] AS recipients
FROM claimed c
JOIN mail_delivery_payloads p ON p.delivery_id = c.delivery_id;

-- name: GetDeliveryStatus :one
SELECT status FROM mail_deliveries WHERE delivery_id = @delivery_id;

-- name: InsertAttempt :exec
INSERT INTO mail_attempts (delivery_id, attempt_no, started_at, duration_ms, outcome, smtp_code, error)
VALUES (@delivery_id, @attempt_no, @started_at, @duration_ms, @outcome, @smtp_code, @error);

-- name: MarkSent :exec
-- Records the successful attempts of a batch of deliveries and marks them
-- sent, in one statement (one implicit transaction).
WITH sent AS (
    SELECT unnest(@delivery_ids::text[]) AS delivery_id, unnest(@attempt_nos::integer[]) AS attempt_no,
           unnest(@started_ats::timestamptz[]) AS started_at, unnest(@durations_ms::float8[]) AS duration_ms
), attempts AS (
    INSERT INTO mail_attempts (delivery_id, attempt_no, started_at, duration_ms, outcome)
    SELECT sent.delivery_id, sent.attempt_no, sent.started_at, sent.duration_ms, 'sent' FROM sent
)
UPDATE mail_deliveries d SET status = 'sent', sent_at = now(), last_error = NULL
FROM sent WHERE d.delivery_id = sent.delivery_id;

-- name: MarkRetry :exec
UPDATE mail_deliveries SET status = 'queued', last_error = @last_error, next_attempt_at = @next_attempt_at
WHERE delivery_id = @delivery_id;

-- name: MarkFailed :exec
UPDATE mail_deliveries SET status = 'failed', last_error = @last_error, next_attempt_at = NULL
WHERE delivery_id = @delivery_id;

-- name: InsertDeadLetter :exec
INSERT INTO mail_dead_letters (delivery_id, attempts, smtp_code, reason)
VALUES (@delivery_id, @attempts, @smtp_code, @reason)
ON CONFLICT (delivery_id) DO NOTHING;

-- name: InsertMalformedCommand :one
INSERT INTO mail_malformed_commands (source, raw, reason, details)
VALUES (@source, @raw, @reason, @details)
RETURNING command_id;

-- name: DeleteExpiredDeliveries :execrows
DELETE FROM mail_deliveries WHERE delivery_id IN (
    SELECT e.delivery_id FROM mail_deliveries e
    WHERE e.created_at < @cutoff AND e.status NOT IN ('queued', 'sending')
    ORDER BY e.created_at LIMIT @batch
);

-- name: DeleteExpiredMalformedCommands :execrows
DELETE FROM mail_malformed_commands WHERE command_id IN (
    SELECT e.command_id FROM mail_malformed_commands e WHERE e.received_at < @cutoff ORDER BY e.received_at LIMIT @batch
);

-- name: DeleteExpiredIdempotencyKeys :execrows
DELETE FROM mail_idempotency_keys WHERE idempotency_key IN (
    SELECT e.idempotency_key FROM mail_idempotency_keys e WHERE e.expires_at <= now() ORDER BY e.expires_at LIMIT @batch
);

-- name: CountByStatus :many
SELECT status, count(*)::bigint AS deliveries FROM mail_deliveries GROUP BY status;

-- name: OldestQueuedAt :one
SELECT created_at FROM mail_deliveries WHERE status IN ('queued', 'sending') ORDER BY created_at LIMIT 1;
