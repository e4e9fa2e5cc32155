-- +goose Up
-- A player reads back the order set they sent (GET .../orders): with the
-- engine's verdict from when they sent it, so the order editor shows each
-- mistake at its line without asking the engine again.
ALTER TABLE game_orders ADD COLUMN errors jsonb NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE game_orders DROP COLUMN errors;
