-- +goose Up
-- Transactional outbox: domain services insert an event here in the same
-- transaction as the change it describes, so a committed change always has
-- its event and a rolled-back one never does. The relay (internal/outbox)
-- publishes pending rows to NATS JetStream and marks them published after the
-- JetStream ack; published rows are deleted after BACKEND_OUTBOX_RETENTION.

CREATE TABLE outbox_events (
    -- UUIDv7 by default: time-ordered, so new rows land at the right edge of
    -- the indexes, and used as Nats-Msg-Id for JetStream deduplication.
    id               uuid PRIMARY KEY,
    type             text NOT NULL CHECK (type ~ '^[a-z0-9_]+(\.[a-z0-9_]+)*$'),
    aggregate_type   text NOT NULL,
    aggregate_id     text NOT NULL,
    payload          jsonb NOT NULL,
    -- W3C trace context (traceparent, tracestate) of the publishing span, so
    -- that the relay's span and the consumers continue the same trace.
    trace_carrier    jsonb NOT NULL DEFAULT '{}',
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published')),
    attempt_count    integer NOT NULL DEFAULT 0,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- When the relay may try the row next: now() on insert, pushed into the
    -- future with backoff and jitter after a failed publish.
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    published_at     timestamptz,
    CONSTRAINT outbox_events_published_at_check CHECK ((status = 'published') = (published_at IS NOT NULL))
);

-- The relay's claim: due pending rows in (next_attempt_at, id) order. Partial,
-- so it stays as small as the backlog however many published rows are kept.
CREATE INDEX outbox_events_pending_idx ON outbox_events (next_attempt_at, id)
    INCLUDE (created_at) WHERE status = 'pending';
-- Retention: the oldest published rows first.
CREATE INDEX outbox_events_published_idx ON outbox_events (published_at) WHERE status = 'published';
-- Operators look events of one aggregate up.
CREATE INDEX outbox_events_aggregate_idx ON outbox_events (aggregate_type, aggregate_id, created_at);

-- +goose Down
DROP TABLE outbox_events;
