package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/api"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestShortRun runs the whole program's loop for a few seconds with four
// players in two games against a platform of its own (on a database of the
// shared test cluster) and checks that every step of a player's session
// has figures, that turns ran, and that nothing unexpected happened.
func TestShortRun(t *testing.T) {
	o := options{
		Players: 4, GameSize: 2, Duration: 6 * time.Second,
		Think: 100 * time.Millisecond, TurnEvery: time.Second, Final: 0.9,
		DSN: pgtest.DSN(t),
	}
	s, err := load(t.Context(), o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var report bytes.Buffer
	s.print(&report)
	t.Log("\n" + report.String())
	if s.failed() {
		t.Fatal("the run met something unexpected")
	}
	for _, route := range []string{
		"POST /api/v1/public/auth/login-codes",
		"POST /api/v1/public/auth/sessions",
		"POST /api/v1/user/games",
		"POST /api/v1/user/games/{game_id}/applications",
		"POST /api/v1/user/games/{game_id}/start",
		"GET /api/v1/user/notifications",
		"GET /api/v1/user/games/{game_id}/reports/latest",
		"PUT /api/v1/user/games/{game_id}/orders",
		"POST /api/v1/admin/games/{game_id}/force-next-turn",
	} {
		st := s.routes[route]
		if st == nil || len(st.latencies) == 0 {
			t.Errorf("no figures for %s", route)
		}
	}
	if s.turns == 0 || s.gamesRunning != 2 || len(s.signIns) != 4 {
		t.Errorf("turns %d, games running %d, sign-ins %d; want turns, 2 games and 4 sign-ins", s.turns, s.gamesRunning, len(s.signIns))
	}
}

// TestRouteNames: requests are filed under the API's path templates, a
// literal segment winning over a parameter as in the server's router.
func TestRouteNames(t *testing.T) {
	t.Parallel()
	routes, err := newRouteTable(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"GET /api/v1/user/games/gam_1/reports/latest": "GET /api/v1/user/games/{game_id}/reports/latest",
		"GET /api/v1/user/games/gam_1/reports/7":      "GET /api/v1/user/games/{game_id}/reports/{turn}",
		"PUT /api/v1/user/games/gam_1/orders":         "PUT /api/v1/user/games/{game_id}/orders",
		"GET /api/v1/nowhere":                         "GET /api/v1/nowhere (not in api/openapi.yaml)",
	} {
		method, target, _ := bytes.Cut([]byte(path), []byte(" "))
		req, err := http.NewRequestWithContext(t.Context(), string(method), "http://127.0.0.1"+string(target), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := routes.name(req); got != want {
			t.Errorf("%s is filed as %q, want %q", path, got, want)
		}
	}
}

// TestGameSizes: players fill games of -game-size; a single player left
// over joins the last game rather than make one alone.
func TestGameSizes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		players, size int
		want          []int
	}{
		{50, 10, []int{10, 10, 10, 10, 10}},
		{7, 3, []int{3, 4}},
		{8, 3, []int{3, 3, 2}},
		{2, 10, []int{2}},
	} {
		if got := (options{Players: c.players, GameSize: c.size}).games(); !slices.Equal(got, c.want) {
			t.Errorf("%d players in games of %d: %v, want %v", c.players, c.size, got, c.want)
		}
	}
}
