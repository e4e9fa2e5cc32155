package geo_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/geo"
)

func TestClientIP(t *testing.T) {
	t.Parallel()
	trusted, err := geo.ParseTrustedProxies("10.0.0.0/8, 192.168.1.7, 2001:db8:ffff::/48")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		remote  string
		xff     []string // one element per header line
		trusted []netip.Prefix
		want    string
	}{
		{name: "peer address without a header", remote: "81.2.69.160:5555", trusted: trusted, want: "81.2.69.160"},
		{name: "untrusted peer's forged header is ignored", remote: "81.2.69.160:5555",
			xff: []string{"1.2.3.4"}, trusted: trusted, want: "81.2.69.160"},
		{name: "header ignored when no proxy is trusted", remote: "10.0.0.1:80",
			xff: []string{"81.2.69.160"}, want: "10.0.0.1"},
		{name: "trusted peer: client is the entry it appended", remote: "10.0.0.1:80",
			xff: []string{"81.2.69.160"}, trusted: trusted, want: "81.2.69.160"},
		{name: "client-forged entries left of the real client are ignored", remote: "10.0.0.1:80",
			xff: []string{"6.6.6.6, 81.2.69.160"}, trusted: trusted, want: "81.2.69.160"},
		{name: "chain of trusted proxies is walked from the right", remote: "10.0.0.1:80",
			xff: []string{"6.6.6.6, 81.2.69.160, 192.168.1.7, 10.9.9.9"}, trusted: trusted, want: "81.2.69.160"},
		{name: "single trusted address does not trust its neighbour", remote: "10.0.0.1:80",
			xff: []string{"81.2.69.160, 192.168.1.8"}, trusted: trusted, want: "192.168.1.8"},
		{name: "several header lines form one list", remote: "10.0.0.1:80",
			xff: []string{"6.6.6.6, 81.2.69.160", "10.1.1.1"}, trusted: trusted, want: "81.2.69.160"},
		{name: "every entry trusted gives the left-most", remote: "10.0.0.1:80",
			xff: []string{"10.3.3.3, 10.2.2.2"}, trusted: trusted, want: "10.3.3.3"},
		{name: "empty header from a trusted peer gives the peer", remote: "10.0.0.1:80",
			xff: []string{""}, trusted: trusted, want: "10.0.0.1"},
		{name: "IPv6 peer and client", remote: "[2001:db8:ffff::1]:443",
			xff: []string{"2001:db8::42"}, trusted: trusted, want: "2001:db8::42"},
		{name: "IPv6 entry with brackets and port", remote: "10.0.0.1:80",
			xff: []string{"[2001:db8::42]:1234"}, trusted: trusted, want: "2001:db8::42"},
		{name: "IPv6 entry in brackets without port", remote: "10.0.0.1:80",
			xff: []string{"[2001:db8::42]"}, trusted: trusted, want: "2001:db8::42"},
		{name: "IPv4 entry with port", remote: "10.0.0.1:80",
			xff: []string{"81.2.69.160:4711"}, trusted: trusted, want: "81.2.69.160"},
		{name: "IPv4-mapped peer matches an IPv4 proxy", remote: "[::ffff:10.0.0.1]:80",
			xff: []string{"81.2.69.160"}, trusted: trusted, want: "81.2.69.160"},
		{name: "IPv4-mapped client is unmapped", remote: "81.2.69.160:1", want: "81.2.69.160",
			trusted: nil, xff: nil},
		{name: "zone is dropped", remote: "[fe80::1%eth0]:80", want: "fe80::1"},
		{name: "spaces and empty elements are tolerated", remote: "10.0.0.1:80",
			xff: []string{" 81.2.69.160 ,, "}, trusted: trusted, want: "81.2.69.160"},
		{name: "garbage entry stops the walk at the last good hop", remote: "10.0.0.1:80",
			xff: []string{"81.2.69.160, not-an-ip, 10.2.2.2"}, trusted: trusted, want: "10.2.2.2"},
		{name: "garbage right next to the peer gives the peer", remote: "10.0.0.1:80",
			xff: []string{"unknown"}, trusted: trusted, want: "10.0.0.1"},
		{name: "garbage left of the client does not matter", remote: "10.0.0.1:80",
			xff: []string{"<script>, 81.2.69.160"}, trusted: trusted, want: "81.2.69.160"},
		{name: "peer without a port", remote: "81.2.69.160", want: "81.2.69.160"},
		{name: "unparsable peer gives the zero address", remote: "somewhere", xff: []string{"1.2.3.4"},
			trusted: trusted, want: "invalid IP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := geo.ClientIP(r, c.trusted).String(); got != c.want {
				t.Errorf("ClientIP = %s, want %s", got, c.want)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	t.Parallel()
	t.Run("accepts prefixes and single addresses", func(t *testing.T) {
		t.Parallel()
		got, err := geo.ParseTrustedProxies("10.0.0.0/8, 192.168.1.7 2001:db8::/32,fd00::1\t10.1.2.3/16")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32", "fd00::1/128", "10.1.0.0/16"}
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for i := range want {
			if got[i].String() != want[i] {
				t.Errorf("entry %d = %s, want %s", i, got[i], want[i])
			}
		}
	})
	t.Run("IPv4-mapped entries become IPv4", func(t *testing.T) {
		t.Parallel()
		got, err := geo.ParseTrustedProxies("::ffff:10.0.0.0/104, ::ffff:192.168.1.7")
		if err != nil {
			t.Fatal(err)
		}
		if got[0].String() != "10.0.0.0/8" || got[1].String() != "192.168.1.7/32" {
			t.Errorf("got %v", got)
		}
	})
	t.Run("empty list trusts nothing", func(t *testing.T) {
		t.Parallel()
		got, err := geo.ParseTrustedProxies("  , ")
		if err != nil || len(got) != 0 {
			t.Errorf("got %v, %v", got, err)
		}
	})
	t.Run("reports every bad entry", func(t *testing.T) {
		t.Parallel()
		_, err := geo.ParseTrustedProxies("10.0.0.0/8, 10.0.0.0/33, proxy.example.com, fe80::1%eth0, 1.2.3")
		if err == nil {
			t.Fatal("no error")
		}
		for _, bad := range []string{`"10.0.0.0/33"`, `"proxy.example.com"`, `"fe80::1%eth0"`, `"1.2.3"`} {
			if !strings.Contains(err.Error(), bad) {
				t.Errorf("error %q does not mention %s", err, bad)
			}
		}
		if strings.Contains(err.Error(), `"10.0.0.0/8"`) {
			t.Errorf("error %q blames a good entry", err)
		}
	})
}
