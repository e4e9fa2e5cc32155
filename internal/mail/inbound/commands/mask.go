package commands

import "strings"

// Mask is what MaskPasswords writes in place of a password.
const Mask = "********"

// MaskPasswords returns text with the password of every header line
// (#GALAXY, #REPORT, #RELAY with at least three arguments) replaced by Mask,
// so that operators can read inbound mail without learning passwords. It
// masks more than Parse reads: quoted lines, lines inside bodies and headers
// that are otherwise wrong. When the arguments cannot be told apart (an
// unclosed quote), everything after the keyword is masked. The rest of the
// text, line endings included, is unchanged.
func MaskPasswords(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		start := i
		var line string
		line, i = lineAt(text, i)
		b.WriteString(maskLine(line))
		b.WriteString(text[start+len(line) : i]) // the line ending
	}
	return b.String()
}

// maskLine masks the password of one line, if it is a header.
func maskLine(line string) string {
	body := unquote(line)
	if !isHeader(keyword(body)) {
		return line
	}
	off := len(line) - len(body)
	_, rest := firstWord(body)
	args, err := splitArgs(body[rest:], rest)
	if err != nil {
		return line[:off+rest] + " " + Mask
	}
	if len(args) < 3 {
		return line
	}
	pw := args[2]
	return line[:off+pw.start] + Mask + line[off+pw.end:]
}
