-- +goose Up
-- How the game.turn.ready mail carries the race's report: in its body
-- (inline, the default), as an attachment, or as a link to the web client.
ALTER TABLE notification_preferences ADD COLUMN report_format text NOT NULL DEFAULT 'inline'
    CHECK (report_format IN ('inline', 'attachment', 'link'));

-- Files attached to a mail (the turn report), as [{"filename","content_type","content"}].
ALTER TABLE mail_delivery_payloads ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE mail_delivery_payloads DROP COLUMN attachments;
ALTER TABLE notification_preferences DROP COLUMN report_format;
