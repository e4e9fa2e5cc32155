package runtime

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/game/bot"
	"github.com/galaxy-platform/galaxy/internal/lobby"
)

// TestBotPlaysAnIdleRaceUntilItsPlayerReturns: under idle_policy=bot, a
// race silent for idle_turns turns is played by the built-in bot (it keeps
// designing and producing, and is never removed), and its player's next
// orders take over.
func TestBotPlaysAnIdleRaceUntilItsPlayerReturns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	gameID, users := e.startGame(t, 2, `{"idle_policy":"bot","idle_turns":1}`)
	s := e.s
	report := func(t *testing.T, user string) game.ReportData {
		t.Helper()
		rep, err := s.Reports(ctx, gameID, user, Latest)
		if err != nil {
			t.Fatal(err)
		}
		var d game.ReportData
		if err := json.Unmarshal(rep.Data, &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	idle := func(t *testing.T) int {
		return e.count(t, `SELECT idle_turns FROM memberships WHERE game_id = $1 AND user_id = $2`, gameID, users[1])
	}
	turn := 0
	play := func(t *testing.T, silentToo string) {
		t.Helper()
		turn++
		if _, err := s.SubmitOrders(ctx, gameID, users[0], turn, "; holding", false); err != nil {
			t.Fatal(err)
		}
		if silentToo != "" {
			if res, err := s.SubmitOrders(ctx, gameID, users[1], turn, silentToo, false); err != nil || !res.Accepted {
				t.Fatalf("the returning player's orders: %+v %v", res, err)
			}
		}
		if _, err := s.ForceNextTurn(ctx, gameID); err != nil {
			t.Fatal(err)
		}
	}
	for range 8 { // far past the engine's own idle rule (3, then 6)
		play(t, "")
	}
	d := report(t, users[1])
	if d.Status != "active" || len(d.ShipTypes) == 0 {
		t.Fatalf("after 8 silent turns under the bot: status %q, %d ship types (the bot designs ships)", d.Status, len(d.ShipTypes))
	}
	if n := idle(t); n != 8 {
		t.Fatalf("the player's idle count is %d, want 8 (the bot's turns are still the player's absence)", n)
	}
	play(t, "d Homecoming 1 0 0 0 0")
	d = report(t, users[1])
	if !slices.ContainsFunc(d.ShipTypes, func(st game.ShipTypeInfo) bool { return st.Name == "Homecoming" }) {
		t.Fatal("the returning player's own orders did not run")
	}
	if n := idle(t); n != 0 {
		t.Fatalf("the idle count after the player's orders is %d", n)
	}
	for _, c := range []struct {
		back bool
		turn int
	}{{false, 2}, {true, 9}} {
		if n := e.count(t, `SELECT count(*) FROM outbox_events WHERE type = 'game.race_idle.v1' AND aggregate_id = $1
			AND payload->>'user_id' = $2 AND (payload->>'handed_back')::boolean = $3 AND (payload->>'turn')::int = $4`,
			gameID, users[1], c.back, c.turn); n != 1 {
			t.Errorf("%d game.race_idle.v1 events (handed back %v, turn %d), want 1", n, c.back, c.turn)
		}
	}
}

// TestBotsOnlyGameWithSilentHumansPlaysToTheEnd: 10 races, 7 played by bots
// through the API as players would and 3 humans who never send an order,
// under idle_policy=bot: the game runs to its last turn and the silent
// races are played by the platform's bot, never removed.
func TestBotsOnlyGameWithSilentHumansPlaysToTheEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	const turns = 12
	gameID, users := e.startGame(t, 10, `{"idle_policy":"bot","idle_turns":1,"max_turns":12}`)
	s := e.s
	players, silent := users[:7], users[7:]
	bots := map[string]*bot.Bot{}
	for _, u := range players {
		bots[u] = bot.New()
	}
	for turn := 1; turn <= turns; turn++ {
		for _, u := range players {
			text, _ := botOrders(t, s, bots[u], gameID, u)
			if _, err := s.SubmitOrders(ctx, gameID, u, turn, text, false); err != nil {
				t.Fatalf("turn %d, %s: %v", turn, u, err)
			}
		}
		if _, err := s.ForceNextTurn(ctx, gameID); err != nil {
			t.Fatalf("turn %d: %v", turn, err)
		}
	}
	e.waitStatus(t, gameID, lobby.StatusFinished)
	for _, u := range silent {
		rep, err := s.Reports(ctx, gameID, u, Latest)
		if err != nil {
			t.Fatal(err)
		}
		var d game.ReportData
		if err := json.Unmarshal(rep.Data, &d); err != nil {
			t.Fatal(err)
		}
		if d.Status == "removed" || len(d.ShipTypes) == 0 {
			t.Fatalf("silent %s at the end: status %q, %d ship types: the bot did not play it", u, d.Status, len(d.ShipTypes))
		}
	}
	if n := e.count(t, `SELECT count(*) FROM game_turns WHERE game_id = $1`, gameID); n != turns {
		t.Fatalf("%d turns stored, want %d", n, turns)
	}
}
