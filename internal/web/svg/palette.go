package svg

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// OwnerColours is the number of owner-N classes MapCSS styles; OwnerClass
// returns one of owner-0 … owner-(OwnerColours-1).
const OwnerColours = 12

// ownerClasses holds the class names once, so the map does not format a
// string for every planet and group.
var ownerClasses = func() [OwnerColours]string {
	var c [OwnerColours]string
	for i := range c {
		c[i] = "owner-" + strconv.Itoa(i)
	}
	return c
}()

// OwnerClass is the CSS class ("owner-3") giving a race its colour on the
// map. It hashes the race name, so the colour stays the same from turn to
// turn and on every page (a legend or a table can use it too); letter case
// is ignored because race names compare case-insensitively in orders. With
// more races than colours some share one, which the tooltips disambiguate.
func OwnerClass(race string) string {
	// FNV-1a over the lower-cased name, inline: the map asks for thousands
	// of these, and hash/fnv with strings.ToLower would allocate each time.
	const offset, prime = 2166136261, 16777619
	h := uint32(offset)
	var buf [utf8.UTFMax]byte
	for _, r := range race {
		r = unicode.ToLower(r)
		for _, c := range utf8.AppendRune(buf[:0], r) {
			h = (h ^ uint32(c)) * prime
		}
	}
	return ownerClasses[h%OwnerColours]
}
