-- +goose Up
-- Engine health between turns (internal/runtime reconciler): consecutive
-- failed /healthz probes of a running engine. The reconciler replaces an
-- engine whose count reaches BACKEND_RUNTIME_HEALTH_FAILURES; a good probe or
-- a committed turn resets it.
ALTER TABLE runtime_records ADD COLUMN health_failures integer NOT NULL DEFAULT 0;
-- replacements counts the engines re-created for the game (vanished or
-- unhealthy), for operators.
ALTER TABLE runtime_records ADD COLUMN replacements integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE runtime_records DROP COLUMN replacements;
ALTER TABLE runtime_records DROP COLUMN health_failures;
