package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// substituteBackend answers the calls of the lobby and the game pages for
// games whose silent races are offered to a new player. Beside g1 (open for
// enrollment), "tok-owner" (usr_owner, Europe/Berlin) runs two games under
// way: the public g2, where he plays the Vogons and the Cardassians are on
// offer, and the private g3, where the Betazoids are on offer and
// "tok-player" (usr_player, UTC) has claimed them (clm1, waiting). A claim
// of the Cardassians is approved at once; the Klingons are offered nowhere;
// the Romulans were just taken by someone else.
func substituteBackend(f *enrollFake) http.Handler {
	js := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	refuse := func(w http.ResponseWriter, status int, code, msg string) {
		js(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg}})
	}
	user := func(r *http.Request) string {
		return map[string]string{"Bearer tok-owner": "usr_owner", "Bearer tok-player": "usr_player"}[r.Header.Get("Authorization")]
	}
	created := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	next := time.Date(2026, 3, 20, 18, 0, 0, 0, time.UTC)
	offered := func(races ...string) *[]string { return &races }
	g1 := apiclient.Game{GameId: "g1", Name: "Andromeda", Visibility: "public", OwnerUserId: "usr_other",
		Status: apiclient.GameStatusEnrollmentOpen, MinPlayers: 2, MaxPlayers: 6, ApprovedCount: 1,
		EnrollmentEndsAt: time.Date(2030, 1, 1, 18, 0, 0, 0, time.UTC), TurnSchedule: "0 18 * * *", CreatedAt: created,
		SubstitutesWanted: offered()}
	g2 := apiclient.Game{GameId: "g2", Name: "Betelgeuse", Visibility: "public", OwnerUserId: "usr_owner",
		Status: apiclient.GameStatusRunning, MinPlayers: 2, MaxPlayers: 6, ApprovedCount: 3, CurrentTurn: 12,
		EnrollmentEndsAt: created, TurnSchedule: "0 18 * * *", CreatedAt: created, NextTurnAt: &next,
		Settings:          map[string]any{"idle_policy": "substitute", "idle_turns": 2.0},
		SubstitutesWanted: offered("Cardassians")}
	g3 := g2
	g3.GameId, g3.Name, g3.Visibility, g3.SubstitutesWanted = "g3", "Canopus", "private", offered("Betazoids")
	games := map[string]apiclient.Game{"g1": g1, "g2": g2, "g3": g3}
	decided := created.Add(time.Hour)
	claims := []apiclient.SubstituteClaim{
		{ClaimId: "clm0", GameId: "g3", UserId: "usr_early", RaceName: "Betazoids", Status: "rejected", CreatedAt: created, DecidedAt: &decided},
		{ClaimId: "clm1", GameId: "g3", UserId: "usr_player", RaceName: "Betazoids", Status: "submitted", CreatedAt: created.Add(2 * time.Hour)},
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		refuse(w, http.StatusNotFound, "not_found", "no route "+r.Method+" "+r.URL.Path)
	})
	mux.HandleFunc("GET /api/v1/user/me", func(w http.ResponseWriter, r *http.Request) {
		switch user(r) {
		case "usr_owner":
			js(w, 200, apiclient.UserProfile{UserId: "usr_owner", DisplayName: "Olga", Timezone: "Europe/Berlin", Status: "active"})
		case "usr_player":
			js(w, 200, apiclient.UserProfile{UserId: "usr_player", DisplayName: "Pat", Timezone: "UTC", Status: "active"})
		default:
			refuse(w, 401, "unauthenticated", "no session")
		}
	})
	mux.HandleFunc("GET /api/v1/user/notifications", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.NotificationList{Items: []apiclient.Notification{}})
	})
	mux.HandleFunc("GET /api/v1/user/invites", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.InviteList{Items: []apiclient.Invite{}})
	})
	mux.HandleFunc("GET /api/v1/public/games", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.GameList{Items: []apiclient.Game{g2, g1}})
	})
	mux.HandleFunc("GET /api/v1/user/games", func(w http.ResponseWriter, r *http.Request) {
		mine := []apiclient.Game{}
		if user(r) == "usr_owner" {
			mine = append(mine, g2, g3)
		}
		js(w, 200, apiclient.GameList{Items: mine})
	})
	mux.HandleFunc("GET /api/v1/user/games/{id}", func(w http.ResponseWriter, r *http.Request) {
		g, ok := games[r.PathValue("id")]
		if !ok {
			refuse(w, 404, "not_found", "no such game")
			return
		}
		js(w, 200, g)
	})
	mux.HandleFunc("GET /api/v1/user/games/{id}/members", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.MemberList{Items: []apiclient.Member{
			{UserId: "usr_owner", RaceName: "Vogons", Status: "active", JoinedAt: created},
			{UserId: "usr_silent", RaceName: "Cardassians", Status: "active", JoinedAt: created},
			{UserId: "usr_silent", RaceName: "Betazoids", Status: "active", JoinedAt: created},
		}})
	})
	mux.HandleFunc("GET /api/v1/user/games/{id}/applications", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, apiclient.ApplicationList{Items: []apiclient.Application{}})
	})
	mux.HandleFunc("GET /api/v1/user/games/{id}/substitutes/claims", func(w http.ResponseWriter, r *http.Request) {
		out := []apiclient.SubstituteClaim{}
		for _, c := range claims {
			if c.GameId == r.PathValue("id") && (user(r) == "usr_owner" || c.UserId == user(r)) {
				out = append(out, c)
			}
		}
		js(w, 200, apiclient.SubstituteClaimList{Items: out})
	})
	mux.HandleFunc("POST /api/v1/user/games/{id}/substitutes/{race}/claim", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		id, race := r.PathValue("id"), r.PathValue("race")
		c := apiclient.SubstituteClaim{ClaimId: "clm9", GameId: id, UserId: user(r), RaceName: race, CreatedAt: created}
		switch {
		case race == "Romulans":
			refuse(w, 404, "not_found", "the Romulans are not offered in Betelgeuse")
		case user(r) == "usr_owner":
			refuse(w, 409, "conflict", "you play in Betelgeuse already")
		case id == "g2" && race == "Cardassians":
			c.Status = apiclient.SubstituteClaimStatusApproved
			c.DecidedAt = &created
			js(w, 201, c)
		case id == "g3" && race == "Betazoids":
			c.Status = apiclient.SubstituteClaimStatusSubmitted
			js(w, 201, c)
		default:
			refuse(w, 404, "not_found", "no such game")
		}
	})
	for _, action := range []string{"approve", "reject", "withdraw"} {
		mux.HandleFunc("POST /api/v1/user/games/g3/substitutes/claims/clm1/"+action, func(w http.ResponseWriter, r *http.Request) {
			f.record(r)
			c := claims[1]
			c.Status = map[string]apiclient.SubstituteClaimStatus{"approve": "approved", "reject": "rejected", "withdraw": "withdrawn"}[action]
			js(w, 200, c)
		})
	}
	return mux
}

// substituteSite serves the lobby and game pages over substituteBackend, as
// routes.go does.
func substituteSite(t *testing.T) (*httptest.Server, *enrollFake) {
	t.Helper()
	fake := &enrollFake{calls: map[string][]string{}}
	ui, mux := testUI(t, substituteBackend(fake))
	mux.HandleFunc("GET /lobby", ui.Lobby)
	mux.HandleFunc("GET /games/{game_id}", ui.GameShow)
	mux.HandleFunc("POST /games/{game_id}/substitutes/{race_name}/claim", ui.SubstituteClaim)
	mux.HandleFunc("POST /games/{game_id}/substitutes/claims/{claim_id}/{action}", ui.SubstituteDecide)
	return testSite(t, mux), fake
}

// section is the part of body from the heading with id onwards, up to the
// end of its card.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no section %s", id)
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func TestLobbyOffersRacesToSubstitutes(t *testing.T) {
	t.Parallel()
	site, _ := substituteSite(t)
	p := enrollDo(t, "tok-player", "GET", site.URL+"/lobby", nil)
	if p.status != 200 {
		t.Fatalf("status %d: %s", p.status, p.body)
	}
	offers := section(t, p.body, "offers-h")
	for _, s := range []string{"Races looking for a new player", `href="/games/g2">Betelgeuse<`, "turn 12",
		"Looking for a substitute: <strong>Cardassians</strong>",
		`action="/games/g2/substitutes/Cardassians/claim"`, ">Take over<"} {
		if !strings.Contains(offers, s) {
			t.Errorf("the offers lack %q", s)
		}
	}
	// A game under way is no seat in a new game, and one open for
	// enrollment offers no race.
	open := section(t, p.body, "open-h")
	if !strings.Contains(open, "Andromeda") || strings.Contains(open, "Betelgeuse") {
		t.Errorf("open games:\n%s", open)
	}
	if strings.Contains(offers, "Andromeda") {
		t.Error("a game open for enrollment is among the offers")
	}
}

func TestLobbyOffersNoRaceInTheOwnersOwnGame(t *testing.T) {
	t.Parallel()
	site, _ := substituteSite(t)
	p := enrollDo(t, "tok-owner", "GET", site.URL+"/lobby", nil)
	p.has(t, "you are in this game", "1 race on offer")
	p.lacks(t, `action="/games/g2/substitutes/Cardassians/claim"`)
}

func TestSubstituteClaimInAPublicGameTakesTheRace(t *testing.T) {
	t.Parallel()
	site, fake := substituteSite(t)
	p := enrollDo(t, "tok-player", "POST", site.URL+"/games/g2/substitutes/Cardassians/claim", url.Values{})
	p.redirects(t, "/games/g2")
	if n := len(fake.called("POST /api/v1/user/games/g2/substitutes/Cardassians/claim")); n != 1 {
		t.Errorf("%d claims sent", n)
	}
	if ck := p.header.Get("Set-Cookie"); !strings.Contains(ck, encodeFlash("You now play the Cardassians")[:20]) {
		t.Errorf("flash: %s", ck)
	}
}

func TestSubstituteClaimInAPrivateGameWaitsForTheOwner(t *testing.T) {
	t.Parallel()
	site, _ := substituteSite(t)
	p := enrollDo(t, "tok-player", "POST", site.URL+"/games/g3/substitutes/Betazoids/claim", url.Values{})
	p.redirects(t, "/games/g3")
	ck := p.header.Get("Set-Cookie")
	i := strings.Index(ck, flashCookie+"=")
	if i < 0 {
		t.Fatalf("no flash: %s", ck)
	}
	v, _, _ := strings.Cut(ck[i+len(flashCookie)+1:], ";")
	if msg := decodeFlash(v); !strings.Contains(msg, "The game's owner decides") {
		t.Errorf("flash = %q", msg)
	}
}

func TestSubstituteClaimRefusalShowsOnTheGamePage(t *testing.T) {
	t.Parallel()
	site, _ := substituteSite(t)
	// Someone was quicker: the race's 404 is shown on the game's page,
	// with what is still on offer.
	p := enrollDo(t, "tok-player", "POST", site.URL+"/games/g2/substitutes/Romulans/claim", url.Values{})
	if p.status != http.StatusNotFound {
		t.Errorf("status %d, want the backend's 404", p.status)
	}
	p.has(t, `role="alert">the Romulans are not offered in Betelgeuse`, "<h1>Betelgeuse", `action="/games/g2/substitutes/Cardassians/claim"`)

	p = enrollDo(t, "tok-owner", "POST", site.URL+"/games/g2/substitutes/Cardassians/claim", url.Values{})
	if p.status != http.StatusConflict {
		t.Errorf("status %d, want the backend's 409", p.status)
	}
	p.has(t, `role="alert">you play in Betelgeuse already`)
}

func TestGamePageOffersARaceToAVisitor(t *testing.T) {
	t.Parallel()
	site, _ := substituteSite(t)
	p := enrollDo(t, "tok-player", "GET", site.URL+"/games/g2", nil)
	if p.status != 200 {
		t.Fatalf("status %d: %s", p.status, p.body)
	}
	p.has(t, "On offer", "Take over a race", "The race is yours at once", `action="/games/g2/substitutes/Cardassians/claim"`,
		"Take over this race", "offered to a new player", `class="tag offer">on offer<`)
	p.lacks(t, "Substitute claims", "Enrollment is closed")
}

func TestGamePageForTheOwnerWhoPlays(t *testing.T) {
	t.Parallel()
	site, _ := substituteSite(t)
	p := enrollDo(t, "tok-owner", "GET", site.URL+"/games/g2", nil)
	// The owner plays the Vogons: no race of this game is his to take.
	p.lacks(t, `/substitutes/Cardassians/claim`)
	p.has(t, "Substitute claims", "No one has claimed a race yet", "goes to the first player who claims it")
}

func TestGamePageListsSubstituteClaimsForTheOwner(t *testing.T) {
	t.Parallel()
	site, _ := substituteSite(t)
	p := enrollDo(t, "tok-owner", "GET", site.URL+"/games/g3", nil)
	if p.status != 200 {
		t.Fatalf("status %d: %s", p.status, p.body)
	}
	claims := section(t, p.body, "claims-h")
	for _, s := range []string{"Substitute claims", "<code>usr_player</code>", "waiting for you", "<code>usr_early</code>", "rejected",
		// Times in the owner's zone.
		"Sun 1 Mar 2026 15:00 CET", "Sun 1 Mar 2026 14:00 CET",
		`action="/games/g3/substitutes/claims/clm1/approve"`, `action="/games/g3/substitutes/claims/clm1/reject"`} {
		if !strings.Contains(claims, s) {
			t.Errorf("the claims lack %q", s)
		}
	}
	// A decided claim has nothing left to decide.
	if strings.Contains(claims, "clm0/") {
		t.Error("the rejected claim has buttons")
	}
}

func TestSubstituteDecide(t *testing.T) {
	t.Parallel()
	site, fake := substituteSite(t)
	enrollDo(t, "tok-owner", "POST", site.URL+"/games/g3/substitutes/claims/clm1/approve", url.Values{}).redirects(t, "/games/g3")
	enrollDo(t, "tok-owner", "POST", site.URL+"/games/g3/substitutes/claims/clm1/reject", url.Values{}).redirects(t, "/games/g3")
	for _, k := range []string{"approve", "reject"} {
		if n := len(fake.called("POST /api/v1/user/games/g3/substitutes/claims/clm1/" + k)); n != 1 {
			t.Errorf("%s: %d calls", k, n)
		}
	}
	if p := enrollDo(t, "tok-owner", "POST", site.URL+"/games/g3/substitutes/claims/clm1/promote", url.Values{}); p.status != 404 {
		t.Errorf("unknown decision: %d", p.status)
	}
}

func TestGamePageShowsTheClaimantTheirClaim(t *testing.T) {
	t.Parallel()
	site, fake := substituteSite(t)
	p := enrollDo(t, "tok-player", "GET", site.URL+"/games/g3", nil)
	p.has(t, "You asked to take over the <strong>Betazoids</strong> on Sun 1 Mar 2026 14:00 UTC:", "waiting for the owner's decision.",
		`action="/games/g3/substitutes/claims/clm1/withdraw"`, "Withdraw my claim")
	// One open claim at a time, and the owner's table is the owner's.
	p.lacks(t, `/substitutes/Betazoids/claim"`, "Substitute claims", "/approve")

	enrollDo(t, "tok-player", "POST", site.URL+"/games/g3/substitutes/claims/clm1/withdraw", url.Values{}).redirects(t, "/games/g3")
	if n := len(fake.called("POST /api/v1/user/games/g3/substitutes/claims/clm1/withdraw")); n != 1 {
		t.Errorf("%d withdrawals", n)
	}
}

func TestGameNewOffersTheSubstitutePolicy(t *testing.T) {
	t.Parallel()
	site, fake := enrollSite(t)
	p := enrollDo(t, "tok-owner", "GET", site.URL+"/games/new", nil)
	p.has(t, `<option value="substitute">is played by the bot and offered to a new player</option>`,
		"the bot plays a silent race while it is offered to a new player", `<option value="remove" selected>`)

	p = enrollDo(t, "tok-owner", "POST", site.URL+"/games/new", url.Values{
		"name": {"Andromeda"}, "visibility": {"public"}, "min_players": {"2"}, "max_players": {"6"},
		"enrollment_ends_at": {"2030-01-10T18:00"}, "turn_schedule": {"0 18 * * *"}, "idle_policy": {"substitute"},
	})
	p.redirects(t, "/games/g9")
	var sent struct {
		Settings map[string]any `json:"settings"`
	}
	if err := json.Unmarshal([]byte(fake.last("POST /api/v1/user/games")), &sent); err != nil {
		t.Fatal(err)
	}
	if sent.Settings["idle_policy"] != "substitute" {
		t.Errorf("settings = %v", sent.Settings)
	}

	// A mistake elsewhere keeps the choice.
	p = enrollDo(t, "tok-owner", "POST", site.URL+"/games/new", url.Values{
		"name": {""}, "visibility": {"public"}, "min_players": {"2"}, "max_players": {"6"},
		"enrollment_ends_at": {"2030-01-10T18:00"}, "turn_schedule": {"0 18 * * *"}, "idle_policy": {"substitute"},
	})
	p.has(t, `<option value="substitute" selected>`)
	p.lacks(t, `<option value="remove" selected>`)
}

func TestDescribeSettingsSubstitute(t *testing.T) {
	t.Parallel()
	for _, s := range describeSettings(map[string]any{"idle_policy": "substitute", "idle_turns": 2.0}) {
		if s.Label == "Idle races" {
			if !strings.Contains(s.Value, "after 2 turns") || !strings.Contains(s.Value, "offered to a new player") {
				t.Errorf("idle races: %q", s.Value)
			}
			return
		}
	}
	t.Error("no idle races setting")
}
