package lobby_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
)

// TestCreateRefusesWhatTheEngineWouldRefuse: a game the engine or the
// scheduler could never run is refused when it is created, with a message
// for a person, instead of sticking later in start_failed.
func TestCreateRefusesWhatTheEngineWouldRefuse(t *testing.T) {
	t.Parallel()
	s, pool := newService(t)
	addUser(t, pool, "owner")
	s.SetMinTurnInterval(5 * time.Minute)
	base := func() lobby.NewGame {
		return lobby.NewGame{Name: "Andromeda", Visibility: "public", MinPlayers: 2, MaxPlayers: 4,
			EnrollmentEndsAt: time.Now().Add(time.Hour), TurnSchedule: "0 18 * * *"}
	}
	cases := []struct {
		name     string
		change   func(*lobby.NewGame)
		phrase   string
		internal []string
	}{
		{"too few planets per race", func(g *lobby.NewGame) { g.Settings = json.RawMessage(`{"planets_per_race":2}`) }, "settings.planets_per_race", nil},
		{"a negative turn limit", func(g *lobby.NewGame) { g.Settings = json.RawMessage(`{"max_turns":-1}`) }, "settings.max_turns", nil},
		{"an unknown setting", func(g *lobby.NewGame) { g.Settings = json.RawMessage(`{"warp_speed":9}`) }, "warp_speed is not a field", []string{"json:"}},
		{"a setting of the wrong type", func(g *lobby.NewGame) { g.Settings = json.RawMessage(`{"wrap":"yes"}`) }, "wrap must be true or false", []string{"bool"}},
		{"a reminder too close to the deadline", func(g *lobby.NewGame) { g.Settings = json.RawMessage(`{"reminder_before":"10s"}`) }, "settings.reminder_before", nil},
		{"a reminder that is not a duration", func(g *lobby.NewGame) { g.Settings = json.RawMessage(`{"reminder_before":"soon"}`) }, "settings.reminder_before", nil},
		{"an unknown idle policy", func(g *lobby.NewGame) { g.Settings = json.RawMessage(`{"idle_policy":"ban"}`) }, "settings.idle_policy", nil},
		{"negative idle turns", func(g *lobby.NewGame) { g.Settings = json.RawMessage(`{"idle_turns":-1}`) }, "settings.idle_turns", nil},
		{"a schedule that never fires", func(g *lobby.NewGame) { g.TurnSchedule = "0 0 30 2 *" }, "never fires", nil},
		{"a schedule faster than the minimum", func(g *lobby.NewGame) { g.TurnSchedule = "* * * * *" }, "at least 5m0s", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := base()
			c.change(&g)
			_, err := s.CreateGame(context.Background(), "owner", g)
			e := errs.As(err)
			if e.Code != errs.InvalidArgument || !strings.Contains(e.Message, c.phrase) {
				t.Fatalf("want invalid_argument about %q, got %v", c.phrase, err)
			}
			for _, bad := range c.internal {
				if strings.Contains(e.Message, bad) {
					t.Errorf("message leaks %q: %s", bad, e.Message)
				}
			}
		})
	}
	t.Run("good settings pass", func(t *testing.T) {
		g := base()
		g.Settings = json.RawMessage(`{"planets_per_race":12,"max_turns":50,"wrap":true,"reminder_before":"2h"}`)
		if _, err := s.CreateGame(context.Background(), "owner", g); err != nil {
			t.Fatal(err)
		}
	})
}

func TestIdlePolicySettings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		raw         string
		botAfter    int
		engineLimit int
	}{
		{`{}`, 0, 0}, // GalaxyNG's own rule in the engine
		{`{"idle_turns":4}`, 0, 4},
		{`{"idle_policy":"remove","idle_turns":2}`, 0, 2},
		{`{"idle_policy":"bot"}`, 3, 1 << 30},
		{`{"idle_policy":"bot","idle_turns":5}`, 5, 1 << 30},
	} {
		s := lobby.ParseSettings([]byte(c.raw))
		if got := s.BotAfter(); got != c.botAfter {
			t.Errorf("%s: bot after %d, want %d", c.raw, got, c.botAfter)
		}
		if got := s.EngineSettings().IdleTurnsLimit; got != c.engineLimit {
			t.Errorf("%s: engine idle limit %d, want %d", c.raw, got, c.engineLimit)
		}
	}
}
