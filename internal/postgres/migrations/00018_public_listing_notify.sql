-- +goose Up
-- The public game listing is served from memory (lobby.PublicListing). Any
-- change to games or memberships may change it, so both tables tell every
-- replica, once per statement; PostgreSQL folds identical notifications of
-- one transaction into one, and the listing reloads at most a few times a
-- second however many arrive.
-- +goose StatementBegin
CREATE FUNCTION notify_public_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('galaxy_cache', '{"k":"lobby_public","id":""}');
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER games_notify_public_listing AFTER INSERT OR UPDATE OR DELETE ON games
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_listing();
CREATE TRIGGER memberships_notify_public_listing AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_listing();

-- +goose Down
DROP TRIGGER memberships_notify_public_listing ON memberships;
DROP TRIGGER games_notify_public_listing ON games;
DROP FUNCTION notify_public_listing();
