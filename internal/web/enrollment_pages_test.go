package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

// enrollFake answers the API calls of the enrollment, notification and
// account pages. Two players: "tok-owner" (usr_owner, Europe/Berlin) owns the
// public game g1, open for enrollment, where one application (app1,
// Krikkit) waits; "tok-player" (usr_player, UTC) has nothing to do with it
// yet. It records the bodies of the calls that change something.
type enrollFake struct {
	mu    sync.Mutex
	calls map[string][]string // "METHOD path" → bodies
}

func (f *enrollFake) record(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	k := r.Method + " " + r.URL.Path
	f.calls[k] = append(f.calls[k], string(b))
}

// last is the body of the latest call to k.
func (f *enrollFake) last(k string) string {
	c := f.called(k)
	return c[len(c)-1]
}

func (f *enrollFake) called(k string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[k]
}

func (f *enrollFake) handler() http.Handler {
	js := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	refuse := func(w http.ResponseWriter, status int, code, msg string, details map[string]any) {
		js(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg, "details": details}})
	}
	user := func(r *http.Request) string {
		return map[string]string{"Bearer tok-owner": "usr_owner", "Bearer tok-player": "usr_player"}[r.Header.Get("Authorization")]
	}
	created := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	game := apiclient.Game{GameId: "g1", Name: "Andromeda", Description: "A friendly game", Visibility: "public",
		OwnerUserId: "usr_owner", Status: apiclient.GameStatusEnrollmentOpen, MinPlayers: 2, MaxPlayers: 6, ApprovedCount: 1,
		EnrollmentEndsAt: time.Date(2030, 1, 1, 18, 0, 0, 0, time.UTC), TurnSchedule: "0 18 * * *", CreatedAt: created,
		Settings: map[string]any{"planets_per_race": 12.0, "wrap": true}}

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		refuse(w, http.StatusNotFound, "not_found", "no route "+r.Method+" "+r.URL.Path, nil)
	})
	mux.HandleFunc("GET /api/v1/user/me", func(w http.ResponseWriter, r *http.Request) {
		switch user(r) {
		case "usr_owner":
			js(w, 200, apiclient.UserProfile{UserId: "usr_owner", Email: "owner@example.com", DisplayName: "Olga",
				Timezone: "Europe/Berlin", Status: "active", CreatedAt: created})
		case "usr_player":
			js(w, 200, apiclient.UserProfile{UserId: "usr_player", Email: "pat@example.com", DisplayName: "Pat",
				Timezone: "UTC", Status: "active", CreatedAt: created})
		default:
			refuse(w, 401, "unauthenticated", "no session", nil)
		}
	})
	mux.HandleFunc("PATCH /api/v1/user/me", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		js(w, 200, apiclient.UserProfile{UserId: "usr_owner", DisplayName: "Olga", Timezone: "Asia/Tokyo", Status: "active"})
	})
	mux.HandleFunc("GET /api/v1/user/notifications", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("unread") == "true" {
			js(w, 200, apiclient.NotificationList{Items: []apiclient.Notification{}})
			return
		}
		read := created
		items := []apiclient.Notification{
			{NotificationId: "n1", Kind: "game.turn.ready", CreatedAt: created,
				Payload: map[string]any{"game_id": "g1", "game_name": "Andromeda", "turn": 4.0}},
			{NotificationId: "n2", Kind: "lobby.application.submitted", CreatedAt: created, ReadAt: &read,
				Payload: map[string]any{"game_id": "g1", "game_name": "Andromeda", "race_name": "Krikkit"}},
		}
		var next *string
		if r.URL.Query().Get("cursor") == "" {
			c := "page/2"
			next = &c
		}
		js(w, 200, apiclient.NotificationList{Items: items, NextCursor: next})
	})
	mux.HandleFunc("POST /api/v1/user/notifications/{id}/read", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		js(w, 200, apiclient.Notification{NotificationId: r.PathValue("id")})
	})
	mux.HandleFunc("POST /api/v1/user/notifications/read-all", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		js(w, 200, apiclient.NotificationsUpdated{Updated: 3})
	})
	mux.HandleFunc("POST /api/v1/user/games", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		g := game
		g.GameId, g.Name = "g9", "New"
		js(w, 201, g)
	})
	mux.HandleFunc("GET /api/v1/user/games/g1", func(w http.ResponseWriter, _ *http.Request) { js(w, 200, game) })
	mux.HandleFunc("GET /api/v1/user/games/g1/members", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.MemberList{Items: []apiclient.Member{
			{UserId: "usr_owner", RaceName: "Vogons", Status: "active", JoinedAt: created}}})
	})
	mux.HandleFunc("GET /api/v1/user/games/g1/applications", func(w http.ResponseWriter, r *http.Request) {
		if user(r) != "usr_owner" {
			js(w, 200, apiclient.ApplicationList{Items: []apiclient.Application{}})
			return
		}
		js(w, 200, apiclient.ApplicationList{Items: []apiclient.Application{
			{ApplicationId: "app1", GameId: "g1", UserId: "usr_x", RaceName: "Krikkit", Status: "submitted", CreatedAt: created}}})
	})
	mux.HandleFunc("GET /api/v1/user/invites", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.InviteList{Items: []apiclient.Invite{}})
	})
	mux.HandleFunc("POST /api/v1/user/games/g1/applications", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		var body apiclient.ApplicationRequest
		_ = json.NewDecoder(strings.NewReader(f.last(r.Method + " " + r.URL.Path))).Decode(&body)
		if strings.EqualFold(body.RaceName, "taken") {
			refuse(w, 409, "conflict", `the race name "Taken" is taken by another player`, map[string]any{"name": "Taken", "canonical_key": "taken"})
			return
		}
		js(w, 201, apiclient.Application{ApplicationId: "app2", GameId: "g1", RaceName: body.RaceName, Status: "submitted"})
	})
	mux.HandleFunc("POST /api/v1/user/games/g1/applications/app1/approve", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		js(w, 200, apiclient.Application{ApplicationId: "app1", RaceName: "Krikkit", Status: "approved"})
	})
	mux.HandleFunc("POST /api/v1/user/games/g1/cancel", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		g := game
		g.Status = apiclient.GameStatusCancelled
		js(w, 200, g)
	})
	mux.HandleFunc("POST /api/v1/user/games/g1/start", func(w http.ResponseWriter, r *http.Request) {
		refuse(w, 409, "failed_precondition", "the game is enrollment_open", map[string]any{"current_status": "enrollment_open"})
	})
	mux.HandleFunc("POST /api/v1/user/games/g1/invites", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		if strings.Contains(f.last(r.Method+" "+r.URL.Path), "nobody@") {
			refuse(w, 404, "not_found", "nobody has signed in with nobody@example.com yet", map[string]any{"field": "email"})
			return
		}
		js(w, 201, apiclient.Invite{InviteId: "inv1", GameId: "g1", ExpiresAt: game.EnrollmentEndsAt})
	})
	mux.HandleFunc("GET /api/v1/public/race-names/{name}", func(w http.ResponseWriter, r *http.Request) {
		key := strings.ToLower(r.PathValue("name"))
		js(w, 200, apiclient.RaceNameAvailability{Name: r.PathValue("name"), CanonicalKey: key, Available: key != "taken" && key != "mine"})
	})
	mux.HandleFunc("GET /api/v1/user/race-names", func(w http.ResponseWriter, _ *http.Request) {
		until := time.Now().Add(24 * time.Hour)
		g1 := "g1"
		js(w, 200, apiclient.RaceNameBindingList{Items: []apiclient.RaceNameBinding{
			{Name: "Mine", CanonicalKey: "mine", BindingKind: apiclient.Registered},
			{Name: "Survivor", CanonicalKey: "survivor", BindingKind: apiclient.PendingRegistration, EligibleUntil: &until, GameId: &g1},
		}})
	})
	mux.HandleFunc("POST /api/v1/user/race-names/{name}/register", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		js(w, 200, apiclient.RaceNameBinding{Name: r.PathValue("name"), BindingKind: apiclient.Registered})
	})
	mux.HandleFunc("GET /api/v1/user/sessions", func(w http.ResponseWriter, _ *http.Request) {
		ua := "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
		js(w, 200, apiclient.SessionList{Items: []apiclient.SessionInfo{
			{SessionId: "s-here", Current: true, CreatedAt: created, ExpiresAt: created, LastUsedAt: created, UserAgent: &ua},
			{SessionId: "s-phone", CreatedAt: created, ExpiresAt: created, LastUsedAt: created},
		}})
	})
	mux.HandleFunc("DELETE /api/v1/user/sessions/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// enrollSite serves the pages of this file's handlers over enrollFake, as
// routes.go does.
func enrollSite(t *testing.T) (*httptest.Server, *enrollFake) {
	t.Helper()
	fake := &enrollFake{calls: map[string][]string{}}
	ui, mux := testUI(t, fake.handler())
	mux.HandleFunc("GET /games/new", ui.GameNew)
	mux.HandleFunc("POST /games/new", ui.GameCreate)
	mux.HandleFunc("GET /games/{game_id}", ui.GameShow)
	mux.HandleFunc("POST /games/{game_id}/applications", ui.ApplicationCreate)
	mux.HandleFunc("POST /games/{game_id}/applications/{application_id}/{action}", ui.ApplicationDecide)
	mux.HandleFunc("POST /games/{game_id}/invites", ui.InviteCreate)
	mux.HandleFunc("POST /games/{game_id}/{action}", ui.GameCommand)
	mux.HandleFunc("GET /race-names/check", ui.RaceNameCheck)
	mux.HandleFunc("GET /notifications", ui.NotificationsShow)
	mux.HandleFunc("POST /notifications/read-all", ui.NotificationsReadAll)
	mux.HandleFunc("POST /notifications/{notification_id}/read", ui.NotificationRead)
	mux.HandleFunc("GET /account", ui.AccountShow)
	mux.HandleFunc("POST /account", ui.AccountUpdate)
	mux.HandleFunc("POST /account/sessions/{session_id}/revoke", ui.SessionRevoke)
	mux.HandleFunc("POST /account/race-names/{name}/register", ui.RaceNameRegister)
	return testSite(t, mux), fake
}

type enrollPage struct {
	status int
	body   string
	header http.Header
}

// enrollDo sends a request as the player of token ("" for none); form, when
// not nil, is posted. Redirects are not followed.
func enrollDo(t *testing.T, token, method, u string, form url.Values) enrollPage {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: session.CookieName, Value: token})
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return enrollPage{resp.StatusCode, string(b), resp.Header}
}

func (p enrollPage) has(t *testing.T, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.body, s) {
			t.Errorf("the page (%d) lacks %q", p.status, s)
		}
	}
}

func (p enrollPage) lacks(t *testing.T, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if strings.Contains(p.body, s) {
			t.Errorf("the page (%d) has %q", p.status, s)
		}
	}
}

func (p enrollPage) redirects(t *testing.T, to string) {
	t.Helper()
	if p.status != http.StatusSeeOther || p.header.Get("Location") != to {
		t.Errorf("answer %d to %q, want 303 to %q\n%s", p.status, p.header.Get("Location"), to, p.body)
	}
}

func TestGameNewIsReadInThePlayersZone(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	p := enrollDo(t, "tok-owner", "GET", site.URL+"/games/new", nil)
	if p.status != 200 {
		t.Fatalf("status %d: %s", p.status, p.body)
	}
	p.has(t, `<label for="name">`, `name="min_players"`, `min="2"`, `max="200"`, `type="datetime-local"`,
		`In your time zone, Europe/Berlin`, `list="schedule-presets"`, `name="planets_per_race"`, `max="40"`, `name="wrap"`,
		`<button type="submit">Create the game</button>`)
}

func TestGameCreateSendsUTCAndOpensTheGame(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	p := enrollDo(t, "tok-owner", "POST", site.URL+"/games/new", url.Values{
		"name": {"Andromeda"}, "visibility": {"private"}, "min_players": {"2"}, "max_players": {"6"},
		"enrollment_ends_at": {"2030-01-10T18:00"}, "turn_schedule": {"0 18 * * *"}, "planets_per_race": {"12"}, "wrap": {"on"},
	})
	p.redirects(t, "/games/g9")
	bodies := fake.called("POST /api/v1/user/games")
	if len(bodies) != 1 {
		t.Fatalf("calls = %v", bodies)
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(bodies[0]), &sent); err != nil {
		t.Fatal(err)
	}
	if sent["enrollment_ends_at"] != "2030-01-10T17:00:00Z" {
		t.Errorf("enrollment_ends_at = %v, want 18:00 Berlin in UTC", sent["enrollment_ends_at"])
	}
	if s, _ := sent["settings"].(map[string]any); s["planets_per_race"] != 12.0 || s["wrap"] != true {
		t.Errorf("settings = %v", sent["settings"])
	}
}

func TestGameCreateKeepsWhatWasTypedOnAMistake(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	p := enrollDo(t, "tok-owner", "POST", site.URL+"/games/new", url.Values{
		"name": {"Deep Thought"}, "description": {"Answer: 42"}, "visibility": {"public"}, "min_players": {"6"},
		"max_players": {"4"}, "enrollment_ends_at": {"2030-01-10T18:00"}, "turn_schedule": {"0 18 * *"},
	})
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", p.status)
	}
	p.has(t, `value="Deep Thought"`, `>Answer: 42</textarea>`, `value="6"`, `value="4"`, `value="0 18 * *"`,
		`aria-describedby="max_players-hint max_players-error" aria-invalid="true"`, `id="max_players-error"`,
		`id="turn_schedule-error"`, "Please correct the marked fields.")
	if calls := fake.called("POST /api/v1/user/games"); len(calls) != 0 {
		t.Errorf("the backend was asked: %v", calls)
	}
}

func TestGamePageForItsOwner(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	p := enrollDo(t, "tok-owner", "GET", site.URL+"/games/g1", nil)
	if p.status != 200 {
		t.Fatalf("status %d: %s", p.status, p.body)
	}
	p.has(t, "Andromeda", "1 approved", "needs 2, room for 6", "Tue 1 Jan 2030 19:00 CET", "<code>0 18 * * *</code>",
		"Planets per race", "12", "wrap around",
		`action="/games/g1/applications/app1/approve"`, `action="/games/g1/applications/app1/reject"`, "Approve Krikkit",
		`action="/games/g1/invites"`, `name="email"`,
		`action="/games/g1/close-enrollment"`, `action="/games/g1/cancel"`, `name="confirm" value="yes" required`,
		"Yes, cancel this game for everyone", `data-game="g1"`, "Vogons", ">you<", ">owner<")
	// Not started: no map or orders yet.
	p.lacks(t, `class="subnav"`)
}

func TestGamePageForAnotherPlayer(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	p := enrollDo(t, "tok-player", "GET", site.URL+"/games/g1", nil)
	p.has(t, `action="/games/g1/applications"`, `name="race_name"`, "data-race-check", `src="/static/racename.js"`,
		"Tue 1 Jan 2030 18:00 UTC")
	p.lacks(t, "/approve", `action="/games/g1/invites"`, `action="/games/g1/cancel"`)
}

func TestApplyWithATakenNameKeepsIt(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	p := enrollDo(t, "tok-player", "POST", site.URL+"/games/g1/applications", url.Values{"race_name": {"Taken"}})
	if p.status != http.StatusConflict {
		t.Errorf("status %d, want the backend's 409", p.status)
	}
	p.has(t, `value="Taken"`, `aria-invalid="true"`, `id="apply-race-error"`, "is taken by another player")
}

func TestApplyWithABadNameAsksNothing(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	p := enrollDo(t, "tok-player", "POST", site.URL+"/games/g1/applications", url.Values{"race_name": {"Space Elves"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", p.status)
	}
	p.has(t, `value="Space Elves"`, "no spaces")
	if len(fake.called("POST /api/v1/user/games/g1/applications")) != 0 {
		t.Error("the backend was asked")
	}
}

func TestApplyOpensTheGame(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	p := enrollDo(t, "tok-player", "POST", site.URL+"/games/g1/applications", url.Values{"race_name": {" Vogons "}})
	p.redirects(t, "/games/g1")
}

func TestApplicationDecide(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	enrollDo(t, "tok-owner", "POST", site.URL+"/games/g1/applications/app1/approve", url.Values{}).redirects(t, "/games/g1")
	if len(fake.called("POST /api/v1/user/games/g1/applications/app1/approve")) != 1 {
		t.Error("not approved")
	}
	if p := enrollDo(t, "tok-owner", "POST", site.URL+"/games/g1/applications/app1/promote", url.Values{}); p.status != 404 {
		t.Errorf("unknown decision: %d", p.status)
	}
}

func TestCancelNeedsItsBoxTicked(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	p := enrollDo(t, "tok-owner", "POST", site.URL+"/games/g1/cancel", url.Values{})
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", p.status)
	}
	p.has(t, `id="confirm-cancel-error"`, "Tick the box")
	if len(fake.called("POST /api/v1/user/games/g1/cancel")) != 0 {
		t.Fatal("cancelled without confirmation")
	}
	enrollDo(t, "tok-owner", "POST", site.URL+"/games/g1/cancel", url.Values{"confirm": {"yes"}}).redirects(t, "/games/g1")
	if len(fake.called("POST /api/v1/user/games/g1/cancel")) != 1 {
		t.Error("not cancelled")
	}
}

func TestGameCommandRefusalShowsOnTheGamePage(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	p := enrollDo(t, "tok-owner", "POST", site.URL+"/games/g1/start", url.Values{})
	if p.status != http.StatusConflict {
		t.Errorf("status %d, want 409", p.status)
	}
	p.has(t, `role="alert">the game is enrollment_open`, "<h1>Andromeda")
	if p := enrollDo(t, "tok-owner", "POST", site.URL+"/games/g1/explode", url.Values{}); p.status != 404 {
		t.Errorf("unknown command: %d", p.status)
	}
}

func TestInviteSomeoneWithoutAnAccount(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	p := enrollDo(t, "tok-owner", "POST", site.URL+"/games/g1/invites", url.Values{"email": {"nobody@example.com"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422 (the page exists; the address is wrong)", p.status)
	}
	p.has(t, `value="nobody@example.com"`, `id="invite-email-error"`, "nobody has signed in")
	enrollDo(t, "tok-owner", "POST", site.URL+"/games/g1/invites", url.Values{"email": {"pat@example.com"}}).redirects(t, "/games/g1")
}

func TestRaceNameCheck(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	cases := []struct {
		token, name            string
		valid, available, mine bool
		says                   string
	}{
		{"tok-player", "Vogons", true, true, false, "is free"},
		{"tok-player", "Taken", true, false, false, "taken by another player"},
		{"tok-player", "Mine", true, true, true, "is yours"},
		{"", "Mine", true, false, false, "taken"},
		{"tok-player", "a b", false, false, false, "no spaces"},
	}
	for _, c := range cases {
		p := enrollDo(t, c.token, "GET", site.URL+"/race-names/check?name="+url.QueryEscape(c.name), nil)
		var got raceNameCheck
		if err := json.Unmarshal([]byte(p.body), &got); err != nil || p.status != 200 {
			t.Fatalf("%s: %d %s", c.name, p.status, p.body)
		}
		if got.Valid != c.valid || got.Available != c.available || got.Yours != c.mine || !strings.Contains(got.Message, c.says) {
			t.Errorf("%s (signed in: %v) = %+v", c.name, c.token != "", got)
		}
		if p.header.Get("Cache-Control") != "no-store" {
			t.Error("the answer may be cached")
		}
	}
}

func TestNotificationsPage(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	p := enrollDo(t, "tok-owner", "GET", site.URL+"/notifications", nil)
	p.has(t, "Turn 4 of Andromeda has run: your report is ready.", `href="/games/g1/reports/4"`,
		"Krikkit applied to join Andromeda.", `class="unread"`, `action="/notifications/n1/read"`,
		`href="/notifications?cursor=page%2f2"`)
	p.lacks(t, `action="/notifications/n2/read"`) // read already

	older := enrollDo(t, "tok-owner", "GET", site.URL+"/notifications?cursor=page%2F2", nil)
	older.has(t, `name="cursor" value="page/2"`, `<a href="/notifications">Newest</a>`)
	older.lacks(t, "Older")
}

func TestNotificationReadReturnsToItsPage(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	enrollDo(t, "tok-owner", "POST", site.URL+"/notifications/n1/read", url.Values{"cursor": {"page/2"}}).
		redirects(t, "/notifications?cursor=page%2F2")
	enrollDo(t, "tok-owner", "POST", site.URL+"/notifications/n1/read", url.Values{}).redirects(t, "/notifications")
	if n := len(fake.called("POST /api/v1/user/notifications/n1/read")); n != 2 {
		t.Errorf("%d calls", n)
	}
	p := enrollDo(t, "tok-owner", "POST", site.URL+"/notifications/read-all", url.Values{})
	p.redirects(t, "/notifications")
	if ck := p.header.Get("Set-Cookie"); !strings.Contains(ck, flashCookie+"="+encodeFlash("3 notifications marked read.")) {
		t.Errorf("flash: %s", ck)
	}
}

func TestAccountPage(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	p := enrollDo(t, "tok-owner", "GET", site.URL+"/account", nil)
	if p.status != 200 {
		t.Fatalf("status %d: %s", p.status, p.body)
	}
	p.has(t, `value="Olga"`, `<option value="Europe/Berlin" selected>`, "Chrome on Linux", "this browser",
		`action="/account/sessions/s-here/revoke"`, "Sign out here", `action="/account/sessions/s-phone/revoke"`,
		"registered: yours on every game", `action="/account/race-names/Survivor/register"`, `href="/games/g1">Andromeda<`)
	p.lacks(t, `/race-names/Mine/register`)
}

func TestAccountUpdate(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	p := enrollDo(t, "tok-owner", "POST", site.URL+"/account", url.Values{"display_name": {"Olga the Great"}, "timezone": {"Mars/Base"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("status %d", p.status)
	}
	p.has(t, `value="Olga the Great"`, `id="timezone-error"`, "Please correct the marked field.")
	p.lacks(t, `value="Mars/Base"`)
	if len(fake.called("PATCH /api/v1/user/me")) != 0 {
		t.Fatal("the backend was asked")
	}
	enrollDo(t, "tok-owner", "POST", site.URL+"/account", url.Values{"display_name": {"Olga"}, "timezone": {"Asia/Tokyo"}}).
		redirects(t, "/account")
	if b := fake.called("PATCH /api/v1/user/me"); len(b) != 1 || !strings.Contains(b[0], `"timezone":"Asia/Tokyo"`) {
		t.Errorf("update = %v", b)
	}
}

func TestSessionRevoke(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	enrollDo(t, "tok-owner", "POST", site.URL+"/account/sessions/s-phone/revoke", url.Values{}).redirects(t, "/account")
	p := enrollDo(t, "tok-owner", "POST", site.URL+"/account/sessions/s-here/revoke", url.Values{})
	p.redirects(t, "/signin")
	if !strings.Contains(strings.Join(p.header.Values("Set-Cookie"), "\n"), session.CookieName+"=;") {
		t.Error("this browser's cookie stays")
	}
	if n := len(fake.called("DELETE /api/v1/user/sessions/s-here")); n != 1 {
		t.Errorf("%d revocations of this session", n)
	}
}

func TestRaceNameRegister(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	enrollDo(t, "tok-owner", "POST", site.URL+"/account/race-names/Survivor/register", url.Values{}).redirects(t, "/account")
	if len(fake.called("POST /api/v1/user/race-names/Survivor/register")) != 1 {
		t.Error("not registered")
	}
}

func TestSignedOutPagesGoToSignIn(t *testing.T) {
	t.Parallel()
	site, _ := enrollSite(t)
	for _, path := range []string{"/games/new", "/games/g1", "/notifications", "/account"} {
		p := enrollDo(t, "", "GET", site.URL+path, nil)
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/signin?next=") {
			t.Errorf("%s: %d %s", path, p.status, p.header.Get("Location"))
		}
	}
}
