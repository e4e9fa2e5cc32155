package runtime

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
)

// TestTurnsShowEachReaderOnlyWhatTheyMaySee: anyone who may see a public
// game reads its turns' public facts (when they ran, how many races are
// alive, whether it is over); a player also reads what their own report
// shows: their race's full line, and of every other race only whether it
// is still in the game. Nobody else's ship counts, ever.
func TestTurnsShowEachReaderOnlyWhatTheyMaySee(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	gameID, players := e.startGame(t, 2, `{}`)
	if turn, err := e.s.ForceNextTurn(ctx, gameID); err != nil || turn != 1 {
		t.Fatalf("ForceNextTurn = %d, %v", turn, err)
	}
	// A last turn as the engine reports one: p2 eliminated, p1 the winner.
	e.exec(t, `INSERT INTO game_turns (game_id, turn, summary) VALUES ($1, 2, $2)`, gameID,
		`{"races":[{"race_id":"p1","planets":7,"population":900.5,"industry":450,"ships":31,"eliminated":false,"production":610,"rank":1},
		           {"race_id":"p2","planets":0,"population":0,"industry":0,"ships":0,"eliminated":true,"production":0,"rank":2}],
		  "finished":true,"winners":["p1"]}`)
	e.exec(t, `INSERT INTO users (user_id, email, display_name) VALUES ('outsider', 'outsider@example.com', 'outsider')`)
	h := &Handlers{Service: e.s, Lobby: e.lobby, Logger: slog.New(slog.DiscardHandler)}

	type turn struct {
		Turn    int            `json:"turn"`
		RanAt   string         `json:"ran_at"`
		Summary map[string]any `json:"summary"`
	}
	read := func(t *testing.T, userID string) []turn {
		t.Helper()
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/api/v1/user/games/"+gameID+"/turns", nil)
		r = r.WithContext(authctx.WithUser(r.Context(), authctx.User{UserID: userID}))
		h.ListTurns(rec, r, gameID, apigen.ListTurnsParams{})
		raw, _ := io.ReadAll(rec.Body)
		var out struct {
			Items []turn `json:"items"`
		}
		if err := json.Unmarshal(raw, &out); err != nil || rec.Code != http.StatusOK || len(out.Items) != 2 {
			t.Fatalf("%d %s (%v)", rec.Code, raw, err)
		}
		return out.Items
	}
	races := func(t *testing.T, s map[string]any) map[string][]string {
		t.Helper()
		out := map[string][]string{}
		list, _ := s["races"].([]any)
		for _, r := range list {
			line := r.(map[string]any)
			out[line["race_id"].(string)] = slices.Sorted(maps.Keys(line))
		}
		return out
	}

	for _, reader := range []string{"outsider", "owner"} {
		t.Run(reader+" reads the public facts only", func(t *testing.T) {
			for _, it := range read(t, reader) {
				if it.RanAt == "" {
					t.Errorf("turn %d: no ran_at", it.Turn)
				}
				keys := slices.Sorted(maps.Keys(it.Summary))
				if len(races(t, it.Summary)) > 0 || it.Summary["winners"] != nil {
					t.Errorf("turn %d shows races or winners to a reader who plays none: %v", it.Turn, it.Summary)
				}
				want := map[int]float64{1: 2, 2: 1}[it.Turn]
				if it.Summary["races_alive"] != want {
					t.Errorf("turn %d: races_alive %v, want %v (%v)", it.Turn, it.Summary["races_alive"], want, keys)
				}
			}
		})
	}

	t.Run("a player reads their own line whole and the others' standing", func(t *testing.T) {
		items := read(t, players[0])
		full := []string{"eliminated", "industry", "planets", "population", "production", "race_id", "rank", "ships"}
		for _, it := range items {
			got := races(t, it.Summary)
			if !slices.Equal(got["p1"], full) || !slices.Equal(got["p2"], []string{"eliminated", "race_id"}) {
				t.Errorf("turn %d: lines %v", it.Turn, got)
			}
		}
		last := items[1].Summary
		if last["finished"] != true || !slices.Equal(last["winners"].([]any), []any{"p1"}) || last["races_alive"] != float64(1) {
			t.Errorf("the last turn: %v", last)
		}
		p1 := last["races"].([]any)[0].(map[string]any)
		if p1["ships"] != float64(31) || p1["planets"] != float64(7) {
			t.Errorf("p1's own line: %v", p1)
		}
		p2 := last["races"].([]any)[1].(map[string]any)
		if p2["eliminated"] != true {
			t.Errorf("p2's standing: %v", p2)
		}
	})

	t.Run("an eliminated player's own line keeps its zeros", func(t *testing.T) {
		items := read(t, players[1])
		got := races(t, items[1].Summary)
		if !slices.Equal(got["p2"], []string{"eliminated", "industry", "planets", "population", "production", "race_id", "rank", "ships"}) ||
			!slices.Equal(got["p1"], []string{"eliminated", "race_id"}) {
			t.Errorf("p2's view of the last turn: %v", got)
		}
	})
}
