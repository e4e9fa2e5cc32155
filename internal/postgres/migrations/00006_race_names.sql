-- +goose Up
-- Race Name Directory (internal/lobby/racenames): which user holds which race
-- name, and how.
--
-- The invariant "a canonical key is bound to at most one user at a time" is
-- kept by the database, not by application checks that could race:
--
--   * race_name_keys has one row per canonical key that is bound at all,
--     naming its single holder (the primary key makes a second holder
--     impossible);
--   * every binding in race_names references its key row through the pair
--     (canonical_key, holder_user_id), so a binding of another user than the
--     key's holder cannot exist, and the holder cannot change while any
--     binding still refers to the key.
--
-- Writers take the key row first (INSERT ... ON CONFLICT DO UPDATE, which
-- locks it) and delete it in the transaction that removes the key's last
-- binding, so concurrent claims on one key are serialised on that row and
-- exactly one user wins. (A key row left without bindings, which can happen
-- when another transaction held it at that moment, holds nothing: a claim
-- takes it over, and the pending-registration expirer sweeps it.) A unique index over race_names alone could not say
-- this: bindings of one user may legitimately share a key (a reservation in
-- each of several games, next to the registered name), so the uniqueness is
-- per (key, holder), which an exclusion constraint can express only with
-- btree_gist and without the cheap row lock writers need anyway.

CREATE TABLE race_name_keys (
    canonical_key   text PRIMARY KEY CHECK (canonical_key <> ''),
    holder_user_id  text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- The target of race_names' composite foreign key.
    CONSTRAINT race_name_keys_key_holder_key UNIQUE (canonical_key, holder_user_id)
);
CREATE INDEX race_name_keys_holder_idx ON race_name_keys (holder_user_id);

CREATE TABLE race_names (
    binding_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_key   text NOT NULL,
    -- The name as the player typed it (NFC), shown to other players.
    name            text NOT NULL CHECK (char_length(name) BETWEEN 3 AND 20),
    holder_user_id  text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    -- The game of a reservation or pending registration; NULL once
    -- registered. Not a foreign key: games live in a later migration, and
    -- the lobby releases a game's names itself when it cancels the game.
    game_id         text,
    binding_kind    text NOT NULL CHECK (binding_kind IN ('reservation', 'pending_registration', 'registered')),
    -- Until when a pending registration may be registered.
    eligible_until  timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT race_names_key_holder_fkey FOREIGN KEY (canonical_key, holder_user_id)
        REFERENCES race_name_keys (canonical_key, holder_user_id),
    CONSTRAINT race_names_shape_check CHECK (
        (binding_kind = 'reservation' AND game_id IS NOT NULL AND eligible_until IS NULL)
        OR (binding_kind = 'pending_registration' AND game_id IS NOT NULL AND eligible_until IS NOT NULL)
        OR (binding_kind = 'registered' AND game_id IS NULL AND eligible_until IS NULL))
);
-- One name per user and game (a reservation, or the pending registration it
-- became), and one user per name and game.
CREATE UNIQUE INDEX race_names_game_user_key ON race_names (game_id, holder_user_id) WHERE game_id IS NOT NULL;
CREATE UNIQUE INDEX race_names_game_key_key ON race_names (game_id, canonical_key) WHERE game_id IS NOT NULL;
-- A name is registered once.
CREATE UNIQUE INDEX race_names_registered_key ON race_names (canonical_key) WHERE binding_kind = 'registered';
-- Bindings of a key (claims, releases; the foreign key's referencing side).
CREATE INDEX race_names_key_idx ON race_names (canonical_key, holder_user_id);
-- GET /user/race-names and the block cascade.
CREATE INDEX race_names_holder_idx ON race_names (holder_user_id, created_at);
-- The pending-registration expirer's scan (named in the lobby runbook).
CREATE INDEX race_names_pending_eligible_idx ON race_names (eligible_until) WHERE binding_kind = 'pending_registration';
CREATE TRIGGER race_names_updated_at BEFORE UPDATE ON race_names FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- +goose Down
DROP TABLE race_names;
DROP TABLE race_name_keys;
