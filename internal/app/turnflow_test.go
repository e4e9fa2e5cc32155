package app

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestDepartedMembersGetNoTurnNotifications: a player who left a running
// game hears nothing of its later turns; the others are told, with the
// time the next turn really runs.
func TestDepartedMembersGetNoTurnNotifications(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	admin := r.adminToken(t)
	players := make([]signedIn, 3)
	for i := range players {
		players[i] = r.signIn(t, fmt.Sprintf("flow%d@example.com", i))
	}
	owner := players[0]
	var g gameJSON
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", owner.Token, newGameBody("public"), &g); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	for i, p := range players {
		var a appJSON
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications", p.Token,
			map[string]string{"race_name": fmt.Sprintf("Flow%d", i)}, &a); code != http.StatusCreated {
			t.Fatalf("apply: %d", code)
		}
		r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications/"+a.ApplicationID+"/approve", owner.Token, nil, nil)
	}
	r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/close-enrollment", owner.Token, nil, nil)
	r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/start", owner.Token, nil, nil)
	waitRunning(t, r, admin, g.GameID)

	leaver := players[2]
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/leave", leaver.Token, nil, nil); code != http.StatusOK {
		t.Fatalf("leave: %d", code)
	}
	var after struct {
		NextTurnAt time.Time `json:"next_turn_at"`
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/admin/games/"+g.GameID+"/force-next-turn", admin, nil, &after); code != http.StatusOK {
		t.Fatalf("force: %d", code)
	}
	type inbox struct {
		Items []struct {
			Kind    string         `json:"kind"`
			Payload map[string]any `json:"payload"`
		} `json:"items"`
	}
	turnReady := func(tok string) (int, string) {
		var in inbox
		r.call(t, http.MethodGet, "/api/v1/user/notifications?limit=200", tok, nil, &in)
		n, next := 0, ""
		for _, it := range in.Items {
			if it.Kind == "game.turn.ready" {
				n++
				next, _ = it.Payload["next_turn_at"].(string)
			}
		}
		return n, next
	}
	for _, p := range players[:2] {
		n, next := turnReady(p.Token)
		if n != 1 {
			t.Fatalf("%s: %d turn notifications, want 1", p.User.Email, n)
		}
		if told, err := time.Parse(time.RFC3339, next); err != nil || !told.Equal(after.NextTurnAt) {
			t.Fatalf("%s is told the next turn runs %q, the game says %s", p.User.Email, next, after.NextTurnAt)
		}
	}
	if n, _ := turnReady(leaver.Token); n != 0 {
		t.Fatalf("the player who left got %d turn notifications", n)
	}
}

// TestSubstituteOverTheAPI: under idle_policy=substitute, over HTTP with
// the real notification and mail pipeline: a silent race is offered in the
// public listing and its player is mailed; a newcomer claims it, is told,
// reads its latest report at once and sends its orders; the previous
// player is told and gets no turn notification after the hand-over.
func TestSubstituteOverTheAPI(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	admin := r.adminToken(t)
	owner, silent, newcomer := r.signIn(t, "subowner@example.com"), r.signIn(t, "silent@example.com"), r.signIn(t, "newcomer@example.com")
	body := newGameBody("public")
	body["settings"] = map[string]any{"max_turns": 50, "idle_policy": "substitute", "idle_turns": 1}
	var g gameJSON
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", owner.Token, body, &g); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	for _, p := range []struct {
		who  signedIn
		race string
	}{{owner, "Keepers"}, {silent, "Sleepers"}} {
		var a appJSON
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications", p.who.Token,
			map[string]string{"race_name": p.race}, &a); code != http.StatusCreated {
			t.Fatalf("apply: %d", code)
		}
		r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications/"+a.ApplicationID+"/approve", owner.Token, nil, nil)
	}
	r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/close-enrollment", owner.Token, nil, nil)
	r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/start", owner.Token, nil, nil)
	waitRunning(t, r, admin, g.GameID)

	turn := func(n int, players ...signedIn) {
		t.Helper()
		for _, p := range players {
			if code, _ := r.call(t, http.MethodPut, "/api/v1/user/games/"+g.GameID+"/orders", p.Token,
				map[string]any{"turn": n, "text": "; here"}, nil); code != http.StatusOK {
				t.Fatalf("orders for turn %d: %d", n, code)
			}
		}
		if code, _ := r.call(t, http.MethodPost, "/api/v1/admin/games/"+g.GameID+"/force-next-turn", admin, nil, nil); code != http.StatusOK {
			t.Fatalf("force turn %d: %d", n, code)
		}
	}
	turn(1, owner)
	turn(2, owner)

	var listing struct {
		Items []struct {
			GameID            string   `json:"game_id"`
			Status            string   `json:"status"`
			SubstitutesWanted []string `json:"substitutes_wanted"`
		} `json:"items"`
	}
	// The listing is served from memory and follows the database within
	// moments.
	found := false
	for deadline := time.Now().Add(5 * time.Second); !found && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		r.call(t, http.MethodGet, "/api/v1/public/games", "", nil, &listing)
		for _, it := range listing.Items {
			if it.GameID == g.GameID {
				found = it.Status == "running" && len(it.SubstitutesWanted) == 1 && it.SubstitutesWanted[0] == "Sleepers"
			}
		}
	}
	if !found {
		t.Fatalf("the public listing does not offer the Sleepers: %+v", listing.Items)
	}
	r.waitMail(t, "silent@example.com", "offered to a substitute")

	var claim struct {
		ClaimID string `json:"claim_id"`
		Status  string `json:"status"`
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/substitutes/Sleepers/claim", newcomer.Token, nil, &claim); code != http.StatusCreated || claim.Status != "approved" {
		t.Fatalf("claim: %d %+v", code, claim)
	}
	var rep struct {
		Turn     int    `json:"turn"`
		RaceName string `json:"race_name"`
	}
	if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+g.GameID+"/reports/latest", newcomer.Token, nil, &rep); code != http.StatusOK || rep.Turn != 2 || rep.RaceName != "Sleepers" {
		t.Fatalf("the newcomer's first report: %d %+v", code, rep)
	}
	r.waitMail(t, "newcomer@example.com", "you now play the Sleepers")
	r.waitMail(t, "silent@example.com", "a new player took over the Sleepers")

	turn(3, owner, newcomer)
	kinds := func(tok string) map[string]int {
		var in struct {
			Items []struct {
				Kind    string         `json:"kind"`
				Payload map[string]any `json:"payload"`
			} `json:"items"`
		}
		r.call(t, http.MethodGet, "/api/v1/user/notifications?limit=200", tok, nil, &in)
		out := map[string]int{}
		for _, it := range in.Items {
			out[it.Kind]++
		}
		return out
	}
	if k := kinds(silent.Token); k["game.turn.ready"] != 2 || k["game.race.offered"] != 1 || k["game.race.handed_over"] != 1 {
		t.Fatalf("the previous player's notifications: %v (turns 1 and 2 only, offered, handed over)", k)
	}
	if k := kinds(newcomer.Token); k["game.turn.ready"] != 1 || k["game.substitute.approved"] != 1 {
		t.Fatalf("the newcomer's notifications: %v (approved, turn 3)", k)
	}
	var members struct {
		Items []struct {
			UserID   string `json:"user_id"`
			RaceName string `json:"race_name"`
			Status   string `json:"status"`
		} `json:"items"`
	}
	r.call(t, http.MethodGet, "/api/v1/user/games/"+g.GameID+"/members", owner.Token, nil, &members)
	status := map[string]string{}
	for _, m := range members.Items {
		status[m.UserID] = m.RaceName + " " + m.Status
	}
	if status[silent.User.UserID] != "Sleepers removed" || status[newcomer.User.UserID] != "Sleepers active" {
		t.Fatalf("members after the hand-over: %v", status)
	}
}
