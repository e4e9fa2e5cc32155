-- +goose Up
-- Geo: sign-in counters per country and UTC day. The backend aggregates
-- sign-ins in memory and adds them here in one batch per flush interval, so
-- this table sees one small upsert every few seconds per replica rather than
-- a write per sign-in.

CREATE TABLE geo_signin_counters (
    -- ISO 3166-1 alpha-2; 'ZZ' (user-assigned, never a real country) counts
    -- sign-ins whose country is unknown: no database, private address, or
    -- an address the database does not cover.
    country  text   NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    day      date   NOT NULL,
    signins  bigint NOT NULL CHECK (signins >= 0),
    PRIMARY KEY (country, day)
);
-- Admin reads ask for a range of days across every country.
CREATE INDEX geo_signin_counters_day_idx ON geo_signin_counters (day);

-- One row per applied flush batch, written in the batch's transaction. When
-- a flush fails with an unknown outcome (a timeout or a lost connection after
-- the commit was sent), the retry carries the same batch_id and finds it
-- here, so increments are applied exactly once. Rows older than two days are
-- pruned by the flushes themselves.
CREATE TABLE geo_signin_flushes (
    batch_id    text PRIMARY KEY,
    flushed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX geo_signin_flushes_flushed_at_idx ON geo_signin_flushes (flushed_at);

-- +goose Down
DROP TABLE geo_signin_flushes;
DROP TABLE geo_signin_counters;
