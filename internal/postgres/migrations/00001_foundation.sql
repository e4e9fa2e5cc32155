-- +goose Up
-- The backend schema itself is created before goose runs, because goose keeps
-- its version table in it.

-- set_updated_at keeps an updated_at column honest on every UPDATE, so that no
-- code path can forget it.
-- +goose StatementBegin
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION set_updated_at();
