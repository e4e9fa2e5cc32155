package app

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// BenchmarkAuthenticatedMe prints authenticated GET /api/v1/user/me
// requests per second and the p99 latency over loopback, served from the
// session and user caches (no database round trip per request).
func BenchmarkAuthenticatedMe(b *testing.B) {
	r := startApp(b, testConfig(b))
	s := r.signIn(b, "bench@example.com")
	measure(b, r.base+"/api/v1/user/me", s.Token)
}

// BenchmarkPublicGames prints GET /api/v1/public/games requests per second
// (and p99) with 10,000 games in the database, half of them public and
// open for enrollment.
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
	measure(b, r.base+"/api/v1/public/games?limit=50", "")
}

// measure sends b.N GETs from 16 concurrent clients and reports requests
// per second and the p99 latency.
func measure(b *testing.B, url, token string) {
	b.Helper()
	const workers = 16
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}

	var mu sync.Mutex
	var latencies []time.Duration
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	per := b.N/workers + 1
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, per)
			for range per {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
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
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}
