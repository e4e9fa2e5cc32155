package game

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

func TestDisplayWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"Black_Hole", 10},
		{"銀河帝国", 8},
		{"帝国_Ａ1", 8},      // full-width letter: 2
		{"Straße", 6},     // narrow non-ASCII: 1
		{"Cafe\u0301", 4}, // combining accent: 0
		{"a\u200db", 2},   // zero-width joiner: 0
		{"한국", 4},
		{"🚀", 2},
	} {
		if got := displayWidth([]byte(c.s)); got != c.want {
			t.Errorf("displayWidth(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

// columns returns the display-column spans [start, end) of the blank-
// separated cells of line, counting Han characters as two columns like a
// terminal does (independently of displayWidth).
func columns(line string) [][2]int {
	var spans [][2]int
	col, start := 0, -1
	for _, r := range line + " " {
		w := 1
		if unicode.Is(unicode.Han, r) {
			w = 2
		}
		switch {
		case r == ' ' && start >= 0:
			spans = append(spans, [2]int{start, col})
			start = -1
		case r != ' ' && start < 0:
			start = col
		}
		col += w
	}
	return spans
}

// tableLines returns the header and rows of the table under heading title.
func tableLines(t *testing.T, text, title string) []string {
	t.Helper()
	_, after, ok := strings.Cut(text, "\t\t"+title+"\n\n")
	if !ok {
		t.Fatalf("no %q section in:\n%s", title, text)
	}
	table, _, _ := strings.Cut(after, "\n\n")
	return strings.Split(strings.TrimRight(table, "\n"), "\n")
}

// mustAlign fails unless every column of the table under title starts (left-
// aligned) or ends (right-aligned) at the same display column on every line.
func mustAlign(t *testing.T, text, title string) {
	t.Helper()
	lines := tableLines(t, text, title)
	if len(lines) < 2 {
		t.Fatalf("%s: no rows:\n%s", title, text)
	}
	head := columns(lines[0])
	for _, l := range lines[1:] {
		row := columns(l)
		if len(row) != len(head) {
			t.Fatalf("%s: %d cells in %q, %d in the header", title, len(row), l, len(head))
		}
		for i := range head {
			if row[i][0] != head[i][0] && row[i][1] != head[i][1] {
				t.Errorf("%s: column %d of %q spans %v, the header's %v:\n%s",
					title, i, l, row[i], head[i], strings.Join(lines, "\n"))
			}
		}
	}
}

func TestWideNamesKeepColumnsAligned(t *testing.T) {
	g, err := New(1, Settings{}, []RaceSpec{{ID: "a", Name: "銀河帝国"}, {ID: "b", Name: "Beta"}})
	if err != nil {
		t.Fatal(err)
	}
	home := homeOf(t, g.st, 0)
	addType(g.st, 0, "戦艦", 4, 2, 2, 3, 0)
	addGroup(g.st, 0, "戦艦", 10, home)
	orders := fmt.Sprintf("n %s 東京\nd 輸送船 2 0 0 0 1\np %s 輸送船", pname(g.st, home), pname(g.st, home))
	run(t, g, orders, "")
	mustNoMistakes(t, g, "a")

	report := g.reports["a"].Text
	if !strings.Contains(report, "東京") || !strings.Contains(report, "戦艦") {
		t.Fatalf("the report lacks the wide names:\n%s", report)
	}
	for _, title := range []string{"Status of Players (total 2)", "Your Ship Types", "Your Planets",
		"Ships In Production", "Your Groups"} {
		mustAlign(t, report, title)
	}

	// Beta sees 銀河帝国's battleship at its home, and its player's wide
	// real name.
	addGroup(g.st, 0, "戦艦", 1, homeOf(t, g.st, 1))
	run(t, g, "= 山田 太郎\no no anonymous\na Beta", "a 銀河帝国")
	beta := g.reports["b"].Text
	for _, title := range []string{"Real Names", "銀河帝国 Ship Types", "Other Groups"} {
		mustAlign(t, beta, title)
	}

	check, err := g.CheckOrders("a", "p 東京 戦艦")
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Your Ship Types", "Your Planets", "Ships In Production", "Your Groups"} {
		mustAlign(t, check.Forecast, title)
	}
}
