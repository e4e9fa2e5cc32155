package inbound

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// PasswordIssuer draws orders passwords (lobby.Service).
type PasswordIssuer interface {
	IssueOrdersPasswordTx(ctx context.Context, tx pgx.Tx, gameID, userID string) (string, error)
}

// MailEnricher puts play by mail into the notification mails
// (notification.MailEnricher): the game-started mail of each player carries
// a fresh orders password, drawn in the mail's own transaction, so the
// password exists in clear only in that mail; its hash is all the database
// keeps.
type MailEnricher struct {
	Lobby PasswordIssuer
	// Address is the orders address; empty (no inbound domain configured)
	// leaves the mails without play by mail.
	Address string
}

// EnrichMailTx implements notification.MailEnricher.
func (e *MailEnricher) EnrichMailTx(ctx context.Context, tx pgx.Tx, kind, userID string, data map[string]any) error {
	if kind != "lobby.game.started" || e.Address == "" {
		return nil
	}
	gameID, _ := data["game_id"].(string)
	if _, plays := data["race_name"]; !plays || gameID == "" {
		return nil // the owner who does not play
	}
	password, err := e.Lobby.IssueOrdersPasswordTx(ctx, tx, gameID, userID)
	if errs.Is(err, errs.FailedPrecondition) {
		return nil // left the game before the mail went out
	}
	if err != nil {
		return err
	}
	data["orders_password"], data["orders_address"] = password, e.Address
	return nil
}
