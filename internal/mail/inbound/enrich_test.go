package inbound_test

import (
	"context"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/mail/inbound"
)

// TestTurnMailLinksToTheReport: with report_format link the turn mail gets
// the web client's address of the report, and no report is read.
func TestTurnMailLinksToTheReport(t *testing.T) {
	t.Parallel()
	e := &inbound.MailEnricher{WebURL: "https://galaxy.example.org/"}
	data := map[string]any{"game_id": "gam_1", "turn": 3.0, "report_format": "link"}
	files, err := e.EnrichMailTx(context.Background(), nil, "game.turn.ready", "usr_1", data)
	if err != nil || len(files) != 0 {
		t.Fatalf("%v %v", files, err)
	}
	if got := data["report_url"]; got != "https://galaxy.example.org/games/gam_1/reports/3" {
		t.Fatalf("report_url %v", got)
	}
	// Other mails are left alone.
	other := map[string]any{"game_id": "gam_1"}
	if _, err := e.EnrichMailTx(context.Background(), nil, "lobby.invite.created", "usr_1", other); err != nil || len(other) != 1 {
		t.Fatalf("%v %v", other, err)
	}
}
