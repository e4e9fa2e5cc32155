package game

import (
	"slices"
	"strings"
	"testing"
)

var threeRaces = []RaceSpec{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}}

// mustTurn runs a turn that must succeed.
func mustTurn(t *testing.T, g *Game, o map[string]string) *TurnResult {
	t.Helper()
	res, err := g.RunTurn(o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// orders gives a comment as orders to the races listed.
func orders(ids ...string) map[string]string {
	m := map[string]string{}
	for _, id := range ids {
		m[id] = "; here"
	}
	return m
}

func TestIdleRaces(t *testing.T) {
	t.Run("removed after 3 silent turns early in the game", func(t *testing.T) {
		g, _ := New(1, Settings{}, threeRaces)
		for turn := 1; turn <= 3; turn++ {
			res, err := g.RunTurn(orders("a", "b"))
			if err != nil {
				t.Fatal(err)
			}
			if gone := res.Summary.Races[2].Eliminated; gone != (turn == 3) {
				t.Fatalf("turn %d: eliminated %v", turn, gone)
			}
		}
		for _, p := range g.st.Planets {
			if p.Owner == 2 {
				t.Fatal("removed race still owns a planet")
			}
		}
		if !strings.Contains(g.reports["a"].Text, "C was removed") {
			t.Fatal("no bulletin")
		}
	})
	t.Run("allowed 6 silent turns after turn 10", func(t *testing.T) {
		g, _ := New(1, Settings{}, threeRaces)
		for range 10 {
			mustTurn(t, g, orders("a", "b", "c"))
		}
		for i := 1; i <= 6; i++ {
			res, _ := g.RunTurn(orders("a", "b"))
			if gone := res.Summary.Races[2].Eliminated; gone != (i == 6) {
				t.Fatalf("silent turn %d: eliminated %v", i, gone)
			}
		}
	})
	t.Run("the game's own limit wins", func(t *testing.T) {
		g, _ := New(1, Settings{IdleTurnsLimit: 1}, threeRaces)
		res, _ := g.RunTurn(orders("a", "b"))
		if !res.Summary.Races[2].Eliminated {
			t.Fatal("not removed after one silent turn")
		}
	})
}

func TestGameEnd(t *testing.T) {
	t.Run("at max turns the surviving races win, best production first", func(t *testing.T) {
		g, _ := New(1, Settings{MaxTurns: 2}, threeRaces)
		g.st.Planets[homeOf(t, g.st, 1)].Ind = 0 // B falls behind
		mustTurn(t, g, orders("a", "b", "c"))
		if g.Summary().Finished {
			t.Fatal("finished early")
		}
		res := mustTurn(t, g, orders("a", "b", "c"))
		if !res.Summary.Finished || !slices.Equal(res.Summary.Winners, []string{"a", "c", "b"}) &&
			!slices.Equal(res.Summary.Winners, []string{"c", "a", "b"}) {
			t.Fatalf("summary %+v", res.Summary)
		}
		if res.Summary.Races[1].Rank != 3 {
			t.Fatalf("B ranks %d", res.Summary.Races[1].Rank)
		}
		if _, err := g.RunTurn(nil); err == nil {
			t.Fatal("a finished game ran another turn")
		}
	})
	t.Run("ends when one race is left", func(t *testing.T) {
		g, _ := New(1, Settings{}, testRaces)
		for range 3 {
			mustTurn(t, g, orders("a"))
		}
		s := g.Summary()
		if !s.Finished || !slices.Equal(s.Winners, []string{"a"}) {
			t.Fatalf("summary %+v", s)
		}
	})
	t.Run("a race without planets and ships is eliminated", func(t *testing.T) {
		g, _ := New(1, Settings{}, threeRaces)
		for _, p := range g.st.Planets {
			if p.Owner == 1 {
				p.Owner = 0
			}
		}
		res := mustTurn(t, g, orders("a", "b", "c"))
		if !res.Summary.Races[1].Eliminated || res.Summary.Finished {
			t.Fatalf("summary %+v", res.Summary)
		}
		if !strings.Contains(res.Reports["b"].Text, "eliminated") {
			t.Fatal("eliminated race not told")
		}
	})
	t.Run("orders for an unknown race are refused", func(t *testing.T) {
		g, _ := New(1, Settings{}, testRaces)
		if _, err := g.RunTurn(map[string]string{"zz": ""}); err == nil {
			t.Fatal("no error")
		}
		if g.Turn() != 0 {
			t.Fatal("turn ran")
		}
	})
}

func TestGenerationIsFair(t *testing.T) {
	for _, n := range []int{1, 2, 5, 25} {
		g, err := New(int64(n), Settings{Wrap: n == 5}, raceSpecs(n))
		if err != nil {
			t.Fatal(err)
		}
		st := g.st
		if len(st.Planets) != n*DefaultPlanetsPerRace {
			t.Fatalf("%d races: %d planets", n, len(st.Planets))
		}
		for ri := range n {
			own := ownedOf(t, st, ri)
			if len(own) != 3 {
				t.Fatalf("race %d owns %d planets", ri, len(own))
			}
			h := st.Planets[own[0]]
			if h.Pop != 1000 || h.Ind != 1000 || h.Resources != 10 {
				t.Fatalf("home %+v", h)
			}
			sizes := []float64{st.Planets[own[1]].Size, st.Planets[own[2]].Size}
			slices.Sort(sizes)
			if sizes[0] != 250 || sizes[1] != 500 {
				t.Fatalf("developed worlds %v", sizes)
			}
			for _, i := range own[1:] {
				if d := st.dist(own[0], i); d > developedMax+0.01 {
					t.Fatalf("developed world %v away", d)
				}
			}
			var nearSize float64
			for i, p := range st.Planets {
				if d := st.dist(own[0], i); p.Owner == noRace && d >= nearMin-0.01 && d <= nearMax+0.01 {
					nearSize += p.Size
				}
			}
			if nearSize <= 0 {
				t.Fatalf("race %d has no neighbourhood", ri)
			}
			for rj := range ri {
				if d := st.dist(own[0], homeOf(t, st, rj)); d < 2*nearMax {
					t.Fatalf("home worlds %d and %d only %v apart", ri, rj, d)
				}
			}
		}
		for _, p := range st.Planets {
			if p.X < 0 || p.Y < 0 || p.X >= st.Side || p.Y >= st.Side {
				t.Fatalf("planet off the map: %+v", p)
			}
		}
	}
}

// raceSpecs makes n races.
func raceSpecs(n int) []RaceSpec {
	out := make([]RaceSpec, n)
	for i := range out {
		out[i] = RaceSpec{ID: "r" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Name: "Race " + string(rune('A'+i%26)) + string(rune('a'+i/26))}
	}
	return out
}

func TestStandoffBombingLeavesPlanetWithoutOwner(t *testing.T) {
	g, _ := New(1, Settings{}, threeRaces)
	st := g.st
	target := ownedOf(t, st, 2)[1]
	for ri := range 2 { // A and B: weak guns, heavy shields, both at war with everyone
		addType(st, ri, "Wall", 1, 1, 1, 50, 0)
		addGroup(st, ri, "Wall", 3, target)
	}
	res := mustTurn(t, g, orders("a", "b", "c"))
	if len(st.Battles) != 1 || !st.Battles[0].Standoff {
		t.Fatalf("battles %+v", st.Battles)
	}
	if st.Planets[target].Owner != noRace || len(st.Bombings) != 1 || st.Bombings[0].Reason != "standoff" {
		t.Fatalf("owner %d bombings %+v", st.Planets[target].Owner, st.Bombings)
	}
	// The owner had no ships there, yet sees both the battle and the bombing.
	if d := res.Reports["c"].Data; len(d.Battles) != 1 || len(d.Bombings) != 1 {
		t.Fatalf("owner's report: %d battles, %d bombings", len(d.Battles), len(d.Bombings))
	}
}

func TestWrapShortensDistances(t *testing.T) {
	g, _ := New(1, Settings{Wrap: true}, testRaces)
	st := g.st
	side := st.Side
	if d := st.distXY(1, 1, side-1, side-1); !near(d, 2*1.4142135623730951) {
		t.Fatalf("distance across the corner %v", d)
	}
	st.Settings.Wrap = false
	if d := st.distXY(1, 1, side-1, 1); !near(d, side-2) {
		t.Fatalf("distance without wrap %v", d)
	}
}

func TestHyperspacePosition(t *testing.T) {
	g := newTestGame(t)
	st := g.st
	from, to := homeOf(t, st, 0), homeOf(t, st, 1)
	addType(st, 0, "Drone", 1, 0, 0, 0, 0)
	gr := addGroup(st, 0, "Drone", 1, from)
	st.launch(gr, to)
	gr.Dist /= 2
	x, y := st.position(gr)
	a, b := st.Planets[from], st.Planets[to]
	if !near(x, (a.X+b.X)/2) || !near(y, (a.Y+b.Y)/2) {
		t.Fatalf("half way at %v,%v", x, y)
	}
}
