-- +goose Up
-- Substitutes (idle_policy "substitute"): a race can change hands. The race
-- a membership plays (race_id, the engine's id of the race) is no longer
-- always its player's user id: a claimant who takes over an idle race gets a
-- new membership with the old one's race_id, while the old membership ends
-- as 'removed'. A race's orders and reports are the race's, so they are
-- keyed by race_id; user_id on them says which player it was at the time.
ALTER TABLE memberships ADD COLUMN race_id text;
UPDATE memberships SET race_id = user_id;
ALTER TABLE memberships ALTER COLUMN race_id SET NOT NULL;
-- One player per race at a time.
CREATE UNIQUE INDEX memberships_active_race_key ON memberships (game_id, race_id) WHERE status = 'active';
-- substitute_wanted: the race went idle under the substitute policy and is
-- offered to a new player (the bot plays it meanwhile); cleared when its
-- player returns or a substitute takes it.
ALTER TABLE memberships ADD COLUMN substitute_wanted boolean NOT NULL DEFAULT false;
CREATE INDEX memberships_substitute_wanted_idx ON memberships (game_id) WHERE substitute_wanted;

ALTER TABLE game_orders ADD COLUMN race_id text;
UPDATE game_orders SET race_id = user_id;
ALTER TABLE game_orders ALTER COLUMN race_id SET NOT NULL;
ALTER TABLE game_orders DROP CONSTRAINT game_orders_pkey;
ALTER TABLE game_orders ADD PRIMARY KEY (game_id, turn, race_id);

ALTER TABLE race_reports DROP CONSTRAINT race_reports_pkey;
ALTER TABLE race_reports ADD PRIMARY KEY (game_id, turn, race_id);
DROP INDEX race_reports_user_idx;
CREATE INDEX race_reports_race_idx ON race_reports (game_id, race_id, turn DESC);
CREATE INDEX race_reports_user_idx ON race_reports (game_id, user_id, turn DESC);

-- A player's claim of a race offered to substitutes. In a public game it is
-- approved at once; in a private one it waits for the owner.
CREATE TABLE substitute_claims (
    claim_id    text PRIMARY KEY,
    game_id     text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    race_id     text NOT NULL,
    race_name   text NOT NULL,
    user_id     text NOT NULL REFERENCES users (user_id),
    status      text NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    decided_at  timestamptz
);
-- One open claim per player and game.
CREATE UNIQUE INDEX substitute_claims_open_key ON substitute_claims (game_id, user_id) WHERE status = 'submitted';
CREATE INDEX substitute_claims_game_idx ON substitute_claims (game_id, created_at, claim_id);

-- +goose Down
DROP TABLE substitute_claims;
DROP INDEX race_reports_user_idx;
DROP INDEX race_reports_race_idx;
ALTER TABLE race_reports DROP CONSTRAINT race_reports_pkey;
ALTER TABLE race_reports ADD PRIMARY KEY (game_id, turn, user_id);
CREATE INDEX race_reports_user_idx ON race_reports (game_id, user_id, turn DESC);
ALTER TABLE game_orders DROP CONSTRAINT game_orders_pkey;
ALTER TABLE game_orders ADD PRIMARY KEY (game_id, turn, user_id);
ALTER TABLE game_orders DROP COLUMN race_id;
DROP INDEX memberships_substitute_wanted_idx;
ALTER TABLE memberships DROP COLUMN substitute_wanted;
DROP INDEX memberships_active_race_key;
ALTER TABLE memberships DROP COLUMN race_id;
