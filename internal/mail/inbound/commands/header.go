package commands

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Keywords, upper case.
const (
	kwGalaxy = "#GALAXY"
	kwReport = "#REPORT"
	kwRelay  = "#RELAY"
	kwEnd    = "#END"
)

// word is one argument of a header line and where it sits in the line, so
// that MaskPasswords can replace exactly the password.
type word struct {
	text       string // without its quotes
	start, end int    // byte offsets in the line, quotes included
}

// firstWord returns the first white-space separated word of a line (the
// keyword, if any) and the offset where the rest of the line starts.
func firstWord(line string) (string, int) {
	start := len(line) - len(strings.TrimLeftFunc(line, unicode.IsSpace))
	end := strings.IndexFunc(line[start:], unicode.IsSpace)
	if end < 0 {
		return line[start:], len(line)
	}
	return line[start : start+end], start + end
}

// keyword returns the upper-case keyword a line starts with, or "" when the
// line does not start with one of the four keywords.
func keyword(line string) string {
	w, _ := firstWord(line)
	for _, kw := range [...]string{kwGalaxy, kwReport, kwRelay, kwEnd} {
		if strings.EqualFold(w, kw) {
			return kw
		}
	}
	return ""
}

// isHeader reports keywords that start a command.
func isHeader(kw string) bool {
	return kw == kwGalaxy || kw == kwReport || kw == kwRelay
}

// closingQuote pairs each opening quote with the quotes that close it.
// Curly quotes are there because mail clients "smarten" typed ones.
var closingQuote = map[rune]string{'"': `"`, '“': `”"`}

var errUnclosedQuote = errors.New("a quoted argument has no closing quote")
var errQuoteGlued = errors.New("a closing quote must be followed by a space")

// splitArgs cuts s (the part of a line after its keyword, which starts at
// offset base in the line) into words separated by white space; a word
// starting with a double quote runs to the closing quote.
func splitArgs(s string, base int) ([]word, error) {
	var out []word
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		if closers, ok := closingQuote[r]; ok {
			j := strings.IndexAny(s[i+size:], closers)
			if j < 0 {
				return out, errUnclosedQuote
			}
			inner := s[i+size : i+size+j]
			_, csize := utf8.DecodeRuneInString(s[i+size+j:])
			end := i + size + j + csize
			if end < len(s) {
				if next, _ := utf8.DecodeRuneInString(s[end:]); !unicode.IsSpace(next) {
					return out, errQuoteGlued
				}
			}
			out = append(out, word{text: inner, start: base + i, end: base + end})
			i = end
			continue
		}
		j := strings.IndexFunc(s[i:], unicode.IsSpace)
		if j < 0 {
			j = len(s) - i
		}
		out = append(out, word{text: s[i : i+j], start: base + i, end: base + i + j})
		i += j
	}
	return out, nil
}

// usage is the form of each header, for mistakes.
var usage = map[string]string{
	kwGalaxy: "#GALAXY <game> <race> <password> [<turn>] [FINALORDERS]",
	kwReport: "#REPORT <game> <race> <password> [<turn>]",
	kwRelay:  "#RELAY <game> <race> <password> <to-race>|ALL",
}

// argNames name the required arguments, in order.
var argNames = [...]string{"<game>", "<race>", "<password>", "<to-race>|ALL"}

// parseHeader reads a header line whose keyword is kw. It returns the
// command (Line and body fields unset) or why the line is not one.
func parseHeader(kw, line string) (Command, string) {
	_, rest := firstWord(line)
	args, err := splitArgs(line[rest:], rest)
	if err != nil {
		return Command{}, fmt.Sprintf("%s: %v", kw, err)
	}
	need := 3
	if kw == kwRelay {
		need = 4
	}
	if kw == kwRelay && len(args) == 3 {
		return Command{}, "#RELAY needs a target after the password: a race name, or ALL"
	}
	if len(args) < need {
		missing := argNames[len(args):need]
		verb := "is"
		if len(missing) > 1 {
			verb = "are"
		}
		return Command{}, fmt.Sprintf("%s needs %s: %s %s missing", kw, strings.Join(argNames[:need], " "), strings.Join(missing, " "), verb)
	}
	for i := range need {
		if strings.TrimSpace(args[i].text) == "" {
			return Command{}, fmt.Sprintf("%s: %s is empty", kw, argNames[i])
		}
	}
	c := Command{Game: args[0].text, Race: args[1].text, Password: args[2].text}
	switch kw {
	case kwRelay:
		c.Kind = KindRelay
		c.To = args[3].text
		if strings.EqualFold(c.To, ToAll) {
			c.To = ToAll
		}
		if len(args) > 4 {
			return Command{}, fmt.Sprintf("%s: nothing may follow the target (quote a race name that has spaces); the form is %s", kw, usage[kw])
		}
	case kwGalaxy, kwReport:
		c.Kind = KindGalaxy
		if kw == kwReport {
			c.Kind = KindReport
		}
		for i, a := range args[3:] {
			if msg := c.option(kw, a.text, i+4); msg != "" {
				return Command{}, msg
			}
		}
	}
	return c, ""
}

// option reads a word after the password of #GALAXY or #REPORT: a turn, or
// FINALORDERS for #GALAXY. Words that are not numbers are not quoted back:
// they may be a password written in the wrong place.
func (c *Command) option(kw, s string, pos int) string {
	if kw == kwGalaxy && strings.EqualFold(s, "FINALORDERS") {
		c.Final = true
		return ""
	}
	if !looksNumeric(s) {
		if kw == kwGalaxy {
			return fmt.Sprintf("%s: argument %d is neither a turn (a positive whole number) nor FINALORDERS; the form is %s", kw, pos, usage[kw])
		}
		return fmt.Sprintf("%s: argument %d is not a turn (a positive whole number); the form is %s", kw, pos, usage[kw])
	}
	if c.Turn != 0 {
		return fmt.Sprintf("%s: only one turn may be given", kw)
	}
	n, ok := parseTurn(s)
	if !ok {
		if len(s) > 12 {
			s = s[:12] + "..."
		}
		return fmt.Sprintf("%s: turn %s is not a positive whole number", kw, s)
	}
	c.Turn = n
	return ""
}

// looksNumeric reports words a player meant as a number: digits, maybe
// signed or with a decimal point.
func looksNumeric(s string) bool {
	s = strings.TrimLeft(s, "+-")
	return s != "" && strings.Trim(s, "0123456789.,") == "" && strings.ContainsAny(s, "0123456789")
}

// parseTurn reads a positive whole number of at most nine digits.
func parseTurn(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n > 0
}
