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
