package game

import (
	"strings"
	"testing"
)

// testRaces are the races of the small fixture games.
var testRaces = []RaceSpec{{ID: "a", Name: "Alpha"}, {ID: "b", Name: "Beta Race"}}

// newTestGame returns a fresh two-race game from a fixed seed.
func newTestGame(t testing.TB) *Game {
	t.Helper()
	g, err := New(1, Settings{}, testRaces)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// homeOf returns the index of race ri's home world.
func homeOf(t testing.TB, st *state, ri int) int {
	t.Helper()
	for i, p := range st.Planets {
		if p.Owner == ri && p.Size == homeSize {
			return i
		}
	}
	t.Fatalf("race %d has no home world", ri)
	return -1
}

// ownedOf returns the planets race ri owns, home first.
func ownedOf(t testing.TB, st *state, ri int) []int {
	t.Helper()
	out := []int{homeOf(t, st, ri)}
	for i, p := range st.Planets {
		if p.Owner == ri && i != out[0] {
			out = append(out, i)
		}
	}
	return out
}

// freePlanet returns an unowned planet, the one nearest to planet near.
func freePlanet(t testing.TB, st *state, near int) int {
	t.Helper()
	best, bd := -1, 0.0
	for i, p := range st.Planets {
		if p.Owner != noRace {
			continue
		}
		if d := st.dist(near, i); best < 0 || d < bd {
			best, bd = i, d
		}
	}
	if best < 0 {
		t.Fatal("no free planet")
	}
	return best
}

// addType designs a ship type directly.
func addType(st *state, ri int, name string, d float64, a int, w, s, c float64) *shipType {
	r := st.Races[ri]
	t := &shipType{Name: name, Drive: d, Attacks: a, Weapons: w, Shields: s, Cargo: c}
	r.Types = append(r.Types, t)
	r.indexTypes()
	return t
}

// addGroup puts a group of race ri at planet at, with the race's tech.
func addGroup(st *state, ri int, typ string, ships, at int) *group {
	r := st.Races[ri]
	g := &group{Num: r.nextGroupNum(), Type: typ, Ships: ships, Tech: r.Tech, At: at, typ: r.shipType(typ)}
	r.Groups = append(r.Groups, g)
	return g
}

// run runs one turn with orders for race a (index 0) and race b (index 1).
func run(t testing.TB, g *Game, a, b string) *TurnResult {
	t.Helper()
	// A comment is enough to count as orders, so no race is removed as idle.
	res, err := g.RunTurn(map[string]string{"a": a + "\n; orders", "b": b + "\n; orders"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// mistakes returns the mistakes of race id in the last report.
func mistakes(g *Game, id string) []Mistake { return g.reports[id].Data.Mistakes }

// mustNoMistakes fails on any mistake of race id.
func mustNoMistakes(t testing.TB, g *Game, id string) {
	t.Helper()
	if m := mistakes(g, id); len(m) > 0 {
		t.Fatalf("unexpected mistakes: %+v", m)
	}
}

// mustMistake fails unless race id has a mistake on line containing want.
func mustMistake(t testing.TB, g *Game, id string, line int, want string) {
	t.Helper()
	for _, m := range mistakes(g, id) {
		if m.Line == line && strings.Contains(m.Message, want) {
			return
		}
	}
	t.Fatalf("no mistake on line %d containing %q; got %+v", line, want, mistakes(g, id))
}

// near reports whether two floats agree to 1e-9.
func near(a, b float64) bool {
	d := a - b
	return d < 1e-9 && d > -1e-9
}

// pname is the order form of planet i's name.
func pname(st *state, i int) string { return displayName(st.Planets[i].Name) }

// groupOfType returns race ri's only group of ship type typ: group numbers
// change at the end of every turn (sortGroups), types do not.
func groupOfType(t testing.TB, st *state, ri int, typ string) *group {
	t.Helper()
	var found *group
	for _, g := range st.Races[ri].Groups {
		if g.Type == typ && g.Ships > 0 {
			if found != nil {
				t.Fatalf("race %d has more than one %s group", ri, typ)
			}
			found = g
		}
	}
	if found == nil {
		t.Fatalf("race %d has no %s group", ri, typ)
	}
	return found
}
