-- +goose Up
-- Runtime (internal/runtime): the engine of every started game and the data
-- its turns produce. These tables are the record of truth; River jobs
-- (runtime.start, runtime.turn, runtime.stop) only drive the work.

-- One row per game that was ever asked to start.
--
-- engine_token is the bearer token the engine requires. It is stored in
-- clear because the backend is the client that presents it: any replica must
-- be able to call (or adopt, after a restart) a running engine, so a hash
-- would be useless. It grants access to one game's engine only, which
-- listens on the private engine network, and a new start replaces it; the
-- database already holds everything the engine could reveal (snapshots).
CREATE TABLE runtime_records (
    game_id           text PRIMARY KEY REFERENCES games (game_id) ON DELETE CASCADE,
    driver            text NOT NULL DEFAULT '',
    container_id      text NOT NULL DEFAULT '',
    endpoint          text NOT NULL DEFAULT '',
    engine_token      text NOT NULL,
    status            text NOT NULL CHECK (status IN ('pending', 'starting', 'running', 'stopping', 'stopped',
                          'removed', 'failed')),
    current_turn      integer NOT NULL DEFAULT 0,
    -- paused stops scheduled turns without touching the engine.
    paused            boolean NOT NULL DEFAULT false,
    -- skip_next_tick is set by a forced or early turn: the next scheduled
    -- tick consumes it instead of running a second turn in the same period.
    skip_next_tick    boolean NOT NULL DEFAULT false,
    -- turn_in_progress is the turn whose orders were read for the engine;
    -- orders for it are refused until it commits, so none are silently lost.
    turn_in_progress  integer,
    last_health_at    timestamptz,
    last_error        text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runtime_records_status_idx ON runtime_records (status);
CREATE TRIGGER runtime_records_updated_at BEFORE UPDATE ON runtime_records FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The engine's opaque state after every turn (turn 0 after init), from which
-- a replacement engine is restored.
CREATE TABLE game_snapshots (
    game_id     text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    turn        integer NOT NULL CHECK (turn >= 0),
    snapshot    bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (game_id, turn)
);

-- Each race's report of each turn; race_id is the player's user id.
CREATE TABLE race_reports (
    game_id     text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    turn        integer NOT NULL CHECK (turn >= 0),
    user_id     text NOT NULL,
    race_id     text NOT NULL,
    race_name   text NOT NULL,
    text        text NOT NULL,
    data        jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (game_id, turn, user_id)
);
CREATE INDEX race_reports_user_idx ON race_reports (game_id, user_id, turn DESC);

-- The history of turns run (turn 1 onwards).
CREATE TABLE game_turns (
    game_id  text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    turn     integer NOT NULL CHECK (turn >= 1),
    ran_at   timestamptz NOT NULL DEFAULT now(),
    summary  jsonb NOT NULL,
    PRIMARY KEY (game_id, turn)
);

-- The latest order set of each player for a turn. A rejected set never
-- replaces an accepted one: the last accepted set is what the turn uses.
CREATE TABLE game_orders (
    game_id     text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    turn        integer NOT NULL CHECK (turn >= 1),
    user_id     text NOT NULL,
    text        text NOT NULL,
    accepted    boolean NOT NULL,
    final       boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (game_id, turn, user_id)
);

-- +goose Down
DROP TABLE game_orders;
DROP TABLE game_turns;
DROP TABLE race_reports;
DROP TABLE game_snapshots;
DROP TABLE runtime_records;
