-- +goose Up
-- A player may excuse their race for the next few turns
-- (POST .../absence): through absent_until_turn the race is not idle, and
-- the game's owner sees who is away.
ALTER TABLE memberships ADD COLUMN absent_until_turn integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE memberships DROP COLUMN absent_until_turn;
