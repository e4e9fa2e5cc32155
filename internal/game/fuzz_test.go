package game

import (
	"math"
	"testing"
)

// fuzzBase is a small game where orders have something to act on: both races
// have ship types and groups at home, and some cargo in stock.
func fuzzBase(t testing.TB) *Game {
	g, err := New(3, Settings{PlanetsPerRace: 6}, testRaces)
	if err != nil {
		t.Fatal(err)
	}
	st := g.st
	for ri := range st.Races {
		home := homeOf(t, st, ri)
		addType(st, ri, "Drone", 1, 0, 0, 0, 0)
		addType(st, ri, "Gun", 2, 3, 1, 1, 0)
		addType(st, ri, "Hauler", 2, 0, 0, 0, 3)
		addGroup(st, ri, "Drone", 3, home)
		addGroup(st, ri, "Gun", 5, home)
		addGroup(st, ri, "Hauler", 4, home)
		st.Planets[home].COL, st.Planets[home].CAP, st.Planets[home].MAT = 20, 20, 20
	}
	return g
}

// FuzzOrders feeds arbitrary text to the order checker and the turn: nothing
// may panic, every mistake must point at a line of the text (or the line
// after it), and the state must stay encodable.
func FuzzOrders(f *testing.F) {
	for _, s := range []string{
		"",
		"d Drone2 1 0 0 0 0\np 1 Drone2",
		"s 1 2 3\ns 2 4\nl 3 COL\nu 3",
		"@ Beta_Race\nhello\n@\na beta_race\nw Beta_Race",
		"#GALAXY game race pw\nsend 2 5 ; comment\n#END\nignored",
		"r 1 COL 2\nr 1 col\nr 1 EMP 3",
		"g 2 1\nb 1 1\nx 2 2\nj 3 Fleet\ns Fleet 7",
		"n 1 Home\nv 2\ne Drone",
		"d Big 1e6 1000 1e6 1e6 1e6\np 2 Big",
		"d X 1 2147483648 1 1 1\nd Y 1 1 nan 0 0\nd Z inf 0 0 0 0",
		"\r\n\r@\r\n",
	} {
		f.Add(s)
	}
	base := fuzzBase(f)
	f.Fuzz(func(t *testing.T, text string) {
		lines := len(splitLines(text))
		check := func(where string, ms []Mistake) {
			for _, m := range ms {
				if m.Line < 1 || m.Line > lines+1 || m.Message == "" {
					t.Fatalf("%s: bad mistake %+v for %d lines", where, m, lines)
				}
			}
		}
		g := &Game{st: base.st.clone()}
		res, err := g.CheckOrders("a", text)
		if err != nil {
			t.Fatal(err)
		}
		if res.Errors == nil || res.Accepted != (len(res.Errors) == 0) {
			t.Fatalf("check result %+v", res)
		}
		check("check", res.Errors)
		out, err := g.RunTurn(map[string]string{"a": text, "b": text})
		if err != nil {
			t.Fatal(err)
		}
		for id, r := range out.Reports {
			check("turn "+id, r.Data.Mistakes)
		}
		for _, p := range g.st.Planets {
			for _, v := range []float64{p.Pop, p.Ind, p.CAP, p.MAT, p.COL, p.Progress} {
				if math.IsNaN(v) || math.IsInf(v, 0) || v < -1e-6 {
					t.Fatalf("planet %+v has a bad value", p)
				}
			}
		}
		snap, err := g.MarshalSnapshot()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := RestoreSnapshot(snap); err != nil {
			t.Fatal(err)
		}
	})
}
