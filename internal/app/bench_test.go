package app

import (
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"
)

// BenchmarkAuthenticatedMe prints authenticated GET /api/v1/user/me
// requests per second and the p99 latency over loopback, served from the
// session and user caches (no database round trip per request).
func BenchmarkAuthenticatedMe(b *testing.B) {
	r := startApp(b, testConfig(b))
	s := r.signIn(b, "bench@example.com")
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
				req, _ := http.NewRequest(http.MethodGet, r.base+"/api/v1/user/me", nil)
				req.Header.Set("Authorization", "Bearer "+s.Token)
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
