package app

import (
	"net/http"
	"testing"
	"time"
)

// TestAdminOverview: the operators' overview counts what is in the
// database, domain by domain.
func TestAdminOverview(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	admin := r.adminToken(t)
	owner := r.signIn(t, "overview@example.com")
	for range 2 {
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", owner.Token, newGameBody("public"), nil); code != http.StatusCreated {
			t.Fatalf("create: %d", code)
		}
	}
	type overview struct {
		Games                   map[string]int64 `json:"games"`
		Engines                 map[string]int64 `json:"engines"`
		Mail                    map[string]int64 `json:"mail"`
		InboundMail             map[string]int64 `json:"inbound_mail"`
		NotificationDeadLetters *int64           `json:"notification_dead_letters"`
		OutboxPending           *int64           `json:"outbox_pending"`
	}
	var o overview
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if code, _ := r.call(t, http.MethodGet, "/api/v1/admin/overview", admin, nil, &o); code != http.StatusOK {
			t.Fatalf("overview: %d", code)
		}
		if o.Mail["sent"] >= 1 || time.Now().After(deadline) {
			break // the sign-in mail has gone out
		}
	}
	if o.Games["enrollment_open"] != 2 || o.Games["running"] != 0 || len(o.Engines) != 0 {
		t.Errorf("games %v, engines %v: want 2 open games and no engine", o.Games, o.Engines)
	}
	if o.Mail["sent"] < 1 || o.InboundMail == nil || o.NotificationDeadLetters == nil || *o.NotificationDeadLetters != 0 || o.OutboxPending == nil {
		t.Errorf("overview %+v", o)
	}
	if code, _ := r.call(t, http.MethodGet, "/api/v1/admin/overview", owner.Token, nil, nil); code != http.StatusUnauthorized {
		t.Errorf("a player's token reads the overview: %d", code)
	}
}

// TestAdminReadsAndSignOut: what the operator console reads of a user and
// of a game, whatever its visibility, and an operator's sign-out.
func TestAdminReadsAndSignOut(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	admin := r.adminToken(t)
	owner := r.signIn(t, "adminreads@example.com")
	var g gameJSON
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", owner.Token, newGameBody("private"), &g); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	for _, c := range []struct {
		path  string
		want  int
		items int // -1: not a list
	}{
		{"/api/v1/admin/users/" + owner.User.UserID, http.StatusOK, -1},
		{"/api/v1/admin/users/usr_nobody", http.StatusNotFound, -1},
		{"/api/v1/admin/users/" + owner.User.UserID + "/sessions", http.StatusOK, 1},
		{"/api/v1/admin/users/" + owner.User.UserID + "/games", http.StatusOK, 1},
		{"/api/v1/admin/games/" + g.GameID, http.StatusOK, -1},
		{"/api/v1/admin/games/" + g.GameID + "/members", http.StatusOK, 0},
		{"/api/v1/admin/games/" + g.GameID + "/runtime", http.StatusNotFound, -1}, // never started
		{"/api/v1/admin/games/" + g.GameID + "/turns", http.StatusOK, 0},
		{"/api/v1/admin/games/gam_nosuch/turns", http.StatusNotFound, -1},
	} {
		list.Items = nil
		var out any = &list
		if c.items < 0 {
			out = nil
		}
		if code, _ := r.call(t, http.MethodGet, c.path, admin, nil, out); code != c.want {
			t.Errorf("%s: %d, want %d", c.path, code, c.want)
		}
		if c.items >= 0 && len(list.Items) != c.items {
			t.Errorf("%s: %d items, want %d", c.path, len(list.Items), c.items)
		}
		// A player's token opens no admin read.
		if code, _ := r.call(t, http.MethodGet, c.path, owner.Token, nil, nil); code != http.StatusUnauthorized {
			t.Errorf("%s with a player's token: %d", c.path, code)
		}
	}
	if code, _ := r.call(t, http.MethodDelete, "/api/v1/admin/session", admin, nil, nil); code != http.StatusNoContent {
		t.Fatalf("sign-out: %d", code)
	}
	if code, _ := r.call(t, http.MethodGet, "/api/v1/admin/overview", admin, nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("the signed-out admin token still works: %d", code)
	}
}
