-- +goose Up
-- A cancelled game ends its active memberships (status 'ended'), so no
-- membership stays live in a dead game.
ALTER TABLE memberships DROP CONSTRAINT memberships_status_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_status_check
    CHECK (status IN ('active', 'left', 'blocked', 'removed', 'ended'));

-- +goose Down
UPDATE memberships SET status = 'active' WHERE status = 'ended';
ALTER TABLE memberships DROP CONSTRAINT memberships_status_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_status_check
    CHECK (status IN ('active', 'left', 'blocked', 'removed'));
