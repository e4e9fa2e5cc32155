package game

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the order language. They keep a hostile order text from making a
// turn slow or a report huge, far beyond anything a real game needs.
const (
	maxNameLen     = 30
	maxMessageLen  = 4000
	maxMessages    = 20
	maxAttacks     = 10000
	maxShipTypes   = 500
	maxComponent   = 1e6
	maxMistakes    = 500
	maxOrderLines  = 20000
	maxLineForEcho = 60
)

// orderLine is one line of order text, cut into words with the comment removed.
type orderLine struct {
	num  int      // 1-based line number
	verb rune     // first letter of the first word, lower case
	word string   // the first word as typed
	args []string // the remaining words
	raw  string   // the line as typed, for messages
}

// lineKind classifies a raw line before it is parsed as an order.
type lineKind uint8

const (
	lineBlank lineKind = iota
	lineOrder
	lineHeader // #GALAXY ...: accepted and ignored
	lineEnd    // #END: nothing after it is read
	lineBadHash
)

// splitLines cuts order text into lines, accepting \n, \r\n and \r endings.
func splitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.Split(text, "\n")
}

// parseLine turns one raw line into words. A ';' starts a comment; the first
// letter of the first word decides the order, so "send" works like "s".
func parseLine(num int, raw string) (orderLine, lineKind) {
	line := raw
	if i := strings.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return orderLine{}, lineBlank
	}
	first := fields[0]
	if strings.HasPrefix(first, "#") {
		switch strings.ToUpper(first) {
		case "#GALAXY":
			return orderLine{}, lineHeader
		case "#END":
			return orderLine{}, lineEnd
		}
		return orderLine{num: num, word: first, raw: raw}, lineBadHash
	}
	r, _ := utf8.DecodeRuneInString(first)
	return orderLine{num: num, verb: unicode.ToLower(r), word: first, args: fields[1:], raw: raw}, lineOrder
}

// parseCount reads a positive whole number of ships (or a planet number).
func parseCount(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, false
	}
	return v, true
}

// parseMass reads a component mass: a finite, non-negative number.
func parseMass(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > maxComponent {
		return 0, false
	}
	return v, true
}

// validName reports why a new name for a planet, ship type or fleet cannot be
// used, or "" when it can: names are single words (with '_' for spaces) so
// that orders can refer to them.
func validName(name string) string {
	if name == "" {
		return "the name is empty"
	}
	if utf8.RuneCountInString(name) > maxNameLen {
		return "names have at most 30 characters"
	}
	if strings.HasPrefix(name, "#") {
		return "names cannot start with '#'"
	}
	for _, c := range name {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("_-.'", c) {
			return "names may contain only letters, digits and _ - . '"
		}
	}
	return ""
}

// isNumber reports whether a word is all digits: such words are group
// numbers, so fleets cannot be named that way.
func isNumber(s string) bool {
	_, ok := parseCount(s)
	return ok
}

// reservedWords cannot name ship types, because production and cargo orders
// would become ambiguous.
var reservedWords = map[string]bool{
	"cap": true, "mat": true, "col": true, "emp": true,
	"drive": true, "weapons": true, "shields": true, "cargo": true,
}

// echo shortens a line for quoting in a mistake.
func echo(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxLineForEcho {
		r := []rune(s)
		return string(r[:maxLineForEcho]) + "..."
	}
	return s
}
