package mailtext

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// toUTF8 makes sure text is valid UTF-8. Bytes that are not UTF-8 in a part
// that declared no charset (or US-ASCII) are almost always Windows-1252
// from an old client, so they are decoded as such; in a part that declared
// its charset, invalid bytes become U+FFFD.
func toUTF8(b []byte, undeclared bool) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if undeclared {
		if s, err := charmap.Windows1252.NewDecoder().Bytes(b); err == nil {
			return strings.ToValidUTF8(string(s), "\uFFFD")
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
