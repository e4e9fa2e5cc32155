-- +goose Up
-- Orders passwords move out of memberships into a table of their own. The
-- game-started mails issue them in the notifications' shared transactions,
-- several players of a game at a time, while a turn of that game updates
-- its memberships (idle turns): on the same rows, the two deadlocked. A
-- row here is only key-share locked against its membership, which neither
-- blocks nor waits for a turn; nor does issuing one reload the public
-- listing any more (memberships notify it of every change).
CREATE TABLE orders_passwords (
    game_id        text NOT NULL,
    user_id        text NOT NULL,
    -- SHA-256 of the password, in hex (lobby/orders_password.go).
    password_hash  text NOT NULL,
    issued_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (game_id, user_id),
    FOREIGN KEY (game_id, user_id) REFERENCES memberships (game_id, user_id) ON DELETE CASCADE
);
INSERT INTO orders_passwords (game_id, user_id, password_hash)
SELECT game_id, user_id, orders_password_hash FROM memberships WHERE orders_password_hash <> '';
ALTER TABLE memberships DROP COLUMN orders_password_hash;

-- +goose Down
ALTER TABLE memberships ADD COLUMN orders_password_hash text NOT NULL DEFAULT '';
UPDATE memberships m SET orders_password_hash = p.password_hash
FROM orders_passwords p WHERE p.game_id = m.game_id AND p.user_id = m.user_id;
DROP TABLE orders_passwords;
