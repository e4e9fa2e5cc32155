-- +goose Up
-- Mail: durable deliveries. mail_deliveries is the record of truth; a River
-- job per queued delivery drives the attempts.

CREATE TABLE mail_deliveries (
    delivery_id      text PRIMARY KEY,
    idempotency_key  text,
    template         text NOT NULL,
    locale           text NOT NULL,
    status           text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'suppressed', 'failed', 'cancelled')),
    source           text NOT NULL CHECK (source IN ('internal_api', 'in_process', 'command', 'resend')),
    attempt_count    integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL,
    next_attempt_at  timestamptz,
    last_error       text,
    resent_from      text REFERENCES mail_deliveries (delivery_id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX mail_deliveries_created_idx ON mail_deliveries (created_at DESC, delivery_id DESC);
CREATE INDEX mail_deliveries_status_idx ON mail_deliveries (status, created_at DESC);
CREATE INDEX mail_deliveries_template_idx ON mail_deliveries (template, created_at DESC);
CREATE INDEX mail_deliveries_active_idx ON mail_deliveries (created_at) WHERE status IN ('queued', 'sending');
CREATE INDEX mail_deliveries_resent_from_idx ON mail_deliveries (resent_from) WHERE resent_from IS NOT NULL;
CREATE TRIGGER mail_deliveries_updated_at BEFORE UPDATE ON mail_deliveries
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Idempotency keys live apart from deliveries so that a key can be reused
-- once BACKEND_MAIL_IDEMPOTENCY_TTL has passed, while the delivery stays.
CREATE TABLE mail_idempotency_keys (
    idempotency_key  text PRIMARY KEY,
    -- Deferred: intake claims the key before it writes the delivery, so that
    -- a duplicate request is detected before any work is done.
    delivery_id      text NOT NULL REFERENCES mail_deliveries (delivery_id) ON DELETE CASCADE
                     DEFERRABLE INITIALLY DEFERRED,
    request_hash     text NOT NULL,
    expires_at       timestamptz NOT NULL
);
CREATE INDEX mail_idempotency_keys_expires_idx ON mail_idempotency_keys (expires_at);
CREATE INDEX mail_idempotency_keys_delivery_idx ON mail_idempotency_keys (delivery_id);

CREATE TABLE mail_delivery_recipients (
    delivery_id  text NOT NULL REFERENCES mail_deliveries (delivery_id) ON DELETE CASCADE,
    position     integer NOT NULL,
    address      text NOT NULL,
    PRIMARY KEY (delivery_id, position)
);
CREATE INDEX mail_delivery_recipients_address_idx ON mail_delivery_recipients (lower(address));

CREATE TABLE mail_delivery_payloads (
    delivery_id  text PRIMARY KEY REFERENCES mail_deliveries (delivery_id) ON DELETE CASCADE,
    data         jsonb NOT NULL,
    subject      text NOT NULL,
    text_body    text NOT NULL,
    html_body    text NOT NULL
);

CREATE TABLE mail_attempts (
    attempt_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  text NOT NULL REFERENCES mail_deliveries (delivery_id) ON DELETE CASCADE,
    attempt_no   integer NOT NULL,
    started_at   timestamptz NOT NULL,
    duration_ms  double precision NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('sent', 'temporary_failure', 'permanent_failure')),
    smtp_code    integer,
    error        text
);
CREATE INDEX mail_attempts_delivery_idx ON mail_attempts (delivery_id, attempt_no);

CREATE TABLE mail_dead_letters (
    delivery_id  text PRIMARY KEY REFERENCES mail_deliveries (delivery_id) ON DELETE CASCADE,
    failed_at    timestamptz NOT NULL DEFAULT now(),
    attempts     integer NOT NULL,
    smtp_code    integer,
    reason       text NOT NULL
);

-- Commands that could not be turned into deliveries (bad JSON, unknown
-- template, invalid address ...), kept for operators instead of crashing
-- the consumer or dropping them silently.
CREATE TABLE mail_malformed_commands (
    command_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    raw          text NOT NULL,
    reason       text NOT NULL,
    details      jsonb
);
CREATE INDEX mail_malformed_commands_received_idx ON mail_malformed_commands (received_at);

-- +goose Down
DROP TABLE mail_malformed_commands;
DROP TABLE mail_dead_letters;
DROP TABLE mail_attempts;
DROP TABLE mail_delivery_payloads;
DROP TABLE mail_delivery_recipients;
DROP TABLE mail_idempotency_keys;
DROP TABLE mail_deliveries;
