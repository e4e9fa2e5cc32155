package game

import (
	"math"
	"strconv"
	"testing"
)

func TestProduction(t *testing.T) {
	cases := []struct {
		name     string
		ind, pop float64
		want     float64
	}{
		{"fully developed home world", 1000, 1000, 1000},
		{"industry lags population", 100, 1000, 325},
		{"no industry", 0, 400, 100},
		{"empty", 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := productionOf(c.ind, c.pop); !near(got, c.want) {
				t.Fatalf("production(%v, %v) = %v, want %v", c.ind, c.pop, got, c.want)
			}
		})
	}
}

func TestPopulationGrowth(t *testing.T) {
	cases := []struct {
		name            string
		size, pop, col  float64
		wantPop, wantCO float64
	}{
		{"grows 8 percent below size", 1000, 500, 0, 540, 0},
		{"excess becomes COL at 8 per COL", 1000, 1000, 0, 1000, 10},
		{"partial excess", 1000, 990, 2, 1000, 2 + (1069.2-1000)/8},
		{"empty planet stays empty", 500, 0, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &planet{Size: c.size, Pop: c.pop, COL: c.col}
			grow(p)
			if !near(p.Pop, c.wantPop) || !near(p.COL, c.wantCO) {
				t.Fatalf("pop %v COL %v, want %v %v", p.Pop, p.COL, c.wantPop, c.wantCO)
			}
		})
	}
}

func TestCAPBecomesIndustry(t *testing.T) {
	cases := []struct {
		name             string
		pop, ind, cap    float64
		wantInd, wantCAP float64
	}{
		{"all CAP fits", 500, 300, 150, 450, 0},
		{"capped at population", 500, 300, 300, 500, 100},
		{"industry already at population", 500, 500, 50, 500, 50},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &planet{Pop: c.pop, Ind: c.ind, CAP: c.cap}
			investCAP(p)
			if !near(p.Ind, c.wantInd) || !near(p.CAP, c.wantCAP) {
				t.Fatalf("ind %v CAP %v, want %v %v", p.Ind, p.CAP, c.wantInd, c.wantCAP)
			}
		})
	}
}

func TestMATAndCAPProduction(t *testing.T) {
	t.Run("MAT is production times resources", func(t *testing.T) {
		p := &planet{Resources: 2.5}
		produceMAT(p, 100)
		if !near(p.MAT, 250) {
			t.Fatalf("MAT %v", p.MAT)
		}
	})
	t.Run("CAP without MAT costs 5 + 1/resources", func(t *testing.T) {
		p := &planet{Resources: 10}
		produceCAP(p, 102)
		if !near(p.CAP, 20) || p.MAT != 0 {
			t.Fatalf("CAP %v MAT %v, want 20 0", p.CAP, p.MAT)
		}
	})
	t.Run("CAP uses the MAT stockpile first", func(t *testing.T) {
		p := &planet{Resources: 0.5, MAT: 10}
		produceCAP(p, 100) // 10 CAP for 50 + 10 MAT, then 50 / (5 + 2) = 7.142857
		if !near(p.CAP, 10+50.0/7) || p.MAT != 0 {
			t.Fatalf("CAP %v MAT %v", p.CAP, p.MAT)
		}
	})
	t.Run("CAP limited by production when MAT is plenty", func(t *testing.T) {
		p := &planet{Resources: 1, MAT: 100}
		produceCAP(p, 50)
		if !near(p.CAP, 10) || !near(p.MAT, 90) {
			t.Fatalf("CAP %v MAT %v", p.CAP, p.MAT)
		}
	})
}

func TestResearch(t *testing.T) {
	g := newTestGame(t)
	st := g.st
	own := ownedOf(t, st, 0) // 1000, then 500 and 250 in some order
	kinds := map[int]prodKind{own[0]: prodDrive}
	for _, i := range own[1:] {
		kinds[i] = prodCargo
		if st.Planets[i].Size == 500 {
			kinds[i] = prodShields
		}
	}
	for i, k := range kinds {
		st.Planets[i].Prod = k
	}
	productionPhase(st, 0)
	want := [numTech]float64{1 + 1000.0/5000, 1, 1 + 500.0/5000, 1 + 250.0/2500}
	for i := range numTech {
		if !near(st.Races[0].Tech[i], want[i]) {
			t.Fatalf("tech %s = %v, want %v", techNames[i], st.Races[0].Tech[i], want[i])
		}
	}
}

func TestShipFormulas(t *testing.T) {
	fighter := &shipType{Drive: 4, Attacks: 2, Weapons: 2, Shields: 3}
	hauler := &shipType{Drive: 4, Cargo: 4}
	t.Run("weapons mass counts extra guns at half", func(t *testing.T) {
		if got := weaponsMass(3, 2); got != 4 {
			t.Fatalf("weapons mass %v, want 4", got)
		}
		if got := weaponsMass(0, 0); got != 0 {
			t.Fatalf("unarmed weapons mass %v", got)
		}
	})
	t.Run("ship mass sums components", func(t *testing.T) {
		if got := fighter.mass(); got != 10 {
			t.Fatalf("fighter mass %v, want 10", got)
		}
		if got := hauler.mass(); got != 8 {
			t.Fatalf("hauler mass %v, want 8", got)
		}
	})
	t.Run("speed falls with load and rises with cargo tech", func(t *testing.T) {
		checks := []struct{ got, want float64 }{
			{shipSpeed(1, 4, 10, 0, 1), 8},
			{shipSpeed(1.5, 4, 10, 0, 1), 12},
			{shipSpeed(1, 4, 8, 5.6, 1), 80 / 13.6},
			{shipSpeed(1, 4, 8, 5.6, 2), 80 / 10.8},
			{shipSpeed(1, 0, 8, 0, 1), 0},
		}
		for i, c := range checks {
			if !near(c.got, c.want) {
				t.Fatalf("case %d: speed %v, want %v", i, c.got, c.want)
			}
		}
	})
	t.Run("cargo capacity grows faster than the hold", func(t *testing.T) {
		checks := []struct{ got, want float64 }{
			{cargoCapacity(1, 4), 5.6},
			{cargoCapacity(1.5, 4), 8.4},
			{cargoCapacity(1, 10), 20},
			{cargoCapacity(2, 0), 0},
		}
		for i, c := range checks {
			if !near(c.got, c.want) {
				t.Fatalf("case %d: capacity %v, want %v", i, c.got, c.want)
			}
		}
	})
	t.Run("attack is weapons times tech", func(t *testing.T) {
		if got := attackStrength(2, 1.5); got != 3 {
			t.Fatalf("attack %v", got)
		}
	})
	t.Run("defence scales with the cube root of 30 over mass", func(t *testing.T) {
		if got := defenceStrength(3, 1, 30); !near(got, 3) {
			t.Fatalf("defence at mass 30: %v, want 3", got)
		}
		if got := defenceStrength(3, 1, 10); !near(got, 3*math.Cbrt(3)) {
			t.Fatalf("defence at mass 10: %v, want %v", got, 3*math.Cbrt(3))
		}
		if got := defenceStrength(2, 2, 240); !near(got, 2) {
			t.Fatalf("defence 2x2 at mass 240: %v, want 2", got)
		}
		if got := defenceStrength(0, 5, 10); got != 0 {
			t.Fatalf("unshielded defence %v", got)
		}
	})
	t.Run("cargo weighs on defence, lighter with cargo tech (GalaxyNG's groupDefense over shipmass)", func(t *testing.T) {
		// A hauler D2 A0 W0 S3 C5 has an empty mass of 2 + 3 + 5 = 10.
		// Empty: 3 × 1 × ∛30 / ∛10 = 3∛3 ≈ 4.3267.
		// 20 cargo at cargo tech 1: mass 10 + 20/1 = 30, so 3 × ∛30 / ∛30 = 3.
		// The same at cargo tech 2: mass 10 + 20/2 = 20, so 3 × ∛(30/20) ≈ 3.4341.
		hauler := &shipType{Name: "Hauler", Drive: 2, Shields: 3, Cargo: 5}
		g := &group{typ: hauler, Ships: 1}
		g.Tech[techShields], g.Tech[techCargo] = 1, 1
		if got := g.defence(); !near(got, 3*math.Cbrt(3)) {
			t.Fatalf("empty hauler: %v, want %v", got, 3*math.Cbrt(3))
		}
		g.Load = 20
		if got := g.defence(); !near(got, 3) {
			t.Fatalf("loaded hauler at cargo tech 1: %v, want 3", got)
		}
		g.Tech[techCargo] = 2
		if got := g.defence(); !near(got, 3*math.Cbrt(1.5)) {
			t.Fatalf("loaded hauler at cargo tech 2: %v, want %v", got, 3*math.Cbrt(1.5))
		}
	})
	t.Run("upgrade cost weighs each component's gap", func(t *testing.T) {
		// 10 × ((1 − 1/2) × 4 + 0 × 3 + (1 − 1/1.5) × 3) = 30
		got := upgradeCost(fighter, [numTech]float64{1, 1, 1, 1}, [numTech]float64{2, 1, 1.5, 1})
		if !near(got, 30) {
			t.Fatalf("upgrade cost %v, want 30", got)
		}
		if got := upgradeCost(hauler, [numTech]float64{1, 1, 1, 1}, [numTech]float64{1, 3, 3, 1}); got != 0 {
			t.Fatalf("components without mass cost %v", got)
		}
	})
}

func TestKillProbability(t *testing.T) {
	cases := []struct {
		name     string
		att, def float64
		want     float64
	}{
		{"equal strength is a coin toss", 1, 1, 0.5},
		{"double attack", 2, 1, 0.75},
		{"half attack", 0.5, 1, 0.25},
		{"four times attack always kills", 4, 1, 1},
		{"quarter attack never kills", 1, 4, 0},
		{"far beyond clamps to 1", 100, 1, 1},
		{"no shields always die", 1, 0, 1},
		{"no weapons never kill", 0, 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := killProbability(c.att, c.def); !near(got, c.want) {
				t.Fatalf("P(kill) = %v, want %v", got, c.want)
			}
		})
	}
	t.Run("standoff below 0.251", func(t *testing.T) {
		if canHurt(0.251, 1) || !canHurt(0.26, 1) || canHurt(0, 1) || !canHurt(1, 0) {
			t.Fatal("standoff rule wrong")
		}
	})
}

// TestShotsMatchKillProbability fights one gun against a crowd of unarmed
// ships and compares the share of killing shots with the formula.
func TestShotsMatchKillProbability(t *testing.T) {
	// A Target (shields 1, mass 1) defends with cbrt(30); the gun's weapons
	// are set to the wanted multiple of that.
	for _, c := range []struct {
		name  string
		ratio float64
	}{{"attack twice the defence", 2}, {"attack equal to the defence", 1}, {"attack 0.6 of the defence", 0.6}} {
		t.Run(c.name, func(t *testing.T) {
			st := newTestGame(t).st
			home := homeOf(t, st, 0)
			addType(st, 0, "Gun", 1, 1, c.ratio*cubeRoot30, 0, 0)
			addType(st, 1, "Target", 0, 0, 0, 1, 0)
			gun := addGroup(st, 0, "Gun", 1, home)
			targets := addGroup(st, 1, "Target", 1500, home)
			want := killProbability(gun.attack(), targets.defence())
			combatPhase(st, newRNG(5, 1), nil)
			if len(st.Battles) != 1 {
				t.Fatalf("battles: %d", len(st.Battles))
			}
			b := st.Battles[0]
			got := 1500 / float64(b.Shots)
			if b.Groups[1].Left != 0 || math.Abs(got-want) > 0.04 {
				t.Fatalf("kill share %.3f over %d shots, want %.3f (left %d)", got, b.Shots, want, b.Groups[1].Left)
			}
		})
	}
}

func TestShipBuilding(t *testing.T) {
	t.Run("unspent production carries over", func(t *testing.T) {
		st := newTestGame(t).st
		home := homeOf(t, st, 0)
		addType(st, 0, "Fighter", 4, 2, 2, 3, 0) // mass 10: 100 production + 10 MAT, or 101 with MAT mined at resources 10
		p := st.Planets[home]
		p.Prod, p.ShipType = prodShip, "Fighter"
		if n := buildShipsAt(st, 0, home, 1000); n != 9 || !near(p.Progress, 91) {
			t.Fatalf("built %d progress %v, want 9 and 91", n, p.Progress)
		}
		if n := buildShipsAt(st, 0, home, 1000); n != 10 || !near(p.Progress, 81) {
			t.Fatalf("second turn built %d progress %v, want 10 and 81", n, p.Progress)
		}
	})
	t.Run("MAT stockpile is used before mining", func(t *testing.T) {
		st := newTestGame(t).st
		home := homeOf(t, st, 0)
		addType(st, 0, "Fighter", 4, 2, 2, 3, 0)
		p := st.Planets[home]
		p.Prod, p.ShipType, p.MAT = prodShip, "Fighter", 25
		// 100 + 100 + 100.5 for the first three ships, then 101 each.
		if n := buildShipsAt(st, 0, home, 1000); n != 9 || !near(p.Progress, 93.5) || p.MAT != 0 {
			t.Fatalf("built %d progress %v MAT %v, want 9, 93.5, 0", n, p.Progress, p.MAT)
		}
	})
	t.Run("new ships carry the tech of their build", func(t *testing.T) {
		st := newTestGame(t).st
		home := homeOf(t, st, 0)
		addType(st, 0, "Gunboat", 1, 1, 1, 1, 1)
		st.Races[0].Tech = [numTech]float64{2, 1.5, 1.25, 1.1}
		st.Planets[home].Prod, st.Planets[home].ShipType = prodShip, "Gunboat"
		buildShipsAt(st, 0, home, 404)
		g := st.Races[0].Groups[0]
		if g.Ships <= 0 || g.Tech != st.Races[0].Tech || g.At != home {
			t.Fatalf("group %+v", g)
		}
	})
	// GalaxyNG's cktech: tech cut to two decimals, 0 for missing components.
	t.Run("new ships get tech cut to two decimals and 0 for missing parts", func(t *testing.T) {
		st := newTestGame(t).st
		home := homeOf(t, st, 0)
		addType(st, 0, "Drone", 1, 0, 0, 0, 0)
		st.Races[0].Tech = [numTech]float64{2.126, 1.5, 1.25, 1.1}
		st.Planets[home].Prod, st.Planets[home].ShipType = prodShip, "Drone"
		buildShipsAt(st, 0, home, 101)
		g := st.Races[0].Groups[0]
		if g.Ships != 10 || g.Tech != [numTech]float64{2.13, 0, 0, 0} || g.At != home {
			t.Fatalf("group %+v", g)
		}
	})
}

func TestGroupTech(t *testing.T) {
	fighter := &shipType{Drive: 5, Attacks: 1, Weapons: 3, Shields: 2}
	hauler := &shipType{Drive: 2, Cargo: 8}
	for _, c := range []struct {
		typ        *shipType
		tech, want [numTech]float64
	}{
		{fighter, [numTech]float64{1, 1, 1, 1}, [numTech]float64{1, 1, 1, 0}},
		{hauler, [numTech]float64{1.234, 2.5, 3, 1.005}, [numTech]float64{1.23, 0, 0, 1}},
		{fighter, [numTech]float64{1.125, 1.375, 2.675, 7}, [numTech]float64{1.12, 1.38, 2.67, 0}},
		{fighter, [numTech]float64{1.3166666, 0.999999, 10.0049, 1}, [numTech]float64{1.32, 1, 10, 0}},
	} {
		if got := groupTech(c.typ, c.tech); got != c.want {
			t.Errorf("groupTech(%+v, %v) = %v, want %v", *c.typ, c.tech, got, c.want)
		}
		if again := groupTech(c.typ, c.want); again != c.want {
			t.Errorf("groupTech is not idempotent: %v becomes %v", c.want, again)
		}
	}
	for _, v := range []float64{0, 0.005, 0.015, 0.125, 1.005, 1.015, 1.125, 2.675, 3.14159, 10.0049, 123.455, 1e6 + 0.005} {
		want, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 2, 64), 64)
		if got := twoDecimals(v); got != want {
			t.Errorf("twoDecimals(%v) = %v, want %v as %%.2f gives", v, got, want)
		}
	}
}

func TestAppendF2MatchesStrconv(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), 0.004, 0.005, 0.015, -0.004, -0.006, 1, 10.05, 1234.565, 999.995, -12.345, 1e12 + 0.125, 3e15, 1.0 / 3} {
		want := strconv.FormatFloat(r2(v), 'f', 2, 64)
		if got := f2(v); got != want {
			t.Errorf("f2(%v) = %q, want %q", v, got, want)
		}
	}
}
