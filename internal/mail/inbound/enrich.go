package inbound

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/mail"
)

// PasswordIssuer draws orders passwords (lobby.Service).
type PasswordIssuer interface {
	IssueOrdersPasswordTx(ctx context.Context, tx pgx.Tx, gameID, userID string) (string, error)
}

// MailEnricher puts play by mail into the notification mails
// (notification.MailEnricher):
//
//   - the game-started mail of each player carries a fresh orders password,
//     drawn in the mail's own transaction, so the password exists in clear
//     only in that mail; its hash is all the database keeps;
//   - the game.turn.ready mail carries the race's report, as the player's
//     report_format asks: in its body, as a text attachment, or as a link.
type MailEnricher struct {
	Lobby PasswordIssuer
	Play  Play
	// Address is the orders address; empty (no inbound domain configured)
	// leaves the game-started mails without play by mail.
	Address string
	// WebURL is the web client's address, for report links ("" for none).
	WebURL string
}

// EnrichMailTx implements notification.MailEnricher.
func (e *MailEnricher) EnrichMailTx(ctx context.Context, tx pgx.Tx, kind, userID string, data map[string]any) ([]mail.Attachment, error) {
	switch kind {
	case "lobby.game.started":
		return nil, e.ordersPassword(ctx, tx, userID, data)
	case "game.turn.ready":
		return e.report(ctx, userID, data)
	}
	return nil, nil
}

func (e *MailEnricher) ordersPassword(ctx context.Context, tx pgx.Tx, userID string, data map[string]any) error {
	gameID, _ := data["game_id"].(string)
	if _, plays := data["race_name"]; !plays || gameID == "" || e.Address == "" {
		return nil // the owner who does not play, or no mail taken
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

// report adds the race's report of the turn the mail announces.
func (e *MailEnricher) report(ctx context.Context, userID string, data map[string]any) ([]mail.Attachment, error) {
	gameID, _ := data["game_id"].(string)
	turn, ok := data["turn"].(float64) // a JSON number from the payload
	if gameID == "" || !ok {
		return nil, nil
	}
	format, _ := data["report_format"].(string)
	if format == "link" {
		if e.WebURL != "" {
			data["report_url"] = fmt.Sprintf("%s/games/%s/reports/%d", strings.TrimRight(e.WebURL, "/"), url.PathEscape(gameID), int(turn))
		}
		return nil, nil
	}
	rep, err := e.Play.Reports(ctx, gameID, userID, int(turn))
	if errs.Is(err, errs.NotFound) {
		return nil, nil // the player's race is out: the mail says the turn ran
	}
	if err != nil {
		return nil, err
	}
	if format == "attachment" {
		return []mail.Attachment{{Filename: fmt.Sprintf("%s-turn-%d.txt", rep.RaceName, rep.Turn),
			ContentType: "text/plain; charset=utf-8", Content: rep.Text}}, nil
	}
	data["report"] = rep.Text
	return nil, nil
}
