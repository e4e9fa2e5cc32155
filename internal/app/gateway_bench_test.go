package app

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkGatewayPages prints the p50 and p99 time to serve the web
// client's pages through the gateway, backend calls included, for a player
// of a running 25-race game: the lobby, the game page, the map, the latest
// report and the order editor. One request at a time, so the figures are
// the render time a player waits for, not a throughput.
func BenchmarkGatewayPages(b *testing.B) {
	cfg := testConfig(b)
	cfg.Auth.IPBurst = 100 // 26 players sign in from one address
	r := startApp(b, cfg)
	base := startGateway(b, r, false)

	// The player signs in to the gateway before any game mail can arrive
	// between asking for the code and reading it.
	player := newBrowser(b, base)
	player.signIn(r, "player01@example.com")

	const races = 25
	owner := r.signIn(b, "owner@example.com")
	body := newGameBody("public")
	body["max_players"] = races
	var g gameJSON
	if code, _ := r.call(b, http.MethodPost, "/api/v1/user/games", owner.Token, body, &g); code != http.StatusCreated {
		b.Fatalf("create: %d", code)
	}
	for i := range races {
		p := owner
		if i > 0 {
			p = r.signIn(b, fmt.Sprintf("player%02d@example.com", i))
		}
		var a appJSON
		if code, _ := r.call(b, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications", p.Token,
			map[string]string{"race_name": fmt.Sprintf("Race%02d", i)}, &a); code != http.StatusCreated {
			b.Fatalf("apply: %d", code)
		}
		if code, _ := r.call(b, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications/"+a.ApplicationID+"/approve", owner.Token, nil, nil); code != http.StatusOK {
			b.Fatalf("approve: %d", code)
		}
	}
	for _, cmd := range []string{"close-enrollment", "start"} {
		if code, _ := r.call(b, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/"+cmd, owner.Token, nil, nil); code >= 300 {
			b.Fatalf("%s: %d", cmd, code)
		}
	}
	admin := r.adminToken(b)
	waitRunning(b, r, admin, g.GameID)
	for range 3 {
		if code, _ := r.call(b, http.MethodPost, "/api/v1/admin/games/"+g.GameID+"/force-next-turn", admin, nil, nil); code != http.StatusOK {
			b.Fatalf("force-next-turn: %d", code)
		}
	}

	for _, page := range []struct{ name, path string }{
		{"lobby", "/lobby"},
		{"game", "/games/" + g.GameID},
		{"map", "/games/" + g.GameID + "/map"},
		{"report", "/games/" + g.GameID + "/reports/latest"},
		{"orders", "/games/" + g.GameID + "/orders"},
	} {
		b.Run(page.name, func(b *testing.B) {
			latencies := make([]time.Duration, 0, b.N)
			size := 0
			for b.Loop() {
				t0 := time.Now()
				resp, html := player.do(http.MethodGet, page.path, nil, nil)
				latencies = append(latencies, time.Since(t0))
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", page.path, resp.StatusCode)
				}
				size = len(html)
			}
			slices.Sort(latencies)
			b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(size)/1024, "page-KiB")
		})
	}
}
