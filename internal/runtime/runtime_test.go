package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/game/bot"
	"github.com/galaxy-platform/galaxy/internal/lobby"
)

// reportData reads a player's latest report data.
func reportData(t *testing.T, s *Service, gameID, userID string) *game.ReportData {
	t.Helper()
	rep, err := s.Reports(context.Background(), gameID, userID, Latest)
	if err != nil {
		t.Fatal(err)
	}
	var data game.ReportData
	if err := json.Unmarshal(rep.Data, &data); err != nil {
		t.Fatal(err)
	}
	return &data
}

// shipToSend finds a group of the player's that can fly, at a planet, and
// a planet it is not at (name and number): what a send order needs.
func shipToSend(t *testing.T, s *Service, gameID, userID string) (game.GroupInfo, string, int, bool) {
	t.Helper()
	rep := reportData(t, s, gameID, userID)
	for _, g := range rep.Groups {
		if g.Location == "" || g.Speed <= 0 || g.Fleet != "" {
			continue
		}
		for _, p := range rep.UnidentifiedPlanets {
			if p.Name != g.Location {
				return g, p.Name, p.Number, true
			}
		}
	}
	return game.GroupInfo{}, "", 0, false
}

// botOrders writes the bot's orders for userID's latest report.
func botOrders(t *testing.T, s *Service, b *bot.Bot, gameID, userID string) (string, int) {
	t.Helper()
	data := reportData(t, s, gameID, userID)
	return b.Orders(data), data.Turn
}

func TestGameRunsThroughTheLobby(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	gameID, users := e.startGame(t, 2, `{}`)
	s := e.s
	bots := map[string]*bot.Bot{}
	for _, u := range users {
		bots[u] = bot.New()
	}
	// order has every race send the bot's orders for turn (not final), so
	// that no race is dropped as idle.
	order := func(t *testing.T, turn int) {
		t.Helper()
		for _, u := range users {
			text, _ := botOrders(t, s, bots[u], gameID, u)
			if res, err := s.SubmitOrders(ctx, gameID, u, turn, text, false); err != nil || !res.Accepted {
				t.Fatalf("turn %d, %s: %+v, %v", turn, u, res, err)
			}
		}
	}

	t.Run("start stores turn 0 and schedules turn 1", func(t *testing.T) {
		rec, err := s.Record(ctx, gameID)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Status != StatusRunning || rec.CurrentTurn != 0 || rec.Endpoint == "" || rec.Driver != "inprocess" {
			t.Fatalf("record = %+v", rec)
		}
		rep, err := s.Reports(ctx, gameID, "p1", Latest)
		if err != nil || rep.Turn != 0 || rep.RaceName != "Andorians" || rep.Text == "" {
			t.Fatalf("turn-0 report = %+v, %v", rep, err)
		}
		if n := e.count(t, `SELECT count(*) FROM games WHERE game_id = $1 AND next_turn_at IS NOT NULL`, gameID); n != 1 {
			t.Fatal("next_turn_at not set")
		}
		if n := e.count(t, `SELECT count(*) FROM river_job WHERE kind = 'runtime.turn' AND state = 'scheduled' AND args->>'game_id' = $1`, gameID); n != 1 {
			t.Fatalf("%d scheduled turn jobs, want 1", n)
		}
	})

	t.Run("orders are checked; a set with mistakes is stored, and only for the next turn", func(t *testing.T) {
		res, err := s.SubmitOrders(ctx, gameID, "p1", 1, "frobnicate everything", false)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Accepted || len(res.Errors) == 0 || res.Errors[0].Line != 1 {
			t.Fatalf("orders with a mistake: %+v (stored, with the mistake at line 1)", res)
		}
		order(t, 1)
		// The latest set is the race's orders, mistakes and all: its valid
		// lines run (GalaxyNG's way), the bad line does not.
		text, _ := botOrders(t, s, bots["p1"], gameID, "p1")
		res, err = s.SubmitOrders(ctx, gameID, "p1", 1, text+"\nd Stubborn 1 0 0 0 0\nfrobnicate\n", false)
		if err != nil || !res.Accepted || len(res.Errors) != 1 {
			t.Fatalf("the bot's orders with one bad line: %+v %v", res, err)
		}
		stored, err := s.Orders(ctx, gameID, "p1", 1)
		if err != nil || !strings.Contains(stored.Text, "Stubborn") || len(stored.Errors) != 1 {
			t.Fatalf("the stored set: %+v %v", stored, err)
		}
		for _, c := range []struct {
			user string
			turn int
			code errs.Code
		}{{"p1", 0, errs.InvalidArgument}, {"p1", -1, errs.InvalidArgument}, {"p1", 3, errs.InvalidArgument}, {"owner", 1, errs.PermissionDenied}} {
			if _, err := s.SubmitOrders(ctx, gameID, c.user, c.turn, "", false); !errs.Is(err, c.code) {
				t.Errorf("%s turn %d: %v, want %s", c.user, c.turn, err, c.code)
			}
		}
	})

	t.Run("force runs turn 1; each race reads only its own report", func(t *testing.T) {
		turn, err := s.ForceNextTurn(ctx, gameID)
		if err != nil || turn != 1 {
			t.Fatalf("ForceNextTurn = %d, %v", turn, err)
		}
		r1, err1 := s.Reports(ctx, gameID, "p1", 1)
		r2, err2 := s.Reports(ctx, gameID, "p2", Latest)
		if err1 != nil || err2 != nil || r1.RaceName != "Andorians" || r2.RaceName != "Betazoids" || r2.Turn != 1 {
			t.Fatalf("reports: %+v %v / %+v %v", r1, err1, r2, err2)
		}
		if _, err := s.Reports(ctx, gameID, "owner", 1); !errs.Is(err, errs.NotFound) {
			t.Fatalf("outsider's report: %v", err)
		}
		if !strings.Contains(r1.Text, "Stubborn") {
			t.Fatal("the valid lines of a set with a mistake did not run (no Stubborn design)")
		}
		if _, err := s.SubmitOrders(ctx, gameID, "p1", 1, "", false); !errs.Is(err, errs.Conflict) {
			t.Fatalf("orders for a turn that ran: %v", err)
		}
		// The forced turn took the coming tick: turn 2 is scheduled past it
		// at once (TestNextTurnAtTellsTheTruth), so no flag is left to skip.
		if rec, _ := s.Record(ctx, gameID); rec.SkipNextTick {
			t.Fatal("a forced turn left a skip flag behind")
		}
	})

	t.Run("a skip flag left by an older version still passes over one tick", func(t *testing.T) {
		e.exec(t, `UPDATE runtime_records SET skip_next_tick = true WHERE game_id = $1`, gameID)
		s.cache.invalidate(gameID)
		out, err := s.playTurn(ctx, gameID, 2, TriggerSchedule)
		if err != nil || out.ran || out.snooze <= 0 {
			t.Fatalf("tick with the flag: %+v, %v", out, err)
		}
		rec, _ := s.Record(ctx, gameID)
		if rec.SkipNextTick || rec.CurrentTurn != 1 {
			t.Fatalf("after the skipped tick: %+v", rec)
		}
	})

	t.Run("ten turns; a set with one mistake still moves its ships", func(t *testing.T) {
		moved := false
		for want := 2; want <= 10; want++ {
			order(t, want)
			ship, to, num, ok := shipToSend(t, s, gameID, "p1")
			if ok && !moved {
				// A send and a line that is no order at all.
				text := fmt.Sprintf("s %d #%d\nfrobnicate\n", ship.Number, num)
				if res, err := s.SubmitOrders(ctx, gameID, "p1", want, text, false); err != nil || len(res.Errors) != 1 {
					t.Fatalf("orders with one mistake: %+v, %v", res, err)
				}
			}
			if got, err := s.ForceNextTurn(ctx, gameID); err != nil || got != want {
				t.Fatalf("turn %d: %d, %v", want, got, err)
			}
			if ok && !moved {
				rep := reportData(t, s, gameID, "p1")
				if len(rep.Mistakes) == 0 || !slices.ContainsFunc(rep.Groups, func(g game.GroupInfo) bool {
					return g.Type == ship.Type && (g.Destination == to || g.Location == to)
				}) {
					t.Fatalf("turn %d: no %s sent to %s despite one mistake: %+v", want, ship.Type, to, rep.Groups)
				}
				moved = true
			}
		}
		if !moved {
			t.Fatal("p1 never had a ship to send")
		}
		turns, err := s.Turns(ctx, gameID, "p1")
		if err != nil || len(turns) != 10 || turns[9].Turn != 10 || len(turns[9].Races) == 0 {
			t.Fatalf("Turns = %d entries, %v", len(turns), err)
		}
		var cur int
		if err := e.pool.QueryRow(ctx, `SELECT current_turn FROM games WHERE game_id = $1`, gameID).Scan(&cur); err != nil || cur != 10 {
			t.Fatalf("games.current_turn = %d, %v", cur, err)
		}
	})

	t.Run("a turn run twice at once produces one turn", func(t *testing.T) {
		order(t, 11)
		var wg sync.WaitGroup
		outs := make([]turnOutcome, 3)
		errsOut := make([]error, 3)
		for i := range outs {
			wg.Go(func() { outs[i], errsOut[i] = s.playTurn(ctx, gameID, 11, TriggerForce) })
		}
		wg.Wait()
		ran := 0
		for i := range outs {
			if errsOut[i] != nil {
				t.Fatal(errsOut[i])
			}
			if outs[i].ran {
				ran++
			}
		}
		if ran != 1 {
			t.Fatalf("%d runners produced turn 11", ran)
		}
		// And once more, later: already ran.
		if out, err := s.playTurn(ctx, gameID, 11, TriggerSchedule); err != nil || out.ran {
			t.Fatalf("rerun: %+v, %v", out, err)
		}
		if n := e.count(t, `SELECT count(*) FROM game_turns WHERE game_id = $1`, gameID); n != 11 {
			t.Fatalf("%d turns stored, want 11", n)
		}
	})

	t.Run("paused games run no turns", func(t *testing.T) {
		if _, err := e.lobby.Pause(ctx, "owner", lobby.Actor{Kind: "user", ID: "owner"}, gameID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ForceNextTurn(ctx, gameID); !errs.Is(err, errs.FailedPrecondition) {
			t.Fatalf("force while paused: %v", err)
		}
		if _, err := e.lobby.Resume(ctx, "owner", lobby.Actor{Kind: "user", ID: "owner"}, gameID); err != nil {
			t.Fatal(err)
		}
		order(t, 12)
		if got, err := s.ForceNextTurn(ctx, gameID); err != nil || got != 12 {
			t.Fatalf("force after resume: %d, %v", got, err)
		}
	})
}

func TestBotsPlayToTheEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	gameID, users := e.startGame(t, 2, `{"max_turns": 6}`)
	s := e.s
	bots := map[string]*bot.Bot{}
	for _, u := range users {
		bots[u] = bot.New()
	}

	for turn := 1; turn <= 6; turn++ {
		for _, u := range users {
			text, at := botOrders(t, s, bots[u], gameID, u)
			if at != turn-1 {
				t.Fatalf("%s's latest report is of turn %d, want %d", u, at, turn-1)
			}
			res, err := s.SubmitOrders(ctx, gameID, u, turn, text, true)
			if err != nil || !res.Accepted {
				t.Fatalf("turn %d, %s: %+v, %v", turn, u, res, err)
			}
		}
		// Every player is final: the early turn runs without a tick.
		e.waitFor(t, "early turn", func() bool {
			return e.count(t, `SELECT count(*) FROM game_turns WHERE game_id = $1 AND turn = $2`, gameID, turn) == 1
		})
	}
	e.waitStatus(t, gameID, lobby.StatusFinished)

	turns, err := s.Turns(ctx, gameID, "")
	if err != nil || len(turns) != 6 {
		t.Fatalf("Turns: %d, %v", len(turns), err)
	}
	if last := turns[5]; !last.Finished {
		t.Fatalf("last turn: %+v", last)
	}
	survivors := turns[5].RacesAlive
	if n := e.count(t, `SELECT count(*) FROM race_names WHERE game_id = $1 AND binding_kind = 'pending_registration'`, gameID); n != survivors || n == 0 {
		t.Fatalf("%d pending race names, want %d", n, survivors)
	}
	e.waitFor(t, "engine removed", func() bool {
		rec, err := s.Record(ctx, gameID)
		return err == nil && rec.Status == StatusRemoved
	})
}

func TestRefusedInitReportsStartFailed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	e.exec(t, `INSERT INTO users (user_id, email, display_name) VALUES ('owner', 'owner@example.com', 'owner')`)
	g, err := e.lobby.CreateGame(ctx, "owner", lobby.NewGame{Name: "Broken", Visibility: "public", MinPlayers: 2, MaxPlayers: 2,
		EnrollmentEndsAt: time.Now().Add(time.Hour), TurnSchedule: "0 0 1 1 *"})
	if err != nil {
		t.Fatal(err)
	}
	// No races at all: the engine refuses the init, which no retry fixes.
	e.exec(t, `UPDATE games SET status = 'ready' WHERE game_id = $1`, g.GameID)
	if _, err := e.lobby.Start(ctx, "owner", g.GameID); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(t, g.GameID, lobby.StatusStartFailed)
	rec, err := e.s.Record(ctx, g.GameID)
	if err != nil || rec.Status != StatusFailed || rec.LastError == "" {
		t.Fatalf("record = %+v, %v", rec, err)
	}
}
