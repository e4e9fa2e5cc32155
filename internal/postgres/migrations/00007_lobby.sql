-- +goose Up
-- Lobby: games and their state machine, applications, invites, memberships,
-- and the history of every status change.

CREATE TABLE games (
    game_id             text PRIMARY KEY,
    name                text NOT NULL,
    description         text NOT NULL DEFAULT '',
    visibility          text NOT NULL CHECK (visibility IN ('public', 'private')),
    owner_user_id       text NOT NULL REFERENCES users (user_id),
    status              text NOT NULL CHECK (status IN ('enrollment_open', 'ready', 'starting', 'running',
                            'paused', 'start_failed', 'finished', 'cancelled')),
    min_players         integer NOT NULL CHECK (min_players >= 1),
    max_players         integer NOT NULL,
    -- The seat count is checked here too: two approvals racing for the
    -- last seat cannot both commit.
    approved_count      integer NOT NULL DEFAULT 0 CHECK (approved_count >= 0 AND approved_count <= max_players),
    enrollment_ends_at  timestamptz NOT NULL,
    turn_schedule       text NOT NULL,
    settings            jsonb NOT NULL DEFAULT '{}',
    seed                bigint NOT NULL,
    current_turn        integer NOT NULL DEFAULT 0,
    next_turn_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    finished_at         timestamptz,
    CHECK (max_players >= min_players)
);
CREATE INDEX games_public_idx ON games (created_at DESC, game_id DESC) WHERE visibility = 'public' AND status = 'enrollment_open';
CREATE INDEX games_owner_idx ON games (owner_user_id, created_at DESC);
CREATE INDEX games_status_idx ON games (status, created_at DESC);
CREATE INDEX games_enrollment_ends_idx ON games (enrollment_ends_at) WHERE status = 'enrollment_open';
CREATE TRIGGER games_updated_at BEFORE UPDATE ON games FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE applications (
    application_id  text PRIMARY KEY,
    game_id         text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    user_id         text NOT NULL REFERENCES users (user_id),
    race_name       text NOT NULL,
    status          text NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz
);
-- One live application per user and game.
CREATE UNIQUE INDEX applications_live_key ON applications (game_id, user_id) WHERE status IN ('submitted', 'approved');
CREATE INDEX applications_user_idx ON applications (user_id, status);

CREATE TABLE invites (
    invite_id        text PRIMARY KEY,
    game_id          text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    inviter_user_id  text NOT NULL REFERENCES users (user_id),
    invitee_user_id  text NOT NULL REFERENCES users (user_id),
    status           text NOT NULL CHECK (status IN ('created', 'accepted', 'declined', 'revoked', 'expired')),
    race_name        text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    decided_at       timestamptz
);
CREATE UNIQUE INDEX invites_open_key ON invites (game_id, invitee_user_id) WHERE status = 'created';
CREATE INDEX invites_invitee_idx ON invites (invitee_user_id, status);
CREATE INDEX invites_inviter_idx ON invites (inviter_user_id, status);

CREATE TABLE memberships (
    game_id    text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    user_id    text NOT NULL REFERENCES users (user_id),
    race_name  text NOT NULL,
    status     text NOT NULL CHECK (status IN ('active', 'left', 'blocked', 'removed')),
    joined_at  timestamptz NOT NULL DEFAULT now(),
    left_at    timestamptz,
    PRIMARY KEY (game_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id, status);

-- Who moved a game from which status to which, and why.
CREATE TABLE lobby_game_events (
    event_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    game_id      text NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    from_status  text,
    to_status    text NOT NULL,
    actor_kind   text NOT NULL CHECK (actor_kind IN ('user', 'admin', 'system')),
    actor_id     text NOT NULL DEFAULT '',
    reason       text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lobby_game_events_game_idx ON lobby_game_events (game_id, event_id);

-- +goose Down
DROP TABLE lobby_game_events;
DROP TABLE memberships;
DROP TABLE invites;
DROP TABLE applications;
DROP TABLE games;
