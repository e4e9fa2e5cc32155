-- +goose Up
-- Engine health between turns (internal/runtime reconciler): consecutive
-- failed /healthz probes of a running engine. The reconciler replaces an
-- engine whose count reaches BACKEND_RUNTIME_HEALTH_FAILURES; a good probe or
-- a committed turn resets it.
ALTER TABLE runtime_records ADD COLUMN health_failures integer NOT NULL DEFAULT 0;
-- replacements counts the engines re-created for the game (vanished or
-- unhealthy), for operators.
ALTER TABLE runtime_records ADD COLUMN replacements integer NOT NULL DEFAULT 0;

-- Every replica caches the records (internal/runtime record cache): a
-- change that matters to readers is announced on the cache channel when its
-- transaction commits, whichever code path made it. Probe bookkeeping
-- (last_health_at, health_failures) is left out: it changes on every pass.
-- +goose StatementBegin
CREATE FUNCTION notify_runtime_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('galaxy_cache', json_build_object('k', 'runtime_record',
        'id', CASE TG_OP WHEN 'DELETE' THEN OLD.game_id ELSE NEW.game_id END)::text);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER runtime_records_notify_change AFTER INSERT OR DELETE ON runtime_records
    FOR EACH ROW EXECUTE FUNCTION notify_runtime_record();
CREATE TRIGGER runtime_records_notify_update AFTER UPDATE ON runtime_records
    FOR EACH ROW WHEN ((OLD.status, OLD.driver, OLD.container_id, OLD.endpoint, OLD.engine_token, OLD.current_turn,
                        OLD.paused, OLD.skip_next_tick, OLD.turn_in_progress, OLD.replacements)
                       IS DISTINCT FROM
                       (NEW.status, NEW.driver, NEW.container_id, NEW.endpoint, NEW.engine_token, NEW.current_turn,
                        NEW.paused, NEW.skip_next_tick, NEW.turn_in_progress, NEW.replacements))
    EXECUTE FUNCTION notify_runtime_record();

-- +goose Down
DROP TRIGGER runtime_records_notify_update ON runtime_records;
DROP TRIGGER runtime_records_notify_change ON runtime_records;
DROP FUNCTION notify_runtime_record();
ALTER TABLE runtime_records DROP COLUMN replacements;
ALTER TABLE runtime_records DROP COLUMN health_failures;
