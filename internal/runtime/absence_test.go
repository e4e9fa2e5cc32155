package runtime

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// TestAbsenceKeepsARaceFromGoingIdle: with an idle limit of 2 turns, a
// race whose player excused 2 turns is still in the game after them (and
// gets no reminder), and goes idle only after turns it was not excused for.
func TestAbsenceKeepsARaceFromGoingIdle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	rec := &intents{}
	e.s.SetNotifier(rec)
	gameID, users := e.startGame(t, 2, `{"idle_turns_limit":2}`)
	s := e.s
	status := func(t *testing.T, user string) string {
		t.Helper()
		rep, err := s.Reports(ctx, gameID, user, Latest)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(rep.Data, &d); err != nil {
			t.Fatal(err)
		}
		return d.Status
	}

	for _, bad := range []int{0, -1, 3} {
		if _, err := s.SetAbsence(ctx, gameID, users[1], bad); !errs.Is(err, errs.InvalidArgument) {
			t.Fatalf("absence of %d turns: %v", bad, err)
		}
	}
	if _, err := s.SetAbsence(ctx, gameID, "stranger", 1); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a stranger's absence: %v", err)
	}
	a, err := s.SetAbsence(ctx, gameID, users[1], 2)
	if err != nil || a.UntilTurn != 2 || a.RaceName == "" {
		t.Fatalf("absence: %+v %v", a, err)
	}
	if n := e.count(t, `SELECT count(*) FROM outbox_events WHERE type = 'game.absence_set.v1' AND aggregate_id = $1`, gameID); n != 1 {
		t.Fatalf("%d game.absence_set.v1 events", n)
	}
	if n, err := s.remind(ctx, gameID, 1); err != nil || n != 1 {
		t.Fatalf("reminded %d, %v: only the player who is not away", n, err)
	}
	for turn := 1; turn <= 2; turn++ {
		if _, err := s.SubmitOrders(ctx, gameID, users[0], turn, "; holding", false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ForceNextTurn(ctx, gameID); err != nil {
			t.Fatal(err)
		}
	}
	if got := status(t, users[1]); got != "active" {
		t.Fatalf("after 2 excused turns the race is %q", got)
	}
	for turn := 3; turn <= 4; turn++ {
		if _, err := s.SubmitOrders(ctx, gameID, users[0], turn, "; holding", false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ForceNextTurn(ctx, gameID); err != nil {
			t.Fatal(err)
		}
	}
	if got := status(t, users[1]); got != "removed" {
		t.Fatalf("after 2 silent turns it was not excused for, the race is %q", got)
	}
	// The backend follows: the membership ends, and its player hears no more.
	if n := e.count(t, `SELECT count(*) FROM memberships WHERE game_id = $1 AND user_id = $2 AND status = 'removed'`, gameID, users[1]); n != 1 {
		t.Fatal("the removed race's membership is still active")
	}
	for _, in := range rec.of("game.turn.ready") {
		if in.UserIDs[0] == users[1] && in.Payload["turn"] == 4 {
			t.Fatal("the removed race's player was told of the turn that removed it as if still playing")
		}
	}
}
