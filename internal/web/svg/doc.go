// Package svg draws the player web client's pictures on the server: the
// galaxy map a race sees (Map) and a small chart of its growth per turn
// (Chart).
//
// The package is pure: it takes its own small view-model types, filled by the
// pages from API data, and returns markup. It imports no backend package, so
// the gateway stays a plain client of the public API.
//
// Race and planet names are chosen by players, so every piece of text and
// every attribute value is escaped; the output is well-formed XML as well as
// valid inline SVG in HTML. Colours live in CSS (MapCSS, ChartCSS), the
// markup only carries class names, so a page can restyle the pictures and a
// strict Content-Security-Policy needs no inline styles.
package svg
