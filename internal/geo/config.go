package geo

import (
	"fmt"
	"net/netip"
	"time"
)

// Defaults applied by New to zero Config fields.
const (
	// DefaultFlushInterval trades the freshness of the counters admins see
	// against write load: one small upsert per replica every 5 s.
	DefaultFlushInterval = 5 * time.Second
	// DefaultMaxPending bounds the (country, day) pairs held in memory while
	// the database cannot be written: about 250 countries a day, so 10,000
	// pairs ride out more than a month of outage before sign-ins are dropped.
	DefaultMaxPending = 10_000
)

// minFlushInterval keeps a misconfigured interval ("1ns") from turning the
// flusher into a busy loop against the database.
const minFlushInterval = 10 * time.Millisecond

// UnknownCountry is the country stored for sign-ins whose country is not
// known. "ZZ" is user-assigned in ISO 3166-1 and never names a real country,
// and it keeps the column a plain two-letter code.
const UnknownCountry = "ZZ"

// Config configures the geo module. The zero value is valid: no country
// database, no trusted proxies, default flush interval and bound.
type Config struct {
	// DBPath is the GeoLite2-Country (or GeoIP2 Country/City) .mmdb file
	// (BACKEND_GEO_DB_PATH). Empty disables country lookup: every country is
	// "" and sign-ins count as UnknownCountry.
	DBPath string
	// TrustedProxies are the proxies whose X-Forwarded-For is believed
	// (BACKEND_TRUSTED_PROXIES, parsed by ParseTrustedProxies). Empty means
	// none: the client address is always the connection's peer.
	TrustedProxies []netip.Prefix
	// FlushInterval is how often pending sign-in increments are written
	// (BACKEND_GEO_FLUSH_INTERVAL). Zero means DefaultFlushInterval.
	FlushInterval time.Duration
	// MaxPending bounds the distinct (country, day) pairs waiting to be
	// written; sign-ins for a new pair beyond it are dropped and counted.
	// Zero means DefaultMaxPending.
	MaxPending int
}

// withDefaults fills zero fields and rejects values that cannot work.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.FlushInterval == 0:
		c.FlushInterval = DefaultFlushInterval
	case c.FlushInterval < minFlushInterval:
		return c, fmt.Errorf("geo: flush interval %s is below the minimum %s", c.FlushInterval, minFlushInterval)
	}
	switch {
	case c.MaxPending == 0:
		c.MaxPending = DefaultMaxPending
	case c.MaxPending < 0:
		return c, fmt.Errorf("geo: max pending %d must not be negative", c.MaxPending)
	}
	return c, nil
}
