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
