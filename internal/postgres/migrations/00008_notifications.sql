-- +goose Up
-- Notifications: the in-app inbox (one row per recipient of an intent), the
-- per-user channel preferences, the delivery routes (one per recipient and
-- channel) and the routes that exhausted their attempt budget.
-- notification_routes is the record of truth; a River job per route drives
-- its attempts.

CREATE TABLE notifications (
    notification_id  text PRIMARY KEY,
    user_id          text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    kind             text NOT NULL,
    payload          jsonb NOT NULL DEFAULT '{}',
    dedupe_key       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    read_at          timestamptz,
    -- A repeated intent with the same key is a no-op for that recipient.
    CONSTRAINT notifications_dedupe_key UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, notification_id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC, notification_id DESC)
    WHERE read_at IS NULL;

-- Only deviations from the defaults are stored; a missing row means the
-- default for that kind.
CREATE TABLE notification_preferences (
    user_id     text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    kind        text NOT NULL,
    push        boolean NOT NULL,
    email       boolean NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE notification_routes (
    route_id         text PRIMARY KEY,
    notification_id  text NOT NULL REFERENCES notifications (notification_id) ON DELETE CASCADE,
    channel          text NOT NULL CHECK (channel IN ('push', 'email')),
    status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    -- Attempts of the current series (a replay starts a new one).
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    -- The mail delivery an email route produced.
    delivery_id      text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    CONSTRAINT notification_routes_channel_key UNIQUE (notification_id, channel)
);
CREATE INDEX notification_routes_pending_idx ON notification_routes (created_at) WHERE status = 'pending';
CREATE TRIGGER notification_routes_updated_at BEFORE UPDATE ON notification_routes
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE notification_dead_letters (
    route_id   text PRIMARY KEY REFERENCES notification_routes (route_id) ON DELETE CASCADE,
    reason     text NOT NULL,
    attempts   integer NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_dead_letters_failed_idx ON notification_dead_letters (failed_at DESC, route_id DESC);

-- +goose Down
DROP TABLE notification_dead_letters;
DROP TABLE notification_routes;
DROP TABLE notification_preferences;
DROP TABLE notifications;
