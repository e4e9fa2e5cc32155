package mailtext

import "strings"

// unflow undoes format=flowed (RFC 3676): clients such as Thunderbird wrap
// long lines and mark each soft break with a trailing space. Left wrapped, a
// long order or #RELAY line would reach the command parser in pieces. Lines
// of the same quote depth are rejoined; space stuffing is removed; quoted
// lines keep a "> " prefix so that they still read as quotes.
func unflow(s string, delsp bool) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	var cur strings.Builder
	curDepth, open := 0, false // open: the last line ended soft
	flush := func() {
		if cur.Len() > 0 || open {
			out = append(out, quotePrefix(curDepth)+cur.String())
		}
		cur.Reset()
		open = false
	}
	for i, line := range lines {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		rest := strings.TrimPrefix(line[depth:], " ")
		soft := strings.HasSuffix(rest, " ") && rest != "-- "
		if soft && delsp {
			rest = rest[:len(rest)-1]
		}
		if !open || depth != curDepth {
			if open {
				flush()
			}
			curDepth = depth
		}
		cur.WriteString(rest)
		if soft && i < len(lines)-1 {
			open = true
			continue
		}
		out = append(out, quotePrefix(curDepth)+cur.String())
		cur.Reset()
		open = false
	}
	return strings.Join(out, "\n")
}

func quotePrefix(depth int) string {
	if depth == 0 {
		return ""
	}
	return strings.Repeat(">", depth) + " "
}
