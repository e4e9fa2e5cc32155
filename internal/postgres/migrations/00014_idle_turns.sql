-- +goose Up
-- The backend's own count of a race's turns in a row without its player's
-- orders (excused turns leave it alone): the game's idle_policy applies
-- once it reaches settings.idle_turns.
ALTER TABLE memberships ADD COLUMN idle_turns integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE memberships DROP COLUMN idle_turns;
