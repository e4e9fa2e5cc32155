package game

import (
	"fmt"
	"strings"
	"testing"
)

func TestDesignOrder(t *testing.T) {
	cases := []struct {
		name    string
		order   string
		mistake string // "" = accepted
	}{
		{"creates a ship type", "d Fighter 4 2 2 3 0", ""},
		{"accepts fractional masses from 1", "d Hauler 1.5 0 0 0 2.25", ""},
		{"accepts the long word", "design Drone 1 0 0 0 0", ""},
		{"rejects a mass between 0 and 1", "d Bad 0.5 0 0 0 0", "must be 0 or at least 1"},
		{"rejects weapons without attacks", "d Bad 1 0 2 0 0", "need at least one attack"},
		{"rejects attacks without weapons", "d Bad 1 2 0 0 0", "needs weapons"},
		{"rejects fractional attacks", "d Bad 1 1.5 1 0 0", "whole number"},
		{"rejects a negative mass", "d Bad -1 0 0 0 0", "not a number"},
		{"rejects no mass at all", "d Bad 0 0 0 0 0", "needs some mass"},
		{"rejects missing values", "d Bad 1 0 0", "expected d <name>"},
		{"rejects reserved names", "d Cargo 1 0 0 0 1", "reserved"},
		{"rejects bad characters", "d Bad! 1 0 0 0 0", "bad ship type name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := newTestGame(t)
			run(t, g, c.order, "")
			if c.mistake == "" {
				mustNoMistakes(t, g, "a")
				if len(g.st.Races[0].Types) != 1 {
					t.Fatal("type not created")
				}
				return
			}
			mustMistake(t, g, "a", 1, c.mistake)
			if len(g.st.Races[0].Types) != 0 {
				t.Fatal("type created despite mistake")
			}
		})
	}
	t.Run("rejects a duplicate name in any case", func(t *testing.T) {
		g := newTestGame(t)
		run(t, g, "d Drone 1 0 0 0 0\nd DRONE 2 0 0 0 0", "")
		mustMistake(t, g, "a", 2, "already have a ship type")
	})
}

func TestProductionOrder(t *testing.T) {
	g := newTestGame(t)
	st := g.st
	home, foreign := homeOf(t, st, 0), homeOf(t, st, 1)
	h, f := pname(st, home), pname(st, foreign)
	t.Run("sets research and CAP", func(t *testing.T) {
		run(t, g, fmt.Sprintf("p %s weapons\np %s cap", h, pname(st, ownedOf(t, st, 0)[1])), "")
		mustNoMistakes(t, g, "a")
		if st.Planets[home].Prod != prodWeapons || st.Planets[ownedOf(t, st, 0)[1]].Prod != prodCAP {
			t.Fatal("production not set")
		}
	})
	t.Run("builds a designed type and keeps its progress", func(t *testing.T) {
		run(t, g, fmt.Sprintf("d Big 50 0 0 0 0\np %s Big", h), "")
		mustNoMistakes(t, g, "a")
		p := st.Planets[home]
		if p.Prod != prodShip || p.ShipType != "Big" {
			t.Fatalf("production %v %q", p.Prod, p.ShipType)
		}
		prog := p.Progress // 1000 of 505 per ship: one built, 495 carried
		if !near(prog, 495) {
			t.Fatalf("progress %v, want 495", prog)
		}
		run(t, g, fmt.Sprintf("p %s big", h), "")
		if st.Planets[home].Progress == 0 {
			t.Fatal("progress lost although production did not change")
		}
	})
	t.Run("changing production loses progress", func(t *testing.T) {
		run(t, g, fmt.Sprintf("p %s MAT", h), "")
		if st.Planets[home].Progress != 0 {
			t.Fatal("progress kept")
		}
	})
	mistakes := []struct{ name, order, want string }{
		{"rejects an unknown type", fmt.Sprintf("p %s Nothing", h), "neither CAP"},
		{"rejects a planet of another race", fmt.Sprintf("p %s CAP", f), "is not yours"},
		{"rejects an unknown planet", "p Nowhere CAP", "no planet"},
		{"rejects missing words", "p " + h, "expected p"},
	}
	for _, c := range mistakes {
		t.Run(c.name, func(t *testing.T) {
			run(t, g, c.order, "")
			mustMistake(t, g, "a", 1, c.want)
		})
	}
}

func TestSendOrder(t *testing.T) {
	setup := func(t *testing.T) (*Game, int, int) {
		g := newTestGame(t)
		home := homeOf(t, g.st, 0)
		addType(g.st, 0, "Scout", 2, 0, 0, 0, 0) // speed 40
		addType(g.st, 0, "Rock", 0, 0, 0, 1, 0)
		addGroup(g.st, 0, "Scout", 5, home)
		addGroup(g.st, 0, "Rock", 1, home)
		return g, home, freePlanet(t, g.st, home)
	}
	t.Run("sends the whole group and arrives when fast enough", func(t *testing.T) {
		g, _, to := setup(t)
		run(t, g, "s 1 "+pname(g.st, to), "")
		mustNoMistakes(t, g, "a")
		gr := groupOfType(t, g.st, 0, "Scout")
		if gr.At != to || gr.Ships != 5 {
			t.Fatalf("group at %d with %d ships, want at %d", gr.At, gr.Ships, to)
		}
	})
	t.Run("sends part of a group", func(t *testing.T) {
		g, home, to := setup(t)
		run(t, g, "send 1 "+pname(g.st, to)+" 2", "")
		mustNoMistakes(t, g, "a")
		var at, there int
		for _, gr := range g.st.Races[0].Groups {
			if gr.Type != "Scout" {
				continue
			}
			switch gr.At {
			case home:
				at += gr.Ships
			case to:
				there += gr.Ships
			}
		}
		if at != 3 || there != 2 {
			t.Fatalf("%d stayed and %d arrived, want 3 and 2", at, there)
		}
	})
	t.Run("travels for several turns when far", func(t *testing.T) {
		g, _, _ := setup(t)
		far := homeOf(t, g.st, 1)
		g.st.Races[0].Groups[0].Tech[techDrive] = 0.5 // speed 10
		run(t, g, "s 1 #"+fmt.Sprint(far+1), "")
		mustNoMistakes(t, g, "a")
		gr := groupOfType(t, g.st, 0, "Scout")
		want := g.st.dist(homeOf(t, g.st, 0), far) - 10
		if !gr.inSpace() || !near(gr.Dist, want) || gr.To != far {
			t.Fatalf("group %+v, want %v light years left", gr, want)
		}
		run(t, g, fmt.Sprintf("s %d %s", gr.Num, pname(g.st, homeOf(t, g.st, 0))), "")
		mustMistake(t, g, "a", 1, "hyperspace")
	})
	for _, c := range []struct{ name, order, want string }{
		{"rejects an unknown group", "s 9 %s", "no group 9"},
		{"rejects a group without drive", "s 2 %s", "no drive"},
		{"rejects more ships than the group has", "s 1 %s 6", "only 5 ships"},
		{"rejects a zero count", "s 1 %s 0", "not a number of ships"},
		{"rejects an unknown fleet", "s Armada %s", "neither a group number nor one of your fleets"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, _, to := setup(t)
			run(t, g, fmt.Sprintf(c.order, pname(g.st, to)), "")
			mustMistake(t, g, "a", 1, c.want)
		})
	}
	t.Run("rejects the planet it is at", func(t *testing.T) {
		g, home, _ := setup(t)
		run(t, g, "s 1 "+pname(g.st, home), "")
		mustMistake(t, g, "a", 1, "already at planet")
	})
	t.Run("rejects an unknown planet", func(t *testing.T) {
		g, _, _ := setup(t)
		run(t, g, "s 1 Atlantis", "")
		mustMistake(t, g, "a", 1, `no planet "Atlantis"`)
	})
}

func TestCargoOrders(t *testing.T) {
	setup := func(t *testing.T) (*Game, int, int) {
		g := newTestGame(t)
		st := g.st
		home := homeOf(t, st, 0)
		addType(st, 0, "Hauler", 4, 0, 0, 0, 4) // capacity 5.6
		addType(st, 0, "Scout", 1, 0, 0, 0, 0)
		addGroup(st, 0, "Hauler", 2, home)
		addGroup(st, 0, "Scout", 1, home)
		st.Planets[home].COL = 7
		st.Planets[home].CAP = 100
		return g, home, freePlanet(t, st, home)
	}
	t.Run("loads COL evenly and unloads it on arrival to colonise", func(t *testing.T) {
		g, home, to := setup(t)
		st := g.st
		st.Races[0].Tech[techDrive] = 10 // arrive at once
		st.Races[0].Groups[0].Tech[techDrive] = 10
		run(t, g, "l 1 COL\ns 1 "+pname(st, to)+"\nu 1", "")
		mustNoMistakes(t, g, "a")
		p := st.Planets[to]
		if p.Owner != 0 {
			t.Fatalf("planet not colonised: owner %d", p.Owner)
		}
		// 7 COL = 56 population, then a turn of growth does not apply to
		// planets colonised after production.
		if !near(p.Pop, 56) {
			t.Fatalf("population %v, want 56", p.Pop)
		}
		if st.Planets[home].COL < 10 || st.Planets[home].COL > 10.01 {
			t.Fatalf("home COL %v: 7 loaded then 10 grown", st.Planets[home].COL)
		}
	})
	t.Run("loads at most the capacity", func(t *testing.T) {
		g, home, _ := setup(t)
		run(t, g, "l 1 CAP", "")
		mustNoMistakes(t, g, "a")
		gr := g.st.Races[0].Groups[0]
		if gr.Cargo != cargoCAP || !near(gr.Load, 5.6) {
			t.Fatalf("cargo %v load %v", gr.Cargo, gr.Load)
		}
		_ = home
	})
	t.Run("loads part of a group", func(t *testing.T) {
		g, _, _ := setup(t)
		run(t, g, "l 1 COL 1", "")
		mustNoMistakes(t, g, "a")
		var loaded int
		for _, gr := range g.st.Races[0].Groups {
			if gr.Cargo == cargoCOL {
				loaded += gr.Ships
				if !near(gr.Load, 5.6) {
					t.Fatalf("load %v", gr.Load)
				}
			}
		}
		if loaded != 1 {
			t.Fatalf("%d ships loaded, want 1", loaded)
		}
	})
	t.Run("unloads at an own planet into the stockpile", func(t *testing.T) {
		g, home, _ := setup(t)
		run(t, g, "l 1 CAP", "")
		capBefore := g.st.Planets[home].CAP
		run(t, g, "u 1", "")
		mustNoMistakes(t, g, "a")
		if !near(g.st.Planets[home].CAP, capBefore+11.2) && g.st.Planets[home].Ind < g.st.Planets[home].Pop {
			t.Fatalf("CAP %v", g.st.Planets[home].CAP)
		}
		if g.st.Races[0].Groups[0].Cargo != cargoNone {
			t.Fatal("still loaded")
		}
	})
	for _, c := range []struct{ name, order, want string }{
		{"rejects a ship without hold", "l 2 COL", "no cargo hold"},
		{"rejects an unknown cargo", "l 1 GOLD", "not a cargo"},
		{"reports an empty stockpile", "l 1 MAT", "no MAT to load"},
		{"rejects unloading an empty group", "u 1", "carries no cargo"},
		{"rejects unloading a ship without hold", "u 2", "no cargo hold"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, _, _ := setup(t)
			run(t, g, c.order, "")
			mustMistake(t, g, "a", 1, c.want)
		})
	}
	t.Run("rejects loading other cargo", func(t *testing.T) {
		g, _, _ := setup(t)
		run(t, g, "l 1 CAP", "")
		run(t, g, "l 1 COL", "")
		mustMistake(t, g, "a", 1, "already carries CAP")
	})
	t.Run("rejects loading away from own planets", func(t *testing.T) {
		g, _, to := setup(t)
		g.st.Races[0].Groups[0].At = to
		run(t, g, "l 1 COL", "")
		mustMistake(t, g, "a", 1, "not at one of your planets")
	})
	t.Run("rejects unloading at another race's planet", func(t *testing.T) {
		g, _, _ := setup(t)
		run(t, g, "l 1 COL", "")
		g.st.Races[0].Groups[0].At = homeOf(t, g.st, 1)
		g.st.Races[1].Peace[0] = true // no battle
		run(t, g, "u 1", "a Alpha")
		mustMistake(t, g, "a", 1, "belongs to Beta_Race")
	})
}

func TestBreakScrapAndRename(t *testing.T) {
	setup := func(t *testing.T) (*Game, int) {
		g := newTestGame(t)
		home := homeOf(t, g.st, 0)
		addType(g.st, 0, "Fighter", 4, 2, 2, 3, 0)
		addGroup(g.st, 0, "Fighter", 10, home)
		return g, home
	}
	t.Run("break makes a new group usable by later orders", func(t *testing.T) {
		g, home := setup(t)
		to := freePlanet(t, g.st, home)
		run(t, g, "b 1 4\ns 2 "+pname(g.st, to), "")
		mustNoMistakes(t, g, "a")
		r := g.st.Races[0]
		if len(r.Groups) != 2 || r.Groups[0].Ships != 6 || r.Groups[1].Ships != 4 || r.Groups[1].At == home {
			t.Fatalf("groups %+v %+v", r.Groups[0], r.Groups[1])
		}
	})
	t.Run("break rejects all ships", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, "b 1 10", "")
		mustMistake(t, g, "a", 1, "leave nothing")
	})
	t.Run("scrap at an own planet returns MAT", func(t *testing.T) {
		g, home := setup(t)
		g.st.Planets[home].Prod = prodWeapons // MAT stays untouched
		run(t, g, "x 1 3", "")
		mustNoMistakes(t, g, "a")
		if g.st.Races[0].Groups[0].Ships != 7 || !near(g.st.Planets[home].MAT, 30) {
			t.Fatalf("ships %d MAT %v", g.st.Races[0].Groups[0].Ships, g.st.Planets[home].MAT)
		}
	})
	t.Run("rename gives a planet a new name for next turn's orders", func(t *testing.T) {
		g, home := setup(t)
		// As in GalaxyNG, n runs after the turn's other orders (phase 2):
		// this turn's orders still use the old name.
		old := pname(g.st, home)
		run(t, g, fmt.Sprintf("n %s New_Home\np %s MAT\np new_home CAP", old, old), "")
		mustMistake(t, g, "a", 3, `no planet "new_home"`)
		if g.st.Planets[home].Name != "New_Home" || g.st.Planets[home].Prod != prodMAT {
			t.Fatalf("planet %+v", g.st.Planets[home])
		}
		run(t, g, "p new_home CAP", "")
		mustNoMistakes(t, g, "a")
		if g.st.Planets[home].Prod != prodCAP {
			t.Fatalf("planet %+v", g.st.Planets[home])
		}
	})
	t.Run("rename rejects a taken name", func(t *testing.T) {
		g, home := setup(t)
		other := pname(g.st, homeOf(t, g.st, 1))
		run(t, g, fmt.Sprintf("n %s %s", pname(g.st, home), other), "")
		mustMistake(t, g, "a", 1, "already called")
	})
	t.Run("rename rejects another race's planet", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, fmt.Sprintf("n %s Mine", pname(g.st, homeOf(t, g.st, 1))), "")
		mustMistake(t, g, "a", 1, "not yours")
	})
}

func TestUpgradeOrder(t *testing.T) {
	setup := func(t *testing.T) (*Game, int) {
		g := newTestGame(t)
		home := homeOf(t, g.st, 0)
		addType(g.st, 0, "Fighter", 4, 2, 2, 3, 0)
		addGroup(g.st, 0, "Fighter", 10, home)
		g.st.Races[0].Tech = [numTech]float64{2, 1, 1.5, 1} // 30 per ship
		g.st.Planets[home].Prod = prodMAT
		return g, home
	}
	t.Run("upgrades the whole group paid by the planet's production", func(t *testing.T) {
		g, home := setup(t)
		run(t, g, "g 1", "")
		mustNoMistakes(t, g, "a")
		gr := g.st.Races[0].Groups[0]
		if gr.Tech[techDrive] != 2 || gr.Tech[techShields] != 1.5 || gr.Ships != 10 {
			t.Fatalf("group %+v", gr)
		}
		if want := (1000.0 - 300) * 10; !near(g.st.Planets[home].MAT, want) {
			t.Fatalf("MAT %v, want %v: production left after the upgrade", g.st.Planets[home].MAT, want)
		}
	})
	// GalaxyNG's g_order: 95 production for 10 × 30 pays 9.5 / 30 of each
	// ship's upgrade, so every ship goes that share of the way: drive
	// 1 + 1 × 0.3167 = 1.32, shields 1 + 0.5 × 0.3167 = 1.16 (two decimals,
	// cargo 0 as the type has no hold), and no production is left for MAT.
	t.Run("upgrades every ship part of the way when production is short", func(t *testing.T) {
		g, home := setup(t)
		p := g.st.Planets[home]
		p.Ind, p.Pop = 100, 80 // production 95
		mat := p.MAT
		run(t, g, "g 1", "")
		mustNoMistakes(t, g, "a")
		if gs := g.st.Races[0].Groups; len(gs) != 1 || gs[0].Ships != 10 || gs[0].Tech != [numTech]float64{1.32, 1, 1.16, 0} {
			t.Fatalf("groups %+v", gs)
		}
		if p.MAT != mat {
			t.Fatalf("MAT %v, want %v: the upgrade takes all production", p.MAT, mat)
		}
	})
	t.Run("upgrades part of a group and leaves the rest", func(t *testing.T) {
		g, home := setup(t)
		g.st.Planets[home].Ind, g.st.Planets[home].Pop = 100, 80 // production 95 for 4 × 30
		run(t, g, "g 1 4", "")
		mustNoMistakes(t, g, "a")
		var up, old int
		for _, gr := range g.st.Races[0].Groups {
			switch gr.Tech {
			case [numTech]float64{1.79, 1, 1.4, 0}: // 95/120 = 0.79 of the way
				up += gr.Ships
			case [numTech]float64{1, 1, 1, 1}:
				old += gr.Ships
			}
		}
		if up != 4 || old != 6 {
			t.Fatalf("%d ships upgraded and %d left, want 4 and 6: %+v", up, old, g.st.Races[0].Groups)
		}
	})
	t.Run("rejects an upgrade when the planet has no production left", func(t *testing.T) {
		g, home := setup(t)
		g.st.Planets[home].Ind, g.st.Planets[home].Pop = 300, 300 // production 300: group 1's full upgrade
		addGroup(g.st, 0, "Fighter", 5, home).Tech = [numTech]float64{1, 1, 1, 1}
		run(t, g, "g 1\ng 2", "")
		mustMistake(t, g, "a", 2, "no production left")
	})
	t.Run("rejects a group whose tech differs only below the second decimal", func(t *testing.T) {
		g, _ := setup(t)
		r := g.st.Races[0]
		r.Groups[0].Tech = [numTech]float64{2, 1, 1.5, 0}
		r.Tech = [numTech]float64{2.004, 1, 1.5, 1}
		run(t, g, "g 1", "")
		mustMistake(t, g, "a", 1, "already has your current technology")
	})
	t.Run("rejects a group with current tech", func(t *testing.T) {
		g, _ := setup(t)
		g.st.Races[0].Groups[0].Tech = g.st.Races[0].Tech
		run(t, g, "g 1", "")
		mustMistake(t, g, "a", 1, "already has your current technology")
	})
	t.Run("rejects away from own planets", func(t *testing.T) {
		g, home := setup(t)
		g.st.Races[0].Groups[0].At = freePlanet(t, g.st, home)
		run(t, g, "g 1", "")
		mustMistake(t, g, "a", 1, "not at one of your planets")
	})
}

func TestRouteOrder(t *testing.T) {
	setup := func(t *testing.T) (*Game, int, int) {
		g := newTestGame(t)
		st := g.st
		own := ownedOf(t, st, 0)
		addType(st, 0, "Hauler", 10, 0, 0, 0, 4) // fast enough for one-turn trips
		addGroup(st, 0, "Hauler", 2, own[0])
		st.Planets[own[0]].CAP = 100
		st.Planets[own[0]].Prod = prodWeapons
		return g, own[0], own[1]
	}
	t.Run("route ships carry cargo and unload at the destination", func(t *testing.T) {
		g, from, to := setup(t)
		st := g.st
		st.Planets[to].Prod = prodWeapons
		run(t, g, fmt.Sprintf("r %s CAP %s", pname(st, from), pname(st, to)), "")
		mustNoMistakes(t, g, "a")
		gr := st.Races[0].Groups[0]
		if gr.At != to || gr.Load != 0 {
			t.Fatalf("group %+v", gr)
		}
		// Unloading comes after production, so the CAP waits in the stockpile.
		if !near(st.Planets[from].CAP, 100-11.2) || !near(st.Planets[to].CAP, 11.2) {
			t.Fatalf("CAP left %v, CAP at destination %v", st.Planets[from].CAP, st.Planets[to].CAP)
		}
		if len(st.Races[0].Routes) != 1 {
			t.Fatal("route not kept")
		}
	})
	t.Run("groups with orders ignore routes", func(t *testing.T) {
		g, from, to := setup(t)
		st := g.st
		run(t, g, fmt.Sprintf("r %s CAP %s\nl 1 COL", pname(st, from), pname(st, to)), "")
		if st.Races[0].Groups[0].At != from {
			t.Fatal("group with an order left on the route")
		}
	})
	t.Run("removes a route", func(t *testing.T) {
		g, from, to := setup(t)
		run(t, g, fmt.Sprintf("r %s EMP %s\nr %s emp", pname(g.st, from), pname(g.st, to), pname(g.st, from)), "")
		mustNoMistakes(t, g, "a")
		if len(g.st.Races[0].Routes) != 0 {
			t.Fatal("route kept")
		}
	})
	for _, c := range []struct{ name, order, want string }{
		{"rejects a route to its origin", "r %[1]s CAP %[1]s", "other than its origin"},
		{"rejects removing a missing route", "r %[1]s MAT", "no MAT route"},
		{"rejects an unknown cargo", "r %[1]s GOLD %[2]s", "not a cargo"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, from, to := setup(t)
			run(t, g, fmt.Sprintf(c.order, pname(g.st, from), pname(g.st, to)), "")
			mustMistake(t, g, "a", 1, c.want)
		})
	}
}

func TestFleetAndEliminateOrders(t *testing.T) {
	setup := func(t *testing.T) (*Game, int) {
		g := newTestGame(t)
		home := homeOf(t, g.st, 0)
		addType(g.st, 0, "Fast", 4, 0, 0, 0, 0) // speed 80
		addType(g.st, 0, "Slow", 1, 0, 0, 1, 0) // speed 10
		addGroup(g.st, 0, "Fast", 1, home)
		addGroup(g.st, 0, "Slow", 1, home)
		return g, home
	}
	t.Run("a fleet moves at its slowest group's speed", func(t *testing.T) {
		g, home := setup(t)
		far := homeOf(t, g.st, 1)
		run(t, g, "j 1 Armada\nj 2 armada\ns Armada "+pname(g.st, far), "")
		mustNoMistakes(t, g, "a")
		want := g.st.dist(home, far) - 10
		for _, gr := range g.st.Races[0].Groups {
			if !near(gr.Dist, want) || gr.Fleet != "Armada" {
				t.Fatalf("group %+v, want %v left", gr, want)
			}
		}
	})
	t.Run("rejects a numeric fleet name", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, "j 1 12", "")
		mustMistake(t, g, "a", 1, "cannot be numbers")
	})
	t.Run("e disbands a fleet", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, "j 1 Armada\ne Armada", "")
		mustNoMistakes(t, g, "a")
		if g.st.Races[0].Groups[0].Fleet != "" || len(g.st.Races[0].Fleets) != 0 {
			t.Fatal("fleet kept")
		}
	})
	t.Run("e removes an unused ship type", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, "d Spare 1 0 0 0 0\ne spare", "")
		mustNoMistakes(t, g, "a")
		if g.st.Races[0].shipType("Spare") != nil {
			t.Fatal("type kept")
		}
	})
	t.Run("e rejects a type in use", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, "e Fast", "")
		mustMistake(t, g, "a", 1, "still has ships")
	})
}

func TestRelationsAndCombat(t *testing.T) {
	setup := func(t *testing.T) (*Game, int) {
		g := newTestGame(t)
		spot := freePlanet(t, g.st, homeOf(t, g.st, 0))
		addType(g.st, 0, "Gun", 1, 1, 10, 10, 0)
		addType(g.st, 1, "Gun", 1, 1, 10, 10, 0)
		addGroup(g.st, 0, "Gun", 20, spot)
		addGroup(g.st, 1, "Gun", 20, spot)
		return g, spot
	}
	t.Run("races are at war by default and fight", func(t *testing.T) {
		g, spot := setup(t)
		res := run(t, g, "", "")
		if len(g.st.Battles) != 1 || g.st.Battles[0].Planet != spot {
			t.Fatalf("battles %+v", g.st.Battles)
		}
		b := g.st.Battles[0]
		if b.Groups[0].Left != 0 && b.Groups[1].Left != 0 && !b.Standoff {
			t.Fatal("battle ended with both sides armed and no standoff")
		}
		for _, id := range []string{"a", "b"} {
			if len(res.Reports[id].Data.Battles) != 1 || !strings.Contains(res.Reports[id].Text, "Battle at") {
				t.Fatalf("race %s does not see the battle", id)
			}
		}
	})
	t.Run("mutual alliance prevents battle", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, "a Beta_Race", "a alpha")
		mustNoMistakes(t, g, "a")
		mustNoMistakes(t, g, "b")
		if len(g.st.Battles) != 0 {
			t.Fatal("allies fought")
		}
		run(t, g, "w beta_race", "")
		if len(g.st.Battles) != 1 {
			t.Fatal("war declared but no battle")
		}
	})
	t.Run("one side at war is enough", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, "a Beta_Race", "")
		if len(g.st.Battles) != 1 {
			t.Fatal("no battle although Beta is at war")
		}
	})
	t.Run("relations need a known other race", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, "a Nobody\nw alpha", "")
		mustMistake(t, g, "a", 1, "no race")
		mustMistake(t, g, "a", 2, "yourself")
	})
	t.Run("guns too weak for the shields make a standoff", func(t *testing.T) {
		g, spot := setup(t)
		g.st.Races[0].Types[0].Weapons = 1 // attack 1 vs defence 10·cbrt(30/30)=...: ratio far below 0.25
		g.st.Races[1].Types[0].Weapons = 1
		g.st.Races[0].Types[0].Shields = 100
		g.st.Races[1].Types[0].Shields = 100
		run(t, g, "", "")
		b := g.st.Battles[0]
		if !b.Standoff || b.Rounds != 0 || b.Groups[0].Left != 20 {
			t.Fatalf("battle %+v", b)
		}
		_ = spot
	})
}

func TestBombingAndCapture(t *testing.T) {
	t.Run("a lone attacker bombs and takes the planet", func(t *testing.T) {
		g := newTestGame(t)
		st := g.st
		target := ownedOf(t, st, 1)[2]
		addType(st, 0, "Gun", 1, 1, 1, 1, 0)
		addGroup(st, 0, "Gun", 1, target)
		pop, ind := st.Planets[target].Pop, st.Planets[target].Ind
		res := run(t, g, "", "")
		p := st.Planets[target]
		if p.Owner != 0 {
			t.Fatalf("owner %d", p.Owner)
		}
		// Bombed to a quarter at step 1, then a turn of growth; the CAP made
		// becomes industry up to the population.
		if !near(p.Pop, pop*0.25*1.08) || p.Ind <= ind*0.25 || p.Ind > p.Pop || p.Prod != prodCAP {
			t.Fatalf("planet after bombing %+v", p)
		}
		if len(res.Reports["b"].Data.Bombings) != 1 || len(res.Reports["a"].Data.Bombings) != 1 {
			t.Fatal("bombing not reported to both races")
		}
	})
	t.Run("unarmed ships do not bomb", func(t *testing.T) {
		g := newTestGame(t)
		st := g.st
		target := ownedOf(t, st, 1)[2]
		addType(st, 0, "Scout", 1, 0, 0, 0, 0)
		addGroup(st, 0, "Scout", 1, target)
		run(t, g, "", "")
		if st.Planets[target].Owner != 1 {
			t.Fatal("planet changed hands")
		}
	})
	t.Run("allies share a conquest by victory claim", func(t *testing.T) {
		g, err := New(3, Settings{}, []RaceSpec{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}})
		if err != nil {
			t.Fatal(err)
		}
		st := g.st
		target := ownedOf(t, st, 2)[1]
		for ri := range 2 {
			addType(st, ri, "Gun", 1, 1, 1, 1, 0)
			addGroup(st, ri, "Gun", 1, target)
		}
		claim := "v " + pname(st, target)
		_, err = g.RunTurn(map[string]string{"a": "a B", "b": "a A\n" + claim})
		if err != nil {
			t.Fatal(err)
		}
		if st.Planets[target].Owner != 1 {
			t.Fatalf("owner %d, want the claimant 1", st.Planets[target].Owner)
		}
	})
	t.Run("rival claims leave the planet without owner", func(t *testing.T) {
		g, err := New(3, Settings{}, []RaceSpec{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}})
		if err != nil {
			t.Fatal(err)
		}
		st := g.st
		target := ownedOf(t, st, 2)[1]
		for ri := range 2 {
			addType(st, ri, "Gun", 1, 1, 1, 1, 0)
			addGroup(st, ri, "Gun", 1, target)
		}
		claim := "v " + pname(st, target)
		if _, err := g.RunTurn(map[string]string{"a": "a B\n" + claim, "b": "a A\n" + claim}); err != nil {
			t.Fatal(err)
		}
		if st.Planets[target].Owner != noRace || st.Bombings[0].Reason != "rival claims" {
			t.Fatalf("owner %d bombing %+v", st.Planets[target].Owner, st.Bombings[0])
		}
	})
}

func TestMessagesAndOrderText(t *testing.T) {
	t.Run("a message reaches the named race", func(t *testing.T) {
		g := newTestGame(t)
		res := run(t, g, "@ Beta_Race\nHello there\n  second line\n@\nd Drone 1 0 0 0 0", "")
		mustNoMistakes(t, g, "a")
		msgs := res.Reports["b"].Data.Messages
		if len(msgs) != 1 || msgs[0].From != "Alpha" || msgs[0].Text != "Hello there\n  second line" {
			t.Fatalf("messages %+v", msgs)
		}
		if len(g.st.Races[0].Types) != 1 {
			t.Fatal("order after the message was not read")
		}
	})
	t.Run("an unclosed message is delivered and flagged", func(t *testing.T) {
		g := newTestGame(t)
		res := run(t, g, "d Drone 1 0 0 0 0\n@ beta_race\nhi\nd Scout 1 0 0 0 0", "")
		mustMistake(t, g, "a", 2, "no closing line")
		if len(res.Reports["b"].Data.Messages) != 1 || len(g.st.Races[0].Types) != 1 {
			t.Fatal("message not delivered or its lines read as orders")
		}
	})
	t.Run("a message without names goes to everyone else", func(t *testing.T) {
		g := newTestGame(t)
		res := run(t, g, "", "@\nhi all\n@")
		if len(res.Reports["a"].Data.Messages) != 1 || len(res.Reports["b"].Data.Messages) != 0 {
			t.Fatal("broadcast wrong")
		}
	})
	t.Run("header comments footer and long words are understood", func(t *testing.T) {
		g := newTestGame(t)
		text := "#GALAXY Game Alpha password\n; a comment line\nDESIGN Drone 1 0 0 0 0 ; trailing comment\n\n#END\nthis is not read"
		run(t, g, text, "")
		mustNoMistakes(t, g, "a")
		if len(g.st.Races[0].Types) != 1 {
			t.Fatal("design not read")
		}
	})
	t.Run("mistakes carry line numbers and valid lines still run", func(t *testing.T) {
		g := newTestGame(t)
		run(t, g, "k 1 2\n\nd Drone 1 0 0 0 0\n#BAD\ns", "")
		mustMistake(t, g, "a", 1, "unknown order")
		mustMistake(t, g, "a", 4, "only #GALAXY and #END")
		mustMistake(t, g, "a", 5, "expected s")
		if len(g.st.Races[0].Types) != 1 {
			t.Fatal("valid line did not run")
		}
	})
	t.Run("CRLF line endings count lines correctly", func(t *testing.T) {
		g := newTestGame(t)
		res, err := g.CheckOrders("a", "d Drone 1 0 0 0 0\r\nzz\r\n")
		if err != nil {
			t.Fatal(err)
		}
		if res.Accepted || len(res.Errors) != 1 || res.Errors[0].Line != 2 {
			t.Fatalf("check %+v", res)
		}
	})
}

func TestCheckOrders(t *testing.T) {
	t.Run("forecasts without changing the game", func(t *testing.T) {
		g := newTestGame(t)
		before, _ := g.MarshalSnapshot()
		home := pname(g.st, homeOf(t, g.st, 0))
		res, err := g.CheckOrders("a", "d Drone 1 0 0 0 0\np "+home+" Drone")
		if err != nil {
			t.Fatal(err)
		}
		if !res.Accepted || len(res.Errors) != 0 || res.Errors == nil {
			t.Fatalf("check %+v", res)
		}
		if !strings.Contains(res.Forecast, "Drone") || !strings.Contains(res.Forecast, "Your Groups") {
			t.Fatalf("forecast lacks the new ships:\n%s", res.Forecast)
		}
		after, _ := g.MarshalSnapshot()
		if string(before) != string(after) {
			t.Fatal("check changed the game")
		}
	})
	t.Run("reports the same mistakes as the turn", func(t *testing.T) {
		g := newTestGame(t)
		text := "s 1 2\np Nowhere CAP\nd X 1 0 0 0 0\nl 1 COL"
		res, _ := g.CheckOrders("a", text)
		run(t, g, text, "")
		if fmt.Sprint(res.Errors) != fmt.Sprint(mistakes(g, "a")) {
			t.Fatalf("check %v, turn %v", res.Errors, mistakes(g, "a"))
		}
	})
	t.Run("unknown race is an error", func(t *testing.T) {
		g := newTestGame(t)
		if _, err := g.CheckOrders("zz", ""); err == nil {
			t.Fatal("no error")
		}
	})
}

func TestMergeAndRenumber(t *testing.T) {
	g := newTestGame(t)
	st := g.st
	home := homeOf(t, st, 0)
	addType(st, 0, "Drone", 1, 0, 0, 0, 0)
	addGroup(st, 0, "Drone", 1, home)
	odd := addGroup(st, 0, "Drone", 2, home)
	odd.Tech[techDrive] = 3
	addGroup(st, 0, "Drone", 3, home)
	run(t, g, "x 2", "") // group 2 gone, groups 1 and 3 merge
	r := st.Races[0]
	if len(r.Groups) != 1 || r.Groups[0].Ships != 4 || r.Groups[0].Num != 1 {
		t.Fatalf("groups after merge: %d, first %+v", len(r.Groups), r.Groups[0])
	}
}

func TestNewValidation(t *testing.T) {
	cases := []struct {
		name     string
		settings Settings
		races    []RaceSpec
	}{
		{"no races", Settings{}, nil},
		{"duplicate ids", Settings{}, []RaceSpec{{"a", "A"}, {"a", "B"}}},
		{"duplicate names ignoring case and underscores", Settings{}, []RaceSpec{{"a", "Red Sun"}, {"b", "red_sun"}}},
		{"empty name", Settings{}, []RaceSpec{{"a", " "}}},
		{"empty id", Settings{}, []RaceSpec{{"", "A"}}},
		{"semicolon in name", Settings{}, []RaceSpec{{"a", "A;B"}}},
		{"negative max turns", Settings{MaxTurns: -1}, []RaceSpec{{"a", "A"}}},
		{"too few planets per race", Settings{PlanetsPerRace: 2}, []RaceSpec{{"a", "A"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := New(1, c.settings, c.races); err == nil {
				t.Fatal("no error")
			}
		})
	}
}
