package web

import (
	"strings"
	"testing"
	"time"
)

func TestDescribeNotificationSaysEveryKindInWords(t *testing.T) {
	t.Parallel()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	s := &Session{Loc: berlin}
	game := map[string]any{"game_id": "g1", "game_name": "Andromeda"}
	with := func(extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range game {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		kind     string
		payload  map[string]any
		text     string
		link     string
		linkText string
	}{
		{"lobby.application.submitted", with(map[string]any{"race_name": "Krikkit"}), "Krikkit applied to join Andromeda.", "/games/g1", "Review the application"},
		{"lobby.application.approved", with(map[string]any{"race_name": "Vogons"}), "as Vogons was approved", "/games/g1", "Open the game"},
		{"lobby.application.rejected", with(map[string]any{"race_name": "Vogons"}), "as Vogons was declined", "/games/g1", ""},
		{"lobby.invite.created", with(map[string]any{"expires_at": "2030-01-01T18:00:00Z"}), "expires Tue 1 Jan 2030 19:00 CET", "/games/g1", "Answer the invitation"},
		{"lobby.game.starting", game, "Andromeda is starting", "/games/g1", ""},
		{"lobby.game.started", with(map[string]any{"race_name": "Vogons", "next_turn_at": "Tue, 01 Jan 2030 18:00:00 UTC"}), "you play Vogons. The first turn runs Tue 1 Jan 2030 19:00 CET.", "/games/g1", ""},
		{"lobby.game.start_failed", with(map[string]any{"reason": "engine did not answer"}), "could not start. Reason: engine did not answer.", "/games/g1", ""},
		{"lobby.game.cancelled", with(map[string]any{"reason": "cancelled by the owner"}), "Andromeda was cancelled. Reason: cancelled by the owner.", "/games/g1", ""},
		{"lobby.game.enrollment_short", with(map[string]any{"approved_count": 1.0, "min_players": 3.0}), "with 1 of the 3 players", "/games/g1", ""},
		{"lobby.membership.blocked", with(map[string]any{"race_name": "Krikkit"}), "Krikkit left Andromeda", "/games/g1", ""},
		{"game.turn.ready", with(map[string]any{"turn": 7.0}), "Turn 7 of Andromeda has run", "/games/g1/reports/7", "Read the report"},
		{"game.turn.reminder", game, "you have sent no orders", "/games/g1/orders", "Write your orders"},
		{"game.finished", with(map[string]any{"turn": 50.0, "winners": []any{"Vogons", "Krikkit"}, "survived": true}), "over after turn 50. Winners: Vogons, Krikkit. Your race survived.", "/games/g1/reports/latest", ""},
		{"auth.session.revoked", map[string]any{}, "sessions was signed out", "/account", ""},
		{"lobby.something.new", game, "Something happened in Andromeda: lobby.something.new.", "/games/g1", ""},
		{"mystery", map[string]any{}, "Something happened: mystery.", "", ""},
	}
	for _, c := range cases {
		text, link, linkText := describeNotification(s, c.kind, c.payload)
		if !strings.Contains(text, c.text) || strings.Contains(text, "%!") {
			t.Errorf("%s: %q, want it to say %q", c.kind, text, c.text)
		}
		if link != c.link || (c.linkText != "" && linkText != c.linkText) || (link != "" && linkText == "") {
			t.Errorf("%s: link %q %q, want %q %q", c.kind, link, linkText, c.link, c.linkText)
		}
	}
}
