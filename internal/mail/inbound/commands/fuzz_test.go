package commands

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add("#GALAXY g Orcs pw 3 FINALORDERS\np 1 Drone\n#END\n")
	f.Add("> #REPORT g r p\r\n#RELAY \"A B\" r p ALL\r\nhi\r\n#end\r\n-- \r\nsig")
	f.Add("#REPORT “g h” r p 0\n#END\n#FOO\n#GALAXY g r\n#RELAY g r p\n")
	f.Add("#GALAXY g r p\n#GALAXY g r p \"x\"y\n#END\r#END\n--\n")
	f.Fuzz(func(t *testing.T, text string) {
		res := Parse(text)
		nLines := countLines(text)
		if len(res.Commands) > MaxCommands {
			t.Fatalf("%d commands", len(res.Commands))
		}
		masked := MaskPasswords(text)
		if countLines(masked) != nLines {
			t.Fatalf("masking changed the line count: %q -> %q", text, masked)
		}
		maskedLines := splitAll(masked)
		origLines := splitAll(text)
		for _, c := range res.Commands {
			if c.Line < 1 || c.Line > nLines {
				t.Fatalf("command line %d outside 1..%d", c.Line, nLines)
			}
			if c.Kind != KindReport && (c.BodyLine != c.Line+1 || c.BodyLine+strings.Count(c.Body, "\n") > nLines) {
				t.Fatalf("body lines %d+%d outside the text", c.BodyLine, strings.Count(c.Body, "\n"))
			}
			for _, l := range strings.Split(c.Body, "\n") {
				if strings.EqualFold(l, "#END") {
					t.Fatalf("body holds #END: %q", c.Body)
				}
			}
			if c.Password == "" || c.Game == "" || c.Race == "" || (c.Kind == KindRelay && c.To == "") {
				t.Fatalf("command with an empty argument: %+v", c)
			}
			checkMasked(t, c, origLines[c.Line-1], maskedLines[c.Line-1])
		}
		for _, m := range res.Mistakes {
			if m.Line < 1 || m.Line > nLines || m.Message == "" {
				t.Fatalf("mistake %+v outside 1..%d", m, nLines)
			}
		}
	})
}

// checkMasked makes sure a command's password is gone from its masked
// header line: the password argument reads Mask, and unless the same word
// also stands elsewhere on the line (as game, race, turn or target), the
// password is no whole word of the masked line.
func checkMasked(t *testing.T, c Command, orig, masked string) {
	t.Helper()
	_, rest := firstWord(masked)
	args, err := splitArgs(masked[rest:], rest)
	if err != nil || len(args) < 3 || args[2].text != Mask {
		t.Fatalf("header %q masked as %q", orig, masked)
	}
	_, rest = firstWord(orig)
	origArgs, _ := splitArgs(orig[rest:], rest)
	for i, a := range origArgs {
		if i != 2 && a.text == c.Password {
			return
		}
	}
	for _, a := range args {
		if a.text == c.Password {
			t.Fatalf("password %q left in %q", c.Password, masked)
		}
	}
}

// countLines counts lines the way Parse does.
func countLines(text string) int {
	return len(splitAll(text))
}

func splitAll(text string) []string {
	var out []string
	for i := 0; i < len(text); {
		var l string
		l, i = lineAt(text, i)
		out = append(out, l)
	}
	return out
}
