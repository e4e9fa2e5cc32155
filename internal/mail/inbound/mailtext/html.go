package mailtext

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// blockTags start and end a line of text.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "center": true,
	"dd": true, "div": true, "dl": true, "dt": true, "fieldset": true, "figure": true,
	"footer": true, "form": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "header": true, "hr": true, "li": true, "main": true,
	"nav": true, "ol": true, "p": true, "pre": true, "section": true, "table": true,
	"tbody": true, "thead": true, "tfoot": true, "tr": true, "ul": true,
}

// hiddenTags hold no text a reader sees.
var hiddenTags = map[string]bool{
	"head": true, "script": true, "style": true, "template": true, "title": true,
	"noscript": true, "object": true, "svg": true,
}

// htmlToText renders an HTML body as the text a reader sees: block elements
// and <br> end lines, white space collapses outside <pre>, entities are
// decoded, non-breaking spaces become spaces (clients put them between
// words that players typed as ordinary spaces), and <blockquote> lines get a
// "> " prefix so that quoted replies stay recognisable as quotes.
func htmlToText(src string) string {
	w := &textWriter{}
	z := html.NewTokenizer(strings.NewReader(src))
	hidden := 0 // depth inside hiddenTags
	pre := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break // io.EOF, or a token too large: either way the end
		}
		switch tt {
		case html.TextToken:
			if hidden == 0 {
				w.text(string(z.Text()), pre > 0)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch {
			case tag == "body":
				hidden = 0 // a <head> left open must not hide the body
			case hiddenTags[tag]:
				if tt == html.StartTagToken {
					hidden++
				}
			case tag == "br":
				w.newline()
			case tag == "td" || tag == "th":
				w.space()
			case blockTags[tag]:
				w.block()
				if tag == "blockquote" && tt == html.StartTagToken {
					w.quote++
				}
				if tag == "pre" && tt == html.StartTagToken {
					pre++
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch {
			case hiddenTags[tag]:
				if hidden > 0 {
					hidden--
				}
			case blockTags[tag]:
				w.block()
				if tag == "blockquote" && w.quote > 0 {
					w.quote--
				}
				if tag == "pre" && pre > 0 {
					pre--
				}
			}
		}
		if w.b.Len() > maxTextBytes {
			break
		}
	}
	return w.String()
}

// textWriter assembles lines of rendered text.
type textWriter struct {
	b       strings.Builder
	line    strings.Builder // the current line, without its quote prefix
	quote   int             // blockquote depth
	lineQ   int             // quote depth the current line started at
	pending bool            // a collapsed space is owed before the next word
	blanks  int             // blank lines written in a row
}

// text writes a text node; outside <pre> its white space collapses. A
// non-breaking space is a space the writer meant, so it becomes a space that
// does not collapse.
func (w *textWriter) text(s string, pre bool) {
	if pre {
		s = strings.ReplaceAll(s, "\u00a0", " ")
		for i, part := range strings.Split(s, "\n") {
			if i > 0 {
				w.newline()
			}
			w.write(strings.TrimSuffix(part, "\r"))
		}
		return
	}
	if s != "" && isHTMLSpace(s[0]) {
		w.pending = true
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return r < utf8.RuneSelf && isHTMLSpace(byte(r)) })
	for i, word := range words {
		if i > 0 {
			w.pending = true
		}
		w.write(strings.ReplaceAll(word, "\u00a0", " "))
	}
	if len(words) > 0 && isHTMLSpace(s[len(s)-1]) {
		w.pending = true
	}
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// write adds text to the current line, after a collapsed space if one is
// owed and the line already holds something.
func (w *textWriter) write(s string) {
	if s == "" {
		return
	}
	if w.line.Len() == 0 {
		w.lineQ = w.quote
	} else if w.pending {
		w.line.WriteByte(' ')
	}
	w.pending = false
	w.line.WriteString(s)
}

// space separates table cells.
func (w *textWriter) space() {
	w.pending = true
}

// block ends the current line if it holds text.
func (w *textWriter) block() {
	if w.line.Len() > 0 {
		w.newline()
	}
	w.pending = false
}

// newline ends the current line; runs of blank lines are kept to one.
func (w *textWriter) newline() {
	w.pending = false
	if w.line.Len() == 0 {
		if w.blanks >= 1 {
			return
		}
		w.blanks++
		w.b.WriteString(quotePrefixTrim(w.quote))
		w.b.WriteByte('\n')
		return
	}
	w.blanks = 0
	w.b.WriteString(quotePrefix(w.lineQ))
	w.b.WriteString(strings.TrimRight(w.line.String(), " "))
	w.b.WriteByte('\n')
	w.line.Reset()
}

// String returns the text written so far, without leading and trailing
// blank lines.
func (w *textWriter) String() string {
	if w.line.Len() > 0 {
		w.newline()
	}
	return strings.Trim(w.b.String(), "\n")
}

func quotePrefixTrim(depth int) string {
	return strings.TrimSuffix(quotePrefix(depth), " ")
}
