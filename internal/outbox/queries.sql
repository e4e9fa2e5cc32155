-- name: InsertEvent :exec
-- Records the event and notifies the relays in one round trip. PostgreSQL
-- delivers NOTIFY only when the transaction commits (never on rollback) and
-- folds identical notifications of one transaction into one.
WITH inserted AS (
    INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, payload, trace_carrier)
    VALUES (@id, @type, @aggregate_type, @aggregate_id, @payload, @trace_carrier)
    RETURNING id
)
SELECT pg_notify('outbox_events', '') FROM inserted;

-- name: ClaimDue :many
-- Locks up to @batch_size due pending rows. SKIP LOCKED lets several relays
-- (workers or replicas) claim disjoint batches; the locks last until the
-- claiming transaction ends, which is after the batch has been published and
-- marked.
SELECT id, type, aggregate_type, aggregate_id, payload, trace_carrier, attempt_count, created_at
FROM outbox_events
WHERE status = 'pending' AND next_attempt_at <= now()
ORDER BY next_attempt_at, id
LIMIT @batch_size
FOR UPDATE SKIP LOCKED;

-- name: MarkPublished :exec
-- clock_timestamp(): the time of the ack, not of the claim's start.
UPDATE outbox_events
SET status = 'published', published_at = clock_timestamp(), attempt_count = attempt_count + 1, last_error = NULL
WHERE id = ANY(@ids::uuid[]);

-- name: MarkFailed :batchexec
-- Records one failed publish and when to try again; sent as one pipelined
-- batch for all the failures of a claim. The delay is added to the database
-- clock, the one the claim compares with, so replica clock skew cannot move
-- a retry.
UPDATE outbox_events
SET attempt_count = attempt_count + 1,
    last_error = @last_error::text,
    next_attempt_at = clock_timestamp() + make_interval(secs => @retry_after_seconds::float8)
WHERE id = @id;

-- name: DeletePublishedBefore :execrows
-- One retention batch. SKIP LOCKED: replicas running retention at the same
-- time take different rows instead of queueing behind each other.
DELETE FROM outbox_events
WHERE id IN (
    SELECT e.id FROM outbox_events e
    WHERE e.status = 'published' AND e.published_at < @cutoff::timestamptz
    ORDER BY e.published_at
    LIMIT @batch_size
    FOR UPDATE SKIP LOCKED
);

-- name: PendingStats :one
-- The age is computed on the database clock, so replicas with skewed clocks
-- report the same figure.
SELECT count(*)::bigint AS pending,
       COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_age_seconds
FROM outbox_events
WHERE status = 'pending';
