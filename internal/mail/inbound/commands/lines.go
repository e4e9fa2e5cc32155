package commands

import (
	"strings"
	"unicode"
)

// lineAt returns the line starting at offset i of text and the offset of
// the next line. Lines end at "\r\n", "\r" or "\n", like game order text;
// the line ending is not part of the line.
func lineAt(text string, i int) (line string, next int) {
	j := strings.IndexAny(text[i:], "\r\n")
	if j < 0 {
		return text[i:], len(text)
	}
	j += i
	if text[j] == '\r' && j+1 < len(text) && text[j+1] == '\n' {
		return text[i:j], j + 2
	}
	return text[i:j], j + 1
}

// isQuoted reports a quoted reply line: its first non-space character is '>'.
func isQuoted(line string) bool {
	return strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), ">")
}

// isSignature reports the signature delimiter line ("-- ", or "--" from
// clients that trim trailing spaces).
func isSignature(line string) bool {
	return line == "-- " || line == "--"
}

// unquote removes reply quoting ("> ", ">>", "> > ") from the start of a line.
func unquote(line string) string {
	for {
		line = strings.TrimLeftFunc(line, unicode.IsSpace)
		if !strings.HasPrefix(line, ">") {
			return line
		}
		line = line[1:]
	}
}
