package runtime

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/lobby"
)

// substituteGame is a started game under idle_policy=substitute (one
// silent turn makes a race idle) with helpers to play it.
type substituteGame struct {
	e      *env
	gameID string
	users  []string
	turn   int
}

func newSubstituteGame(t *testing.T, players int) *substituteGame {
	t.Helper()
	e := newEnv(t)
	gameID, users := e.startGame(t, players, `{"idle_policy":"substitute","idle_turns":1}`)
	return &substituteGame{e: e, gameID: gameID, users: users}
}

// play stores orders for each of the given players and runs the turn.
func (g *substituteGame) play(t *testing.T, orders map[string]string) {
	t.Helper()
	ctx := context.Background()
	g.turn++
	for user, text := range orders {
		if res, err := g.e.s.SubmitOrders(ctx, g.gameID, user, g.turn, text, false); err != nil || !res.Accepted {
			t.Fatalf("turn %d, orders of %s: %+v %v", g.turn, user, res, err)
		}
	}
	if _, err := g.e.s.ForceNextTurn(ctx, g.gameID); err != nil {
		t.Fatalf("turn %d: %v", g.turn, err)
	}
}

func (g *substituteGame) wanted(t *testing.T) []string {
	t.Helper()
	w, err := g.e.lobby.SubstitutesWanted(context.Background(), g.gameID)
	if err != nil {
		t.Fatal(err)
	}
	return w[g.gameID]
}

func (g *substituteGame) addUser(t *testing.T, id string) {
	t.Helper()
	g.e.exec(t, `INSERT INTO users (user_id, email, display_name) VALUES ($1, $1 || '@example.com', $1)`, id)
}

func latestData(t *testing.T, s *Service, gameID, user string) (Report, game.ReportData) {
	t.Helper()
	rep, err := s.Reports(context.Background(), gameID, user, Latest)
	if err != nil {
		t.Fatalf("latest report of %s: %v", user, err)
	}
	var d game.ReportData
	if err := json.Unmarshal(rep.Data, &d); err != nil {
		t.Fatal(err)
	}
	return rep, d
}

// TestSubstituteTakesOverAnIdleRace: under idle_policy=substitute a silent
// race is played by the bot and offered in the public listing; a new
// player's claim hands them the race (name, planets, history), they read
// its latest report at once and play it; its previous player keeps only
// what was theirs.
func TestSubstituteTakesOverAnIdleRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := newSubstituteGame(t, 3)
	s, l := g.e.s, g.e.lobby
	p1, p2, p3 := g.users[0], g.users[1], g.users[2]
	active := map[string]string{p1: "; here", p2: "; here"}

	g.play(t, active) // p3 silent once: idle
	if w := g.wanted(t); len(w) != 0 {
		t.Fatalf("offered after one silent turn, before the bot played it: %v", w)
	}
	g.play(t, active) // the bot plays p3, and the race is offered
	if w := g.wanted(t); !slices.Equal(w, []string{"Cardassians"}) {
		t.Fatalf("substitutes wanted %v, want [Cardassians]", w)
	}
	page, err := l.ListPublic(ctx, 50, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(page.Games, func(x lobby.Game) bool { return x.GameID == g.gameID }) {
		t.Fatal("the running game with a race on offer is not in the public listing")
	}
	g.play(t, active) // offered races stay offered; the bot keeps playing
	if _, d := latestData(t, s, g.gameID, p3); d.Status != "active" || len(d.ShipTypes) == 0 {
		t.Fatalf("the offered race: status %q, %d ship types (the bot designs ships)", d.Status, len(d.ShipTypes))
	}

	// Who may claim what.
	g.addUser(t, "sub")
	if _, err := l.ClaimRace(ctx, p1, g.gameID, "Cardassians"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a player of the game claims another race: %v, want conflict", err)
	}
	if _, err := l.ClaimRace(ctx, "sub", g.gameID, "Andorians"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("claim of a race not offered: %v, want not found", err)
	}
	c, err := l.ClaimRace(ctx, "sub", g.gameID, "Cardassians")
	if err != nil || c.Status != lobby.ClaimApproved {
		t.Fatalf("claim in a public game: %+v %v, want approved at once", c, err)
	}
	if w := g.wanted(t); len(w) != 0 {
		t.Fatalf("still offered after the hand-over: %v", w)
	}
	var status, holder string
	if err := g.e.pool.QueryRow(ctx, `SELECT status FROM memberships WHERE game_id = $1 AND user_id = $2`, g.gameID, p3).Scan(&status); err != nil || status != "removed" {
		t.Fatalf("the previous player's membership: %q %v, want removed", status, err)
	}
	if err := g.e.pool.QueryRow(ctx, `SELECT holder_user_id FROM race_names WHERE game_id = $1`+
		` AND name = 'Cardassians'`, g.gameID).Scan(&holder); err != nil || holder != "sub" {
		t.Fatalf("the race name's reservation is held by %q (%v), want the substitute", holder, err)
	}

	// The substitute has the race's latest report at once, and its history.
	rep, d := latestData(t, s, g.gameID, "sub")
	if rep.Turn != g.turn || rep.RaceName != "Cardassians" || len(d.Planets) == 0 {
		t.Fatalf("the substitute's first report: turn %d (want %d), race %q, %d planets", rep.Turn, g.turn, rep.RaceName, len(d.Planets))
	}
	if _, err := s.Reports(ctx, g.gameID, "sub", 1); err != nil {
		t.Fatalf("the substitute reads the race's history: %v", err)
	}

	// The substitute plays; the previous player is out.
	g.play(t, map[string]string{p1: "; here", p2: "; here", "sub": "d Newcomer 1 0 0 0 0"})
	if _, d := latestData(t, s, g.gameID, "sub"); !slices.ContainsFunc(d.ShipTypes, func(st game.ShipTypeInfo) bool { return st.Name == "Newcomer" }) {
		t.Fatal("the substitute's orders did not run")
	}
	if _, err := s.SubmitOrders(ctx, g.gameID, p3, g.turn+1, "; back", false); !errs.Is(err, errs.PermissionDenied) {
		t.Fatalf("the previous player sends orders: %v, want permission denied", err)
	}
	if rep, _ := latestData(t, s, g.gameID, p3); rep.Turn != 3 {
		t.Fatalf("the previous player's newest report is of turn %d, want 3 (the last they held the race)", rep.Turn)
	}
	if _, err := s.Orders(ctx, g.gameID, p3, g.turn); !errs.Is(err, errs.NotFound) {
		t.Fatalf("the previous player reads the substitute's orders: %v, want not found", err)
	}
	turns, err := s.Turns(ctx, g.gameID, p3)
	if err != nil {
		t.Fatal(err)
	}
	if !turns[2].Played || turns[3].Played {
		t.Fatalf("the previous player reads turn 3 %v and turn 4 %v, want only turn 3", turns[2].Played, turns[3].Played)
	}
	if turns, err = s.Turns(ctx, g.gameID, "sub"); err != nil || !turns[0].Played {
		t.Fatalf("the substitute reads the race's standing in turn 1: %v %v", turns[0].Played, err)
	}
	if n := g.e.count(t, `SELECT count(*) FROM outbox_events WHERE type = 'game.race_handed_over.v1' AND aggregate_id = $1
		AND payload->>'from_user_id' = $2 AND payload->>'to_user_id' = 'sub'`, g.gameID, p3); n != 1 {
		t.Fatalf("%d game.race_handed_over.v1 events, want 1", n)
	}
	if n := g.e.count(t, `SELECT count(*) FROM outbox_events WHERE type = 'game.race_idle.v1' AND aggregate_id = $1
		AND payload->>'policy' = 'substitute'`, g.gameID); n != 1 {
		t.Fatalf("%d game.race_idle.v1 events under the substitute policy, want 1", n)
	}
}

// TestPrivateSubstituteClaimsWaitForTheOwner: in a private game a claim
// waits for the owner; approving one hands the race over and turns the
// race's other claims down; a race whose player came back can no longer
// be handed over.
func TestPrivateSubstituteClaimsWaitForTheOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := newSubstituteGame(t, 3)
	l := g.e.lobby
	g.e.exec(t, `UPDATE games SET visibility = 'private' WHERE game_id = $1`, g.gameID)
	p1, p2, p3 := g.users[0], g.users[1], g.users[2]
	g.play(t, map[string]string{p1: "; here"})
	g.play(t, map[string]string{p1: "; here"})
	if w := g.wanted(t); !slices.Equal(w, []string{"Betazoids", "Cardassians"}) {
		t.Fatalf("substitutes wanted %v", w)
	}
	for _, u := range []string{"c1", "c2", "c3"} {
		g.addUser(t, u)
	}
	if _, err := l.GetGame(ctx, "c1", g.gameID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a stranger sees the private game: %v", err)
	}
	claim := func(user, race string) lobby.Claim {
		t.Helper()
		c, err := l.ClaimRace(ctx, user, g.gameID, race)
		if err != nil || c.Status != lobby.ClaimSubmitted {
			t.Fatalf("claim of %s by %s: %+v %v, want submitted", race, user, c, err)
		}
		return c
	}
	c1, c2, c3 := claim("c1", "Cardassians"), claim("c2", "Cardassians"), claim("c3", "Betazoids")
	if _, err := l.ClaimRace(ctx, "c1", g.gameID, "Betazoids"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a second open claim: %v, want conflict", err)
	}
	if _, err := l.GetGame(ctx, "c1", g.gameID); err != nil {
		t.Fatalf("a claimant sees the game: %v", err)
	}
	if _, err := l.DecideClaim(ctx, "c2", g.gameID, c1.ClaimID, true); !errs.Is(err, errs.PermissionDenied) {
		t.Fatalf("a claimant approves a claim: %v, want permission denied", err)
	}
	mine, _, err := l.ClaimsPage(ctx, "c2", g.gameID, 50, nil)
	if err != nil || len(mine) != 1 || mine[0].ClaimID != c2.ClaimID {
		t.Fatalf("a claimant's list: %+v %v, want only their claim", mine, err)
	}

	got, err := l.DecideClaim(ctx, "owner", g.gameID, c1.ClaimID, true)
	if err != nil || got.Status != lobby.ClaimApproved {
		t.Fatalf("approve: %+v %v", got, err)
	}
	all, _, err := l.ClaimsPage(ctx, "owner", g.gameID, 50, nil)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]string{}
	for _, c := range all {
		statuses[c.ClaimID] = c.Status
	}
	if statuses[c2.ClaimID] != lobby.ClaimRejected || statuses[c3.ClaimID] != lobby.ClaimSubmitted {
		t.Fatalf("after handing the Cardassians to c1: %v (c2 rejected, c3 still open)", statuses)
	}

	// The Betazoids' player comes back before the owner decides.
	g.play(t, map[string]string{p1: "; here", p2: "; back", "c1": "; new"})
	if _, err := l.DecideClaim(ctx, "owner", g.gameID, c3.ClaimID, true); !errs.Is(err, errs.FailedPrecondition) {
		t.Fatalf("approve a claim of a race whose player came back: %v, want failed precondition", err)
	}
	if _, err := l.WithdrawClaim(ctx, "c3", g.gameID, c3.ClaimID); err != nil {
		t.Fatalf("withdraw: %v", err)
	}
	if w := g.wanted(t); len(w) != 0 {
		t.Fatalf("substitutes wanted %v after the hand-over and the return", w)
	}
	if n := g.e.count(t, `SELECT count(*) FROM memberships WHERE game_id = $1 AND status = 'active'`, g.gameID); n != 3 {
		t.Fatalf("%d active members, want 3 (p1, p2 and c1)", n)
	}
	_ = p3
}
