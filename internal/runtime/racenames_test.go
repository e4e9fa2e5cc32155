package runtime

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// TestRaceNameAndQuitOrders plays the c and q orders through the runtime:
// a new race name is reserved in the Race Name Directory before the turn
// and becomes the membership's; a name another player holds is refused
// with a mistake; a race that quits leaves the game and frees its name.
func TestRaceNameAndQuitOrders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	gameID, _ := e.startGame(t, 3, `{}`)
	s := e.s
	// px holds Vulcans in another game.
	e.exec(t, `INSERT INTO users (user_id, email, display_name) VALUES ('px', 'px@example.com', 'px')`)
	if err := postgres.InTx(ctx, e.pool, func(ctx context.Context, tx pgx.Tx) error {
		_, err := racenames.New().Reserve(ctx, tx, "px", "elsewhere", "Vulcans")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	held := func(user string) string {
		var name string
		if err := e.pool.QueryRow(ctx, `SELECT name FROM race_names WHERE holder_user_id = $1 AND game_id = $2`, user, gameID).Scan(&name); err != nil {
			return ""
		}
		return name
	}
	member := func(user string) (name, status string) {
		if err := e.pool.QueryRow(ctx, `SELECT race_name, status FROM memberships WHERE game_id = $1 AND user_id = $2`, gameID, user).Scan(&name, &status); err != nil {
			t.Fatal(err)
		}
		return name, status
	}
	for user, text := range map[string]string{
		"p1": "c Star_Lords",
		"p2": "c Vulcans",
		"p3": "q Cardassians",
	} {
		if _, err := s.SubmitOrders(ctx, gameID, user, 1, text, false); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ForceNextTurn(ctx, gameID); err != nil {
		t.Fatal(err)
	}

	if name, _ := member("p1"); name != "Star_Lords" || held("p1") != "Star_Lords" {
		t.Fatalf("p1's race is %q and holds %q, want Star_Lords; report %+v", name, held("p1"), reportData(t, s, gameID, "p1").Mistakes)
	}
	if rep, err := s.Reports(ctx, gameID, "p1", Latest); err != nil || rep.RaceName != "Star_Lords" || !strings.Contains(rep.Text, "Your race is now called Star_Lords.") {
		t.Fatalf("p1's report: %+v, %v", rep.RaceName, err)
	}
	if n := e.count(t, `SELECT count(*) FROM race_names WHERE name = 'Andorians'`); n != 0 {
		t.Fatal("the old name is still held")
	}

	rep := reportData(t, s, gameID, "p2")
	if name, _ := member("p2"); name != "Betazoids" || held("p2") != "Betazoids" || rep.Race != "Betazoids" {
		t.Fatalf("p2's race is %q, holds %q, plays as %q; want Betazoids", name, held("p2"), rep.Race)
	}
	if len(rep.Mistakes) != 1 || !strings.Contains(rep.Mistakes[0].Message, "another player holds the name Vulcans") {
		t.Fatalf("p2's mistakes: %+v", rep.Mistakes)
	}

	if _, status := member("p3"); status != "left" || held("p3") != "" {
		t.Fatalf("p3's membership is %s and holds %q", status, held("p3"))
	}
	if rep := reportData(t, s, gameID, "p1"); !strings.Contains(strings.Join(rep.Bulletins, "\n"), "Cardassians left the game.") {
		t.Fatalf("p1's bulletins: %v", rep.Bulletins)
	}

	// The next turn runs with the two races left, under their names.
	for _, user := range []string{"p1", "p2"} {
		if _, err := s.SubmitOrders(ctx, gameID, user, 2, "; orders", false); err != nil {
			t.Fatal(err)
		}
	}
	if turn, err := s.ForceNextTurn(ctx, gameID); err != nil || turn != 2 {
		t.Fatalf("turn 2: %d, %v", turn, err)
	}
	if rep, err := s.Reports(ctx, gameID, "p1", Latest); err != nil || rep.RaceName != "Star_Lords" {
		t.Fatalf("p1's turn-2 report: %+v, %v", rep.RaceName, err)
	}
}
