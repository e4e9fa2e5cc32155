package geo_test

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/geo"
)

func TestLookupCountry(t *testing.T) {
	t.Parallel()
	l, err := geo.OpenLookup(writeMMDB(t, "GeoLite2-Country", testNetworks))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, addr, want string
	}{
		{"IPv4 in a known network", "81.2.69.160", "GB"},
		{"IPv6 in a known network", "2001:db8::1", "DE"},
		{"IPv4-mapped IPv6 is looked up as IPv4", "::ffff:81.2.69.160", "GB"},
		{"falls back to the registered country", "89.160.20.112", "SE"},
		{"IPv4 the database does not cover", "8.8.8.8", ""},
		{"IPv6 the database does not cover", "2a00:1450::1", ""},
		{"private address is never looked up", "10.1.2.3", ""},
		{"other private range", "192.168.1.1", ""},
		{"IPv6 unique local", "fd00::1", ""},
		{"loopback", "127.0.0.1", ""},
		{"IPv6 loopback", "::1", ""},
		{"link-local", "fe80::1", ""},
		{"carrier-grade NAT", "100.64.1.1", ""},
		{"unspecified", "0.0.0.0", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := l.Country(netip.MustParseAddr(c.addr)); got != c.want {
				t.Errorf("Country(%s) = %q, want %q", c.addr, got, c.want)
			}
		})
	}
	t.Run("net.IP form gives the same answer", func(t *testing.T) {
		t.Parallel()
		if got := l.CountryOf(net.ParseIP("81.2.69.1")); got != "GB" {
			t.Errorf("CountryOf = %q, want GB", got)
		}
		if got := l.CountryOf(nil); got != "" {
			t.Errorf("CountryOf(nil) = %q, want empty", got)
		}
	})
	t.Run("zero address is unknown", func(t *testing.T) {
		t.Parallel()
		if got := l.Country(netip.Addr{}); got != "" {
			t.Errorf("Country(zero) = %q", got)
		}
	})
	t.Run("reports the database type", func(t *testing.T) {
		t.Parallel()
		if l.DatabaseType() != "GeoLite2-Country" {
			t.Errorf("DatabaseType = %q", l.DatabaseType())
		}
	})
}

func TestLookupWithoutDatabase(t *testing.T) {
	t.Parallel()
	var l *geo.Lookup
	if got := l.Country(netip.MustParseAddr("81.2.69.160")); got != "" {
		t.Errorf("nil Lookup found %q", got)
	}
}

func TestOpenLookup(t *testing.T) {
	t.Parallel()
	t.Run("accepts a City database", func(t *testing.T) {
		t.Parallel()
		l, err := geo.OpenLookup(writeMMDB(t, "GeoLite2-City", testNetworks))
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Country(netip.MustParseAddr("81.2.69.1")); got != "GB" {
			t.Errorf("Country = %q, want GB", got)
		}
	})
	bad := []struct {
		name string
		path func(t *testing.T) string
		want string
	}{
		{"missing file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope.mmdb") }, "no such file"},
		{"not an mmdb", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "junk.mmdb")
			if err := os.WriteFile(p, []byte("this is not a MaxMind database"), 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		}, "not a readable MaxMind database"},
		{"database without country data", func(t *testing.T) string {
			return writeMMDB(t, "GeoLite2-ASN", nil)
		}, "has no country data"},
		{"database of an unknown type", func(t *testing.T) string {
			return writeMMDB(t, "Galaxy-Planets", nil)
		}, "is not a GeoIP2/GeoLite2 Country or City database"},
	}
	for _, c := range bad {
		t.Run("rejects a "+c.name, func(t *testing.T) {
			t.Parallel()
			path := c.path(t)
			_, err := geo.OpenLookup(path)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q should name %s and say %q", err, path, c.want)
			}
		})
	}
}

func TestServiceCountry(t *testing.T) {
	t.Parallel()
	t.Run("looks up countries once started with a database", func(t *testing.T) {
		t.Parallel()
		path := writeMMDB(t, "GeoLite2-Country", testNetworks)
		svc, _ := newService(t, func(c *geo.Config) { c.DBPath = path })
		addr := netip.MustParseAddr("2001:db8::42")
		if got := svc.Country(addr); got != "" {
			t.Errorf("before Start: %q, want empty", got)
		}
		start(t, svc)
		if got := svc.Country(addr); got != "DE" {
			t.Errorf("Country = %q, want DE", got)
		}
	})
	t.Run("without a database says so once and knows no country", func(t *testing.T) {
		t.Parallel()
		var logs logBuffer
		svc, _ := newServiceLogging(t, nil, slog.New(slog.NewTextHandler(&logs, nil)))
		start(t, svc)
		if got := svc.Country(netip.MustParseAddr("81.2.69.160")); got != "" {
			t.Errorf("Country = %q, want empty", got)
		}
		if n := strings.Count(logs.String(), "country lookup disabled"); n != 1 {
			t.Errorf("want one line about disabled lookup, got %d:\n%s", n, logs.String())
		}
		if !strings.Contains(logs.String(), "BACKEND_GEO_DB_PATH") {
			t.Errorf("the line should say how to enable lookup:\n%s", logs.String())
		}
	})
	t.Run("a bad database fails the start naming the file", func(t *testing.T) {
		t.Parallel()
		path := writeMMDB(t, "GeoLite2-ASN", nil)
		svc, _ := newService(t, func(c *geo.Config) { c.DBPath = path })
		err := svc.Start(context.Background())
		if err == nil {
			_ = svc.Stop(context.Background())
			t.Fatal("Start succeeded")
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name %s", err, path)
		}
	})
}
