-- +goose Up
-- Accounts: users, email sign-in challenges, sessions, admins and their audit.
-- Tokens and codes are stored only as SHA-256 hashes.

CREATE TABLE users (
    user_id       text PRIMARY KEY,
    email         text NOT NULL,
    display_name  text NOT NULL,
    timezone      text NOT NULL DEFAULT 'UTC',
    country       text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'blocked', 'blocked_permanently')),
    block_reason  text,
    blocked_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_created_idx ON users (created_at DESC, user_id DESC);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE login_challenges (
    challenge_id  text PRIMARY KEY,
    email         text NOT NULL,
    code_hash     bytea NOT NULL,
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL,
    expires_at    timestamptz NOT NULL,
    consumed_at   timestamptz,
    client_ip     text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_challenges_expires_idx ON login_challenges (expires_at);

CREATE TABLE sessions (
    session_id    text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    token_hash    bytea NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    last_used_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    revoke_reason text,
    client_ip     text NOT NULL DEFAULT '',
    user_agent    text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id, created_at DESC);
CREATE INDEX sessions_active_idx ON sessions (expires_at) WHERE revoked_at IS NULL;

CREATE TABLE admins (
    admin_id       text PRIMARY KEY,
    username       text NOT NULL,
    password_hash  text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX admins_username_key ON admins (lower(username));
CREATE TRIGGER admins_updated_at BEFORE UPDATE ON admins FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE admin_sessions (
    session_id   text PRIMARY KEY,
    admin_id     text NOT NULL REFERENCES admins (admin_id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX admin_sessions_active_idx ON admin_sessions (expires_at) WHERE revoked_at IS NULL;

-- Every admin action: who, what, on which target, when.
CREATE TABLE admin_audit_log (
    entry_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    admin_id     text,
    action       text NOT NULL,
    target_type  text NOT NULL DEFAULT '',
    target_id    text NOT NULL DEFAULT '',
    details      jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_audit_log_target_idx ON admin_audit_log (target_type, target_id, created_at DESC);
CREATE INDEX admin_audit_log_created_idx ON admin_audit_log (created_at DESC);

-- +goose Down
DROP TABLE admin_audit_log;
DROP TABLE admin_sessions;
DROP TABLE admins;
DROP TABLE sessions;
DROP TABLE login_challenges;
DROP TABLE users;
