package form

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Race name lengths, in characters, as the Race Name Directory counts them
// (internal/lobby/racenames).
const (
	RaceNameMin = 3
	RaceNameMax = 20
)

// RaceName reads the race_name field (applying to a game, accepting an
// invite) and returns it trimmed, with a message when the directory would
// refuse its form. Whether the name is free only the directory can say.
func RaceName(value string) (string, string) {
	name := strings.TrimSpace(value)
	if name == "" {
		return "", "Choose a race name."
	}
	// The directory judges the NFC form's length and the NFKC form's
	// characters (full-width letters are letters).
	if n := utf8.RuneCountInString(norm.NFC.String(name)); n < RaceNameMin || n > RaceNameMax {
		return name, "A race name has " + strconv.Itoa(RaceNameMin) + " to " + strconv.Itoa(RaceNameMax) + " characters."
	}
	letters := 0
	for i, r := range norm.NFKC.String(name) {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r >= '0' && r <= '9', r == '_', r == '-':
		case i > 0 && unicode.Is(unicode.M, r):
		case unicode.IsSpace(r):
			return name, "A race name has no spaces: join words with '_' or '-'."
		default:
			return name, "A race name has only letters, digits, '_' and '-' (not " + strconv.QuoteRune(r) + ")."
		}
	}
	if letters == 0 {
		return name, "A race name needs at least one letter."
	}
	return name, ""
}
