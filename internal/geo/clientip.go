package geo

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP returns the address r comes from.
//
// When the connection's peer is not in trusted, that is the peer's address,
// whatever X-Forwarded-For says: a client can write any header it likes.
// When the peer is a trusted proxy, X-Forwarded-For is read from the right
// (the entry the nearest proxy appended) and the first address that is not
// itself a trusted proxy is the client. Entries left of it were written by
// that client or its own proxies and are never believed. If every entry is a
// trusted proxy, the left-most is returned (a request from inside the proxy
// tier). If an entry is malformed, the walk stops there and the last good
// address is returned, since nothing beyond an unreadable hop can be checked.
//
// The result is unmapped (::ffff:1.2.3.4 becomes 1.2.3.4) and zone-free. It
// is the zero Addr only when RemoteAddr itself cannot be parsed, which
// net/http never produces.
func ClientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer, ok := parseHost(r.RemoteAddr)
	if !ok {
		return netip.Addr{}
	}
	if !isTrusted(peer, trusted) {
		return peer
	}
	client := peer
	values := r.Header.Values("X-Forwarded-For")
	// Several header lines form one list, in order: walk the last line first.
	for i := len(values) - 1; i >= 0; i-- {
		list := values[i]
		for list != "" {
			var entry string
			if j := strings.LastIndexByte(list, ','); j >= 0 {
				entry, list = list[j+1:], list[:j]
			} else {
				entry, list = list, ""
			}
			entry = strings.TrimSpace(entry)
			if entry == "" {
				continue // "a,,b" or a trailing comma: no hop to judge
			}
			addr, ok := parseHost(entry)
			if !ok {
				return client
			}
			client = addr
			if !isTrusted(addr, trusted) {
				return client
			}
		}
	}
	return client
}

// parseHost reads an address as it appears in RemoteAddr or an
// X-Forwarded-For entry: "1.2.3.4", "1.2.3.4:5678", "2001:db8::1",
// "[2001:db8::1]:443", "[2001:db8::1]", optionally with a zone or quotes.
func parseHost(s string) (netip.Addr, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return a.Unmap().WithZone(""), true
		}
	}
	return netip.Addr{}, false
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies parses a list of proxies, such as
// "10.0.0.0/8, 192.168.1.7 2001:db8::/32": CIDR prefixes or single addresses
// (taken as /32 or /128), separated by commas and/or spaces. Host bits in a
// prefix are cleared ("10.1.2.3/8" means 10.0.0.0/8), and IPv4-mapped IPv6
// entries become IPv4 so that they match the unmapped client addresses. An
// empty list is valid and trusts no proxy. Every bad entry is reported.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	out := make([]netip.Prefix, 0, len(fields))
	var errs []error
	for _, f := range fields {
		p, err := parseProxy(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, p)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func parseProxy(s string) (netip.Prefix, error) {
	if strings.Contains(s, "%") {
		return netip.Prefix{}, fmt.Errorf("trusted proxy %q: zones are not allowed", s)
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("trusted proxy %q: not a CIDR prefix such as 10.0.0.0/8 or 2001:db8::/32", s)
		}
		if a := p.Addr(); a.Is4In6() {
			if p.Bits() < 96 {
				return netip.Prefix{}, fmt.Errorf("trusted proxy %q: an IPv4-mapped prefix needs at least 96 bits", s)
			}
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("trusted proxy %q: not an IP address or CIDR prefix", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}
