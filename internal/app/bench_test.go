package app

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// BenchmarkAuthenticatedMe prints authenticated GET /api/v1/user/me
// requests per second and the p99 latency over loopback, served from the
// session and user caches (no database round trip per request), next to a
// bare net/http server answering the same bytes (see againstBare; goal:
// ratio ≥ 0.8).
func BenchmarkAuthenticatedMe(b *testing.B) {
	r := startApp(b, testConfig(b))
	s := r.signIn(b, "bench@example.com")
	againstBare(b, r.base+"/api/v1/user/me", s.Token)
}

// againstBare measures GETs of url (with the bearer token, when not empty)
// next to a bare net/http server on loopback answering the same bytes to
// the same requests, and reports both and the ratio. The two alternate in
// rounds of about 2,000 requests, short enough that both see the same load
// from whatever else runs on the machine, and the ratio is the median of
// the rounds' ratios, so that a burst of load that hits one side of a
// round does not decide it.
func againstBare(b *testing.B, url, token string) {
	b.Helper()
	// The reference answers exactly what url answers, headers aside.
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d %s", url, resp.StatusCode, body)
	}
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(bare.Close)

	rounds := max(1, b.N/2000)
	var app, ref loadResult
	ratios := make([]float64, 0, rounds)
	b.ResetTimer()
	for i := range rounds {
		n := b.N / rounds
		if i == 0 {
			n += b.N % rounds
		}
		a, r := load(b, url, token, n), load(b, bare.URL, token, n)
		ratios = append(ratios, a.rate()/r.rate())
		app.add(a)
		ref.add(r)
	}
	b.StopTimer()
	slices.Sort(ratios)
	b.ReportMetric(app.rate(), "req/s")
	b.ReportMetric(app.p99(), "p99-ms")
	b.ReportMetric(ref.rate(), "bare-req/s")
	b.ReportMetric(ref.p99(), "bare-p99-ms")
	b.ReportMetric(ratios[len(ratios)/2], "ratio")
	b.ReportMetric(float64(len(body)), "body-bytes")
}

// BenchmarkPublicGames prints GET /api/v1/public/games requests per second
// (and p99) with 10,000 games in the database, half of them public and
// open for enrollment, next to a bare net/http server answering the same
// page (see againstBare).
func BenchmarkPublicGames(b *testing.B) {
	cfg := testConfig(b)
	r := startApp(b, cfg)
	owner := r.signIn(b, "owner@example.com")
	pool := pgtest.PoolFor(b, cfg.Postgres.DSN)
	if _, err := pool.Exec(context.Background(), `
		INSERT INTO games (game_id, name, visibility, owner_user_id, status, min_players, max_players,
		                   enrollment_ends_at, turn_schedule, seed, created_at)
		SELECT 'gam_bench_' || i, 'Game ' || i, CASE WHEN i % 2 = 0 THEN 'public' ELSE 'private' END, $1,
		       CASE WHEN i % 10 = 0 THEN 'running' ELSE 'enrollment_open' END, 2, 8,
		       now() + interval '1 day', '0 18 * * *', i, now() - i * interval '1 second'
		FROM generate_series(1, 10000) AS i`, owner.User.UserID); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(context.Background(), "ANALYZE games"); err != nil {
		b.Fatal(err)
	}
	waitListed(b, r.base+"/api/v1/public/games?limit=1", "gam_bench_")
	againstBare(b, r.base+"/api/v1/public/games?limit=50", "")
}

// waitListed waits until the public listing at url shows a game whose id
// starts with prefix: the listing reloads shortly after the games commit.
func waitListed(b *testing.B, url, prefix string) {
	b.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if strings.Contains(string(body), `"game_id":"`+prefix) {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("the listing does not show %s* after 10 s: %s", prefix, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// loadResult is what one or more load runs measured.
type loadResult struct {
	elapsed   time.Duration
	latencies []time.Duration
}

func (l *loadResult) add(o loadResult) {
	l.elapsed += o.elapsed
	l.latencies = append(l.latencies, o.latencies...)
}

func (l *loadResult) rate() float64 {
	return float64(len(l.latencies)) / l.elapsed.Seconds()
}

func (l *loadResult) p99() float64 {
	slices.Sort(l.latencies)
	return float64(l.latencies[len(l.latencies)*99/100].Microseconds()) / 1000
}

// load sends about n GETs (with the bearer token, when not empty) from 16
// concurrent clients, each keeping its connection, and expects 200 to all.
func load(b *testing.B, url, token string, n int) loadResult {
	b.Helper()
	const workers = 16
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()

	var mu sync.Mutex
	var latencies []time.Duration
	start := time.Now()
	var wg sync.WaitGroup
	per := n/workers + 1
	auth := "Bearer " + token
	for range workers {
		wg.Go(func() {
			local := make([]time.Duration, 0, per)
			for range per {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				if token != "" {
					req.Header.Set("Authorization", auth)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, local...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return loadResult{elapsed: time.Since(start), latencies: latencies}
}
