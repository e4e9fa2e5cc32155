package geo_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/geo"
)

// BenchmarkRecordSignIn measures the cost RecordSignIn adds to a sign-in
// under parallel load, with the flusher idle and with it draining every
// 10 ms (far more often than the 5 s default) against a real database.
func BenchmarkRecordSignIn(b *testing.B) {
	countries := []string{"GB", "DE", "US", "FR", "", "SE", "JP", "BR"}
	for _, bc := range []struct {
		name     string
		interval time.Duration
	}{
		{"flusher idle", time.Hour},
		{"flushing every 10ms", 10 * time.Millisecond},
	} {
		b.Run(bc.name, func(b *testing.B) {
			svc, _ := newService(b, func(c *geo.Config) { c.FlushInterval = bc.interval })
			start(b, svc)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					svc.RecordSignIn(countries[i&7])
					i++
				}
			})
			b.StopTimer()
			if err := svc.Stop(context.Background()); err != nil {
				b.Fatal(err)
			}
			var total int64
			for _, n := range countsByCountry(b, svc) {
				total += n
			}
			if total != int64(b.N) {
				b.Fatalf("counted %d of %d sign-ins", total, b.N)
			}
		})
	}
}

// BenchmarkCountry measures one lookup in the tiny test database (a real
// GeoLite2-Country file has a deeper tree; expect somewhat more).
func BenchmarkCountry(b *testing.B) {
	l, err := geo.OpenLookup(writeMMDB(b, "GeoLite2-Country", testNetworks))
	if err != nil {
		b.Fatal(err)
	}
	addr := netip.MustParseAddr("81.2.69.160")
	b.ReportAllocs()
	for b.Loop() {
		if l.Country(addr) != "GB" {
			b.Fatal("wrong country")
		}
	}
}

// BenchmarkClientIP measures the header walk through two trusted proxies.
func BenchmarkClientIP(b *testing.B) {
	trusted, err := geo.ParseTrustedProxies("10.0.0.0/8, 192.168.0.0/16")
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.1:443"
	r.Header.Set("X-Forwarded-For", "6.6.6.6, 81.2.69.160, 192.168.1.7")
	b.ReportAllocs()
	for b.Loop() {
		if geo.ClientIP(r, trusted).String() == "" {
			b.Fatal("no address")
		}
	}
}
