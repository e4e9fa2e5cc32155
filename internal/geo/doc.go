// Package geo answers "which country is this request from?" and keeps
// per-country sign-in counters.
//
// Country lookup reads a MaxMind GeoLite2-Country (or any GeoIP2
// Country/City/Enterprise) database with geoip2-golang. The database is
// optional: without one every address is of unknown country, which the rest
// of the platform must tolerate anyway (private addresses, new networks).
//
// ClientIP decides which address a request comes from. X-Forwarded-For is
// believed only when the connection comes from a configured trusted proxy,
// and then only as far back as the chain of trusted proxies goes: anything
// further left was written by the client and can be forged.
//
// Sign-in counters sit on the sign-in path, so RecordSignIn only bumps an
// in-memory counter; a flusher goroutine adds the aggregated increments to
// PostgreSQL in one batch per flush interval. A failed flush keeps its
// increments for the next try and each batch is applied exactly once (see
// geo_signin_flushes), so a flaky database delays counts without losing or
// doubling them. Stop flushes what is pending within its deadline.
package geo
