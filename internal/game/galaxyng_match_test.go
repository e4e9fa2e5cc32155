package game

// Tests of the rules the engine takes from GalaxyNG's code: what unloading,
// removal of a race, arrival, routes, leaving an unfinished ship, upgrades,
// scrapping and the tech of new groups do there (Source/phase.c,
// Source/process.c, lib/util.c).

import (
	"fmt"
	"testing"
)

// Source/phase.c unloadcap and unloadcol: CAP and COL that land turn into
// industry and population at once.
func TestDeliver(t *testing.T) {
	colony := func() (*state, *planet) {
		st := newGoldenState(false)
		p := st.Planets[gBland] // size 500
		p.Pop, p.Ind, p.CAP = 100, 50, 30
		return st, p
	}
	t.Run("CAP becomes industry up to the population, the rest stays in stock", func(t *testing.T) {
		st, p := colony()
		deliver(st, 0, p, cargoCAP, 80)
		if p.Ind != 100 || p.CAP != 60 {
			t.Fatalf("industry %v CAP %v, want 100 and 60", p.Ind, p.CAP)
		}
	})
	t.Run("COL becomes population and the CAP stock grows into the new room", func(t *testing.T) {
		st, p := colony()
		deliver(st, 0, p, cargoCOL, 10)
		if p.Pop != 180 || p.Ind != 80 || p.CAP != 0 || p.COL != 0 {
			t.Fatalf("planet %+v, want population 180, industry 80, no CAP or COL", p)
		}
	})
	t.Run("COL beyond the planet's size stays as COL", func(t *testing.T) {
		st, p := colony()
		deliver(st, 0, p, cargoCOL, 60) // 480 population for 400 of room
		if p.Pop != 500 || p.COL != 10 || p.Ind != 80 {
			t.Fatalf("planet %+v, want population 500, COL 10, industry 80", p)
		}
	})
	t.Run("MAT only fills the stockpile", func(t *testing.T) {
		st, p := colony()
		deliver(st, 0, p, cargoMAT, 7)
		if p.MAT != 7 || p.Ind != 50 || p.CAP != 30 {
			t.Fatalf("planet %+v", p)
		}
	})
	t.Run("unloaded CAP works in the same turn", func(t *testing.T) {
		st := newGoldenState(false)
		withTypes(st, 0, "Hauler")
		loaded(addGroup(st, 0, "Hauler", 5, gBland), cargoCAP, 10)
		st.Planets[gBland].Ind = 200
		g := goldenGame(t, st)
		runGolden(t, g, map[string]string{"a": "u 1"})
		// After production (population 270): room for 70, so all 50 CAP.
		if p := st.Planets[gBland]; p.Ind != 250 || p.CAP != 0 {
			t.Fatalf("industry %v CAP %v, want 250 and 0", p.Ind, p.CAP)
		}
	})
}

// Source/process.c removeDeadPlayer: a race that is gone leaves its planets
// empty, with only size and resources.
func TestDroppedRaceLeavesEmptyPlanets(t *testing.T) {
	check := func(t *testing.T, st *state, planets []int) {
		t.Helper()
		for _, i := range planets {
			p := st.Planets[i]
			if p.Owner != noRace || p.Pop != 0 || p.Ind != 0 || p.CAP != 0 || p.MAT != 0 || p.COL != 0 ||
				p.Prod != prodCAP || p.ShipType != "" || p.Progress != 0 || p.Size <= 0 || p.Resources <= 0 {
				t.Fatalf("planet %+v is not emptied", p)
			}
		}
	}
	t.Run("after q", func(t *testing.T) {
		g := newTestGame(t)
		st := g.st
		own := ownedOf(t, st, 0)
		for _, i := range own {
			st.Planets[i].CAP, st.Planets[i].MAT, st.Planets[i].COL = 5, 6, 7
		}
		run(t, g, "q Alpha", "")
		check(t, st, own)
		if len(st.Races[0].Routes) != 0 || len(st.Races[0].Groups) != 0 {
			t.Fatalf("race %+v keeps groups or routes", st.Races[0])
		}
	})
	t.Run("after too many turns without orders", func(t *testing.T) {
		g, _ := New(1, Settings{IdleTurnsLimit: 1}, threeRaces)
		own := ownedOf(t, g.st, 2)
		g.st.Planets[own[0]].MAT = 100
		mustTurn(t, g, orders("a", "b"))
		if g.st.Races[2].active() {
			t.Fatal("silent race not removed")
		}
		check(t, g.st, own)
	})
}

// Source/phase.c movephase: a group arrives when less than 0.01 light
// years would be left.
func TestArrivalMargin(t *testing.T) {
	for _, c := range []struct {
		extra  float64
		arrive bool
	}{{0, true}, {0.005, true}, {0.0099, true}, {0.0101, false}, {0.5, false}} {
		t.Run(fmt.Sprint(c.extra), func(t *testing.T) {
			st := newGoldenState(false)
			withTypes(st, 0, "Fighter") // speed 10
			g := addGroup(st, 0, "Fighter", 1, gAland)
			st.launch(g, gBland)
			g.Dist = 10 + c.extra
			arrived := movePhase(st, -1)
			if got := g.At == gBland; got != c.arrive || arrived[gBland] != c.arrive {
				t.Fatalf("%.4f ly for speed 10: arrived %v, want %v (%+v)", g.Dist, got, c.arrive, g)
			}
			if !c.arrive && !near(g.Dist, c.extra) {
				t.Fatalf("%v ly left, want %v", g.Dist, c.extra)
			}
		})
	}
}

// Source/phase.c loadphase and unloadphase: routes load ship by ship, send
// what carries the route's cargo, and unload it at the route's end.
func TestRoutesAsGalaxyNG(t *testing.T) {
	// Alpha's Barges (drive 10, hold 5: capacity 5 × 1.5 = 7.5, empty speed
	// 20 × 10 / 15 = 13.3) and a COL route from Aland to Bland (50 ly).
	setup := func(t *testing.T) *state {
		st := newGoldenState(false)
		addType(st, 0, "Barge", 10, 0, 0, 0, 5)
		st.Races[0].Routes = []route{{From: gAland, Cargo: cargoCOL, To: gBland}}
		return st
	}
	t.Run("only the ships that get cargo leave", func(t *testing.T) {
		st := setup(t)
		g := addGroup(st, 0, "Barge", 10, gAland)
		st.Planets[gAland].COL = 15 // two ships' worth: 7.5 each
		routePhase(st, -1)
		if !g.inSpace() || g.Ships != 2 || g.Cargo != cargoCOL || g.Load != 7.5 || st.Planets[gAland].COL != 0 {
			t.Fatalf("route group %+v, COL left %v", g, st.Planets[gAland].COL)
		}
		stay := st.Races[0].Groups[1]
		if stay.inSpace() || stay.Ships != 8 || stay.Cargo != cargoNone || stay.Load != 0 {
			t.Fatalf("group left behind %+v", stay)
		}
	})
	t.Run("a part-filled ship leaves with what there is", func(t *testing.T) {
		st := setup(t)
		g := addGroup(st, 0, "Barge", 10, gAland)
		st.Planets[gAland].COL = 9
		routePhase(st, -1)
		if !g.inSpace() || g.Ships != 2 || g.Load != 4.5 || st.Races[0].Groups[1].Ships != 8 {
			t.Fatalf("groups %+v %+v", g, st.Races[0].Groups[1])
		}
	})
	t.Run("without cargo in stock nobody leaves", func(t *testing.T) {
		st := setup(t)
		g := addGroup(st, 0, "Barge", 10, gAland)
		routePhase(st, -1)
		if g.inSpace() || len(st.Races[0].Groups) != 1 {
			t.Fatalf("groups %+v", st.Races[0].Groups)
		}
	})
	t.Run("groups already carrying the route's cargo leave, others stay", func(t *testing.T) {
		st := setup(t)
		col := loaded(addGroup(st, 0, "Barge", 3, gAland), cargoCOL, 2)
		mat := loaded(addGroup(st, 0, "Barge", 3, gAland), cargoMAT, 2)
		routePhase(st, -1)
		if !col.inSpace() || col.Load != 2 || mat.inSpace() {
			t.Fatalf("COL group %+v, MAT group %+v", col, mat)
		}
	})
	t.Run("cargo arriving at the route's end is unloaded, whoever sent it", func(t *testing.T) {
		st := setup(t)
		col := loaded(addGroup(st, 0, "Barge", 2, gBland), cargoCOL, 5)
		mat := loaded(addGroup(st, 0, "Barge", 2, gBland), cargoMAT, 5)
		unloadPhase(st, make([]*orderSet, len(st.Races)), newRNG(1, 1))
		if col.Load != 0 || col.Cargo != cargoNone || st.Planets[gBland].Pop != 250+10*colonistsPerCOL {
			t.Fatalf("COL group %+v, Bland %+v", col, st.Planets[gBland])
		}
		if mat.Load != 5 {
			t.Fatalf("MAT group unloaded: %+v", mat)
		}
	})
	t.Run("a route ship keeps its cargo where the route no longer ends", func(t *testing.T) {
		st := setup(t)
		addGroup(st, 0, "Barge", 1, gAland)
		st.Planets[gAland].COL = 5
		game := goldenGame(t, st)
		runGolden(t, game, nil)
		// The turn replaces the groups: find them again.
		if g := st.Races[0].Groups[0]; !g.inSpace() || g.Load != 5 {
			t.Fatalf("group %+v did not leave loaded", g)
		}
		st.Races[0].Groups[0].Dist = 1 // arrives next turn, after the route has moved
		runGolden(t, game, map[string]string{"a": "r Aland COL Free"})
		if g := st.Races[0].Groups[0]; g.At != gBland || g.Load != 5 || g.Cargo != cargoCOL {
			t.Fatalf("group %+v", g)
		}
	})
	t.Run("turn after turn until the colonists land", func(t *testing.T) {
		st := setup(t)
		addGroup(st, 0, "Barge", 10, gAland)
		aland := st.Planets[gAland]
		aland.Pop, aland.Ind, aland.COL = 500, 500, 7.5 // no new COL for a while
		game := goldenGame(t, st)
		// One Barge leaves with 7.5 COL: 20 × 10 / (15 + 7.5) = 8.89 ly a
		// turn, 50 ly in 6 turns; the other 9 wait for more COL.
		for range 5 {
			runGolden(t, game, nil)
		}
		// sortGroups: the 9 at Aland are group 1, the one on its way 2.
		if gs := st.Races[0].Groups; len(gs) != 2 || gs[0].At != gAland || gs[0].Ships != 9 || gs[0].Load != 0 ||
			!gs[1].inSpace() || gs[1].Ships != 1 || gs[1].Load != 7.5 {
			t.Fatalf("groups %+v", gs)
		}
		pop := st.Planets[gBland].Pop
		runGolden(t, game, nil)
		if g := st.Races[0].Groups[1]; g.At != gBland || g.Load != 0 || !near(st.Planets[gBland].Pop, pop*1.08+7.5*colonistsPerCOL) {
			t.Fatalf("group %+v, Bland %+v", g, st.Planets[gBland])
		}
	})
}

// lib/util.c setproduction: leaving an unfinished ship gives back its MAT
// share.
func TestAbandonShip(t *testing.T) {
	setup := func() (*state, *planet) {
		st := newGoldenState(false)
		withTypes(st, 0, "Fighter", "Scout")
		p := st.Planets[gAland] // resources 10
		p.Prod, p.ShipType, p.Progress, p.MAT = prodShip, "Fighter", 50, 4
		return st, p
	}
	t.Run("mass × progress / cost, the cost counting the MAT to mine", func(t *testing.T) {
		st, p := setup()
		abandonShip(p, st.Races[0])
		// cost 10 × 10 + (10 − 4) / 10 = 100.6
		if want := 4 + 10*50/100.6; !near(p.MAT, want) {
			t.Fatalf("MAT %v, want %v", p.MAT, want)
		}
	})
	for _, c := range []struct {
		order, want string
		back        float64
	}{
		// With 100 MAT in stock the Fighter costs 100: 10 × 50/100 = 5.
		{"p Aland CAP", "CAP", 5},
		{"p Aland Scout", "Scout", 5},
		{"p Aland Fighter", "Fighter", 0},
		{"p Aland Fighter\np Aland MAT\np Aland Scout", "Scout", 5},
	} {
		t.Run(c.order, func(t *testing.T) {
			st, p := setup()
			p.MAT = 100
			applyOrders(st, 0, c.order)
			if m := st.Races[0].Events.Mistakes; len(m) > 0 {
				t.Fatalf("mistakes %+v", m)
			}
			if got := p.MAT - 100; !near(got, c.back) {
				t.Fatalf("%v MAT back, want %v", got, c.back)
			}
			what := p.ShipType
			if p.Prod != prodShip {
				what = p.Prod.String()
			}
			if wantProgress := map[bool]float64{true: 50, false: 0}[c.back == 0]; what != c.want || p.Progress != wantProgress {
				t.Fatalf("producing %s with progress %v, want %s with %v", what, p.Progress, c.want, wantProgress)
			}
		})
	}
}

// Source/process.c x_order: scrapped ships leave their mass and cargo at
// any planet, but colonists are not dropped on another race's planet.
func TestScrapAnywhere(t *testing.T) {
	t.Run("over another race's planet", func(t *testing.T) {
		st := newGoldenState(false)
		withTypes(st, 0, "Hauler")
		loaded(addGroup(st, 0, "Hauler", 3, gBmoon), cargoCAP, 10)
		st.Planets[gBmoon].Ind = 200 // population 250: room for 50
		g := goldenGame(t, st)
		runGolden(t, g, map[string]string{"a": "x 1 2"})
		mustNoMistakes(t, g, "a")
		p := st.Planets[gBmoon]
		// 20 CAP become industry at once (220); then Bmoon's production,
		// 220 × 0.75 + 250 × 0.25 = 227.5, makes 455 MAT besides the 20 of
		// the two Haulers' mass; growth to 270 turns no CAP (none left).
		if p.Ind != 220 || p.CAP != 0 || !near(p.MAT, 20+227.5*2) {
			t.Fatalf("Bmoon %+v", p)
		}
	})
	t.Run("colonists over another race's planet", func(t *testing.T) {
		st := newGoldenState(false)
		withTypes(st, 0, "Hauler")
		loaded(addGroup(st, 0, "Hauler", 2, gBmoon), cargoCOL, 5)
		g := goldenGame(t, st)
		runGolden(t, g, map[string]string{"a": "x 1"})
		mustMistake(t, g, "a", 1, "carries colonists")
		if gr := st.Races[0].Groups[0]; gr.Ships != 2 || st.Planets[gBmoon].MAT != 500 {
			t.Fatalf("group %+v, Bmoon %+v", st.Races[0].Groups[0], st.Planets[gBmoon])
		}
	})
	t.Run("colonists over a free planet colonise it", func(t *testing.T) {
		st := newGoldenState(false)
		withTypes(st, 0, "Hauler")
		loaded(addGroup(st, 0, "Hauler", 2, gFree), cargoCOL, 5)
		g := goldenGame(t, st)
		runGolden(t, g, map[string]string{"a": "x 1"})
		mustNoMistakes(t, g, "a")
		// 80 population and 20 MAT at once, so Free is Alpha's for
		// production: 80 × 0.25 = 20 makes 4 CAP from 4 MAT, growth to
		// 86.4 turns them into industry.
		p := st.Planets[gFree]
		if p.Owner != 0 || !near(p.Pop, 86.4) || !near(p.MAT, 16) || !near(p.Ind, 4) || p.CAP != 0 {
			t.Fatalf("Free %+v", p)
		}
	})
}

// Source/phase.c cktech, joinphase: groups built or upgraded at tech that
// agrees to two decimals, and groups from before, merge.
func TestNewGroupsMerge(t *testing.T) {
	st := newGoldenState(false)
	withTypes(st, 0, "Fighter")
	old := addGroup(st, 0, "Fighter", 3, gAland)
	old.Tech = [numTech]float64{1.1, 1, 1, 1.3} // from before cktech
	st.Races[0].Tech = [numTech]float64{1.1004, 1, 1, 1.5}
	st.Planets[gAland].Prod, st.Planets[gAland].ShipType = prodShip, "Fighter"
	g := goldenGame(t, st)
	runGolden(t, g, nil)
	gs := st.Races[0].Groups
	if len(gs) != 1 || gs[0].Ships != 3+9 || gs[0].Tech != [numTech]float64{1.1, 1, 1, 0} {
		t.Fatalf("groups %+v", gs)
	}
}
