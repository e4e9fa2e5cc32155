-- +goose Up
-- Play by mail (internal/mail/inbound): every message the SMTP listener or
-- the providers' webhook accepts is stored raw here before it is
-- acknowledged, and processed once by a River job (mail.inbound).
CREATE TABLE inbound_mails (
    inbound_id     text PRIMARY KEY,
    -- message_key is the Message-ID, or a digest of the raw message when it
    -- has none: a message is processed once, whichever door it came by.
    message_key    text NOT NULL UNIQUE,
    message_id     text NOT NULL DEFAULT '',
    source         text NOT NULL CHECK (source IN ('smtp', 'webhook')),
    envelope_from  text NOT NULL DEFAULT '',
    sender         text NOT NULL DEFAULT '',
    subject        text NOT NULL DEFAULT '',
    size_bytes     integer NOT NULL,
    raw            bytea NOT NULL,
    status         text NOT NULL CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
    -- outcome says, for operators, what processing did: one line per command.
    outcome        text NOT NULL DEFAULT '',
    received_at    timestamptz NOT NULL DEFAULT now(),
    processed_at   timestamptz
);
CREATE INDEX inbound_mails_received_idx ON inbound_mails (received_at DESC, inbound_id DESC);
CREATE INDEX inbound_mails_sender_idx ON inbound_mails (lower(sender), received_at DESC);
CREATE INDEX inbound_mails_status_idx ON inbound_mails (status, received_at DESC);

-- The orders password of a membership (#GALAXY/#REPORT/#RELAY by mail),
-- stored only as a hash; empty until the first one is issued.
ALTER TABLE memberships ADD COLUMN orders_password_hash text NOT NULL DEFAULT '';

-- Replies to inbound mail thread under the message they answer.
ALTER TABLE mail_deliveries ADD COLUMN in_reply_to text NOT NULL DEFAULT '';

-- Messages between races (#RELAY): each recipient's copy, read in the game.
CREATE TABLE game_messages (
    message_id      text PRIMARY KEY,
    game_id         text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    from_race_name  text NOT NULL,
    from_user_id    text NOT NULL,
    to_user_id      text NOT NULL REFERENCES users (user_id),
    to_race_name    text NOT NULL,
    -- to_all: the message went to every race, not to this one alone.
    to_all          boolean NOT NULL DEFAULT false,
    body            text NOT NULL,
    inbound_id      text REFERENCES inbound_mails (inbound_id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX game_messages_to_idx ON game_messages (to_user_id, game_id, created_at DESC, message_id DESC);

-- +goose Down
DROP TABLE game_messages;
ALTER TABLE mail_deliveries DROP COLUMN in_reply_to;
ALTER TABLE memberships DROP COLUMN orders_password_hash;
DROP TABLE inbound_mails;
