package geo

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/oschwald/geoip2-golang"
)

// Lookup maps IP addresses to countries with a MaxMind database. A nil
// *Lookup is valid and knows no country, so callers need not care whether a
// database is configured. It is safe for concurrent use.
type Lookup struct {
	reader *geoip2.Reader
	path   string
}

// cgnat is the shared address space of carrier-grade NAT (RFC 6598): like a
// private range, it never identifies a place.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// OpenLookup loads the database at path. It fails, naming the file, when the
// file cannot be read, is not a MaxMind database, or is a kind that has no
// country data (ASN, ISP, anonymous IP...).
//
// The file is read into memory rather than memory-mapped: the reader then
// never points into a mapping that a Close could pull from under a lookup
// still in flight, and replacing the file on disk cannot corrupt a running
// process. A Country database is a few megabytes.
func OpenLookup(path string) (*Lookup, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("geo database %s: %w", path, err)
	}
	r, err := geoip2.FromBytes(b)
	var unknown geoip2.UnknownDatabaseTypeError
	switch {
	case errors.As(err, &unknown):
		return nil, fmt.Errorf("geo database %s: type %q is not a GeoIP2/GeoLite2 Country or City database", path, unknown.DatabaseType)
	case err != nil:
		return nil, fmt.Errorf("geo database %s: not a readable MaxMind database: %w", path, err)
	}
	// geoip2 accepts several kinds of database; only those that answer
	// Country lookups are of use. Probing is the one test that follows the
	// library's own list.
	if _, err := r.Country(net.IPv4zero); err != nil {
		var invalid geoip2.InvalidMethodError
		if errors.As(err, &invalid) {
			return nil, fmt.Errorf("geo database %s: type %q has no country data; use GeoLite2-Country", path, invalid.DatabaseType)
		}
		return nil, fmt.Errorf("geo database %s: %w", path, err)
	}
	return &Lookup{reader: r, path: path}, nil
}

// Path returns the file the database was loaded from.
func (l *Lookup) Path() string {
	if l == nil {
		return ""
	}
	return l.path
}

// DatabaseType returns the database's type, e.g. "GeoLite2-Country".
func (l *Lookup) DatabaseType() string {
	if l == nil {
		return ""
	}
	return l.reader.Metadata().DatabaseType
}

// BuildTime returns when the database was built; operators compare it with
// MaxMind's weekly releases to spot a stale file.
func (l *Lookup) BuildTime() time.Time {
	if l == nil {
		return time.Time{}
	}
	return time.Unix(int64(l.reader.Metadata().BuildEpoch), 0).UTC()
}

// Country returns the ISO 3166-1 alpha-2 code of addr's country, or "" when
// it is unknown: no database, an invalid, private, loopback, link-local,
// multicast or CGNAT address, or one the database does not cover.
func (l *Lookup) Country(addr netip.Addr) string {
	if l == nil {
		return ""
	}
	addr = addr.Unmap()
	if !isPublic(addr) {
		return ""
	}
	rec, err := l.reader.Country(net.IP(addr.AsSlice()))
	if err != nil {
		// An IPv6 address in an IPv4-only database, or a corrupt record:
		// either way nothing a caller could act on.
		return ""
	}
	code := rec.Country.IsoCode
	if code == "" {
		// Anonymous proxies and satellite providers carry no located
		// country; the country the network is registered in is the best
		// remaining answer.
		code = rec.RegisteredCountry.IsoCode
	}
	if !isCountryCode(code) {
		return ""
	}
	return code
}

// CountryOf is Country for callers that hold a net.IP.
func (l *Lookup) CountryOf(ip net.IP) string {
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return ""
	}
	return l.Country(addr)
}

// isPublic reports whether addr could be located at all. Private and other
// local ranges are not in the database, and looking them up would only cost.
func isPublic(addr netip.Addr) bool {
	return addr.IsValid() && !addr.IsUnspecified() && !addr.IsLoopback() && !addr.IsPrivate() &&
		!addr.IsLinkLocalUnicast() && !addr.IsLinkLocalMulticast() && !addr.IsInterfaceLocalMulticast() &&
		!addr.IsMulticast() && !cgnat.Contains(addr)
}

// isCountryCode reports whether s is two ASCII capital letters.
func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
