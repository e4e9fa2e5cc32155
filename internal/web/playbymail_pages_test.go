package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// playByMailSite is substituteSite's backend plus the play-by-mail calls:
// usr_owner plays the Vogons in g2, has one message from the Klingons, and
// gets a new orders password when asking for one.
func playByMailSite(t *testing.T) (string, *enrollFake) {
	t.Helper()
	fake := &enrollFake{calls: map[string][]string{}}
	backend := http.NewServeMux()
	backend.Handle("/", substituteBackend(fake))
	js := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	backend.HandleFunc("GET /api/v1/user/games/{id}/messages", func(w http.ResponseWriter, r *http.Request) {
		items := []apiclient.GameMessage{}
		if r.PathValue("id") == "g2" {
			items = append(items, apiclient.GameMessage{MessageId: "msg1", GameId: "g2", FromRace: "Klingons",
				ToRace: "Vogons", Body: "Today is a good day\nto share a nebula.", CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
		}
		js(w, apiclient.GameMessageList{Items: items})
	})
	backend.HandleFunc("POST /api/v1/user/games/{id}/orders-password", func(w http.ResponseWriter, r *http.Request) {
		fake.record(r)
		addr := "orders@galaxy.test"
		js(w, apiclient.OrdersPassword{Password: "newsecret42", OrdersAddress: &addr})
	})
	ui, mux := testUI(t, backend)
	mux.HandleFunc("GET /games/{game_id}", ui.GameShow)
	mux.HandleFunc("POST /games/{game_id}/orders-password", ui.OrdersPasswordRotate)
	return testSite(t, mux).URL, fake
}

func TestGamePageShowsRelayedMessagesAndPlayByMail(t *testing.T) {
	t.Parallel()
	site, _ := playByMailSite(t)
	p := enrollDo(t, "tok-owner", "GET", site+"/games/g2", nil)
	p.has(t, "Play by mail", `action="/games/g2/orders-password"`, "<strong>Klingons</strong>", "Today is a good day\nto share a nebula.")
	p.lacks(t, "newsecret42")
}

func TestNewOrdersPasswordIsShownOnceAndNotCached(t *testing.T) {
	t.Parallel()
	site, fake := playByMailSite(t)
	p := enrollDo(t, "tok-owner", "POST", site+"/games/g2/orders-password", url.Values{})
	if p.status != http.StatusOK {
		t.Fatalf("status %d: %s", p.status, p.body)
	}
	p.has(t, "newsecret42", "orders@galaxy.test", "#GALAXY g2 Vogons newsecret42")
	if cc := p.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q: the password page must not be cached", cc)
	}
	if n := len(fake.called("POST /api/v1/user/games/g2/orders-password")); n != 1 {
		t.Errorf("%d rotations sent", n)
	}
	// The next visit no longer shows it.
	enrollDo(t, "tok-owner", "GET", site+"/games/g2", nil).lacks(t, "newsecret42")
}
