package mailtext

import (
	"errors"
	"io"
	"strings"

	"github.com/emersion/go-message"
)

// Bounds on the work one message may cause. A real mail nests two or three
// multiparts and has a handful of parts; the text cap is far above what a
// 1 MiB mail can hold once decoded.
const (
	maxDepth     = 10
	maxParts     = 500
	maxTextBytes = 4 << 20
)

// finder walks a message's parts in order, depth first, looking for the
// body text.
type finder struct {
	plain *string // the first text/plain part: the search ends there
	html  *string // the first text/html part, used if no text/plain comes
	parts int
	err   error // the first error that broke the walk
}

// visit looks at one entity and, for a multipart, at its parts. It reports
// whether the search is over.
func (f *finder) visit(e *message.Entity, depth int) bool {
	f.parts++
	if f.parts > maxParts || isAttachment(e) {
		return false
	}
	mediaType, params := contentType(e)
	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		return f.visitParts(e, params, depth)
	case mediaType == "text/plain":
		s := readText(e, params)
		f.plain = &s
		return true
	case mediaType == "text/html" && f.html == nil:
		s := readText(e, params)
		f.html = &s
	}
	return false
}

// visitParts walks the parts of a multipart entity.
func (f *finder) visitParts(e *message.Entity, params map[string]string, depth int) bool {
	if depth >= maxDepth || params["boundary"] == "" {
		return false
	}
	mr := e.MultipartReader()
	if mr == nil {
		return false
	}
	defer mr.Close()
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return false
		}
		if p == nil || (err != nil && !isSoftError(err)) {
			if f.err == nil {
				f.err = err
			}
			return false
		}
		if f.visit(p, depth+1) {
			return true
		}
		if f.parts > maxParts {
			return false
		}
	}
}

// isAttachment reports parts the sender attached rather than wrote.
func isAttachment(e *message.Entity) bool {
	disp, _, err := e.Header.ContentDisposition()
	if err != nil {
		disp = e.Header.Get("Content-Disposition")
	}
	return strings.EqualFold(strings.TrimSpace(beforeSemicolon(disp)), "attachment")
}

// contentType returns the lower-case media type and its parameters. An
// unparsable Content-Type still names its type before the first ';' often
// enough to be worth using; a missing one is text/plain (RFC 2045).
func contentType(e *message.Entity) (string, map[string]string) {
	t, params, err := e.Header.ContentType()
	if err != nil {
		t, params = beforeSemicolon(e.Header.Get("Content-Type")), nil
	}
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "" {
		t = "text/plain"
	}
	if params == nil {
		params = map[string]string{}
	}
	return t, params
}

func beforeSemicolon(s string) string {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		return s[:i]
	}
	return s
}

// readText reads a text part, already decoded from its transfer encoding
// and (when its charset is known) converted to UTF-8 by go-message, and
// returns it as valid UTF-8 with "\n" line ends. A read that fails part way
// keeps what was read: a truncated mail still shows its orders, and the
// order parser reports whatever got cut.
func readText(e *message.Entity, params map[string]string) string {
	b, _ := io.ReadAll(io.LimitReader(e.Body, maxTextBytes))
	cs := strings.ToLower(strings.TrimSpace(params["charset"]))
	s := toUTF8(b, cs == "" || cs == "us-ascii" || cs == "ascii")
	if params["format"] != "" && strings.EqualFold(params["format"], "flowed") {
		s = normaliseNewlines(s)
		return unflow(s, strings.EqualFold(params["delsp"], "yes"))
	}
	return normaliseNewlines(s)
}

// normaliseNewlines turns CRLF and lone CR into LF and drops a byte order
// mark; tabs and every other character are kept.
func normaliseNewlines(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
