package svg

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// writer builds markup in a strings.Builder, which hands over its buffer as
// the result without copying it. Numbers and escaped text are formatted in
// small scratch buffers, so a 2,000-group map costs a few allocations rather
// than one per number.
type writer struct {
	sb      strings.Builder
	scratch [32]byte
	esc     []byte // reused for escaping text that needs it
}

func newWriter(capacity int) *writer {
	w := &writer{}
	w.sb.Grow(capacity)
	return w
}

// raw appends trusted markup (tags and attribute names written by this
// package, never user data).
func (w *writer) raw(s string) { w.sb.WriteString(s) }

// text appends user data escaped for an element body or a quoted attribute.
func (w *writer) text(s string) {
	if plainText(s) {
		w.sb.WriteString(s)
		return
	}
	w.esc = appendEscaped(w.esc[:0], s)
	w.sb.Write(w.esc)
}

// f appends a coordinate or a measure rounded to hundredths, the precision
// of every report, without trailing zeros ("12.5", "3").
func (w *writer) f(v float64) { w.sb.Write(appendNum(w.scratch[:0], v)) }

// i appends an integer.
func (w *writer) i(v int) { w.sb.Write(strconv.AppendInt(w.scratch[:0], int64(v), 10)) }

// attr appends ` name="value"` with the value escaped.
func (w *writer) attr(name, value string) {
	w.sb.WriteByte(' ')
	w.sb.WriteString(name)
	w.sb.WriteString(`="`)
	w.text(value)
	w.sb.WriteByte('"')
}

// fattr appends ` name="number"`.
func (w *writer) fattr(name string, v float64) {
	w.sb.WriteByte(' ')
	w.sb.WriteString(name)
	w.sb.WriteString(`="`)
	w.f(v)
	w.sb.WriteByte('"')
}

// html returns the markup built so far, marked safe for html/template: the
// writer's only doors for outside data are text, attr and the number
// formatters, which escape or cannot produce markup.
func (w *writer) html() template.HTML {
	return template.HTML(w.sb.String()) //nolint:gosec // G203: user data only enters through text/attr, which escape it
}

// plainText reports whether s can be written as it is: printable ASCII
// with none of the characters markup gives a meaning. Most names are.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= utf8.RuneSelf, c == '<', c == '>', c == '&', c == '"', c == '\'':
			return false
		}
	}
	return true
}

// appendNum formats v at two decimals at most, without trailing zeros. A NaN
// or an infinity would break the SVG (and hints at bad input), so it is
// written as 0. Working in whole hundredths is several times faster than
// strconv's float formatting, which matters with thousands of coordinates.
func appendNum(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, '0')
	}
	if math.Abs(v) >= 1e15 { // beyond exact hundredths in an int64
		return strconv.AppendFloat(b, math.Round(v), 'f', 0, 64)
	}
	n := int64(math.Round(v * 100))
	if n == 0 {
		return append(b, '0') // also turns -0 into 0
	}
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/100, 10)
	if frac := n % 100; frac != 0 {
		b = append(b, '.', byte('0'+frac/10))
		if frac%10 != 0 {
			b = append(b, byte('0'+frac%10))
		}
	}
	return b
}

// num formats v like appendNum, for text such as tooltips.
func num(v float64) string { return string(appendNum(nil, v)) }

// appendEscaped escapes s for XML and HTML alike: the five special
// characters become references, and characters XML forbids (most control
// characters, invalid UTF-8) become U+FFFD, so that even a hostile name
// cannot make the document ill-formed.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '"':
				b = append(b, "&#34;"...)
			case c == '\'':
				b = append(b, "&#39;"...)
			case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
				b = append(b, "\uFFFD"...)
			default:
				b = append(b, c)
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !xmlChar(r) {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}

// xmlChar reports whether r (≥ 0x80) may appear in an XML document.
func xmlChar(r rune) bool {
	return r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// safeHref keeps links to relative URLs and http(s): a LinkFor that builds
// its href from a planet name must not be able to produce "javascript:".
func safeHref(h string) string {
	h = strings.TrimSpace(h)
	end := strings.IndexAny(h, "/?#")
	if end < 0 {
		end = len(h)
	}
	colon := strings.IndexByte(h[:end], ':')
	if colon < 0 {
		return h // relative: no scheme
	}
	switch strings.ToLower(h[:colon]) {
	case "http", "https":
		return h
	}
	return "#"
}
