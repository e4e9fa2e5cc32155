package game

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Ship types of the combat tests, at tech 1.00:
//
//	Dart 1 1 1 0 0:    attack 1, defence 0: every shot at it kills
//	Trident 1 3 1 0 0: like a Dart with 3 guns
//	Bastion 1 1 1 10 0 and Guard 1 1 10 10 0: mass 12 and 21, defence
//	    10 × (30/12)^(1/3) = 13.57 and 10 × (30/21)^(1/3) = 11.26, so a
//	    Dart's attack 1 is below a quarter of it and never kills; the
//	    Guard's attack 10 kills a Dart for sure
//	Scout 1 0 0 0 0:   unarmed, defence 0
func combatTypes(st *state) {
	for ri := range st.Races {
		addType(st, ri, "Dart", 1, 1, 1, 0, 0)
		addType(st, ri, "Trident", 1, 3, 1, 0, 0)
		addType(st, ri, "Bastion", 1, 1, 1, 10, 0)
		addType(st, ri, "Guard", 1, 1, 10, 10, 0)
		addType(st, ri, "Scout", 1, 0, 0, 0, 0)
	}
}

// battleAt runs the combat phase of a fresh golden galaxy (Alpha, Beta and,
// with gamma, Gamma, all at war) set up by setup, with the given seed, and
// returns the state.
func battleAt(gamma bool, seed int, setup func(st *state)) *state {
	st := newGoldenState(gamma)
	combatTypes(st)
	setup(st)
	combatPhase(st, newRNG(int64(seed), 1), nil)
	return st
}

// groupLeft returns the ships left in battle record b of race ri's groups.
func groupLeft(b *battle, ri int) int {
	n := 0
	for _, g := range b.Groups {
		if g.Race == ri {
			n += g.Left
		}
	}
	return n
}

// TestDestroyedShipsDoNotFire checks GalaxyNG's round (battle.c doBattle,
// attack): a ship is drawn among those that have not fired yet and fires
// all its guns; a ship destroyed before its turn does not fire in that
// round.
func TestDestroyedShipsDoNotFire(t *testing.T) {
	t.Run("of two lone ships that surely kill each other the first to fire survives", func(t *testing.T) {
		// Each Dart kills the other with its one shot; whichever fires
		// first wins: 1 round, 1 shot, one survivor. Each side wins half
		// of the seeds.
		alphaWins := 0
		const seeds = 200
		for seed := range seeds {
			st := battleAt(false, seed, func(st *state) {
				addGroup(st, 0, "Dart", 1, gFree)
				addGroup(st, 1, "Dart", 1, gFree)
			})
			if len(st.Battles) != 1 {
				t.Fatalf("seed %d: %d battles", seed, len(st.Battles))
			}
			b := st.Battles[0]
			a, z := groupLeft(b, 0), groupLeft(b, 1)
			if b.Rounds != 1 || b.Shots != 1 || a+z != 1 || b.Standoff {
				t.Fatalf("seed %d: %d rounds, %d shots, left %d and %d", seed, b.Rounds, b.Shots, a, z)
			}
			alphaWins += a
		}
		if alphaWins < 70 || alphaWins > 130 {
			t.Errorf("Alpha won %d of %d, want about half", alphaWins, seeds)
		}
	})
	t.Run("a ship destroyed before its turn does not fire", func(t *testing.T) {
		// Alpha's Trident (3 guns) against Beta's 3 Darts, every shot a
		// kill. The first of the 4 ships to fire decides: the Trident
		// (chance 1/4) kills the 3 Darts with its 3 shots; a Dart (3/4)
		// kills the Trident, which then never fires, and the other Darts
		// have nobody left to fire at: 1 shot.
		alphaWins := 0
		const seeds = 400
		for seed := range seeds {
			st := battleAt(false, seed, func(st *state) {
				addGroup(st, 0, "Trident", 1, gFree)
				addGroup(st, 1, "Dart", 3, gFree)
			})
			b := st.Battles[0]
			a, z := groupLeft(b, 0), groupLeft(b, 1)
			switch {
			case a == 1 && z == 0 && b.Shots == 3:
				alphaWins++
			case a == 0 && z == 3 && b.Shots == 1:
			default:
				t.Fatalf("seed %d: left %d and %d after %d shots", seed, a, z, b.Shots)
			}
			if b.Rounds != 1 {
				t.Fatalf("seed %d: %d rounds", seed, b.Rounds)
			}
		}
		if alphaWins < 70 || alphaWins > 130 {
			t.Errorf("the Trident won %d of %d, want about a quarter", alphaWins, seeds)
		}
	})
	t.Run("the ship hit is any living ship of the group, whether it fired or not", func(t *testing.T) {
		// Alpha's 2 Darts cannot hurt Beta's Bastion, whose shot always
		// kills a Dart. Round 1: the Bastion fires first, second or third
		// (1/3 each). First: it kills a Dart that had not fired, so 1
		// Dart fires. Second: one Dart has fired and the Bastion hits
		// either (1/2 each): 1 or 2 Darts fire. Third: both fired. So 2
		// Darts fire in round 1 with chance 1/3 × 1/2 + 1/3 = 1/2.
		// Round 2: the last Dart fires before the Bastion or not (1/2).
		// Shots: 1 + (1 or 2) + 1 + (0 or 1) = 3, 4, 5 with chances 1/4,
		// 1/2, 1/4: mean 4. Killing always a ship that had not fired (or
		// always one that had) would make 5 shots a chance of 1/6 (1/3).
		const seeds = 4000
		count := map[int]int{}
		total := 0
		for seed := range seeds {
			st := battleAt(false, seed, func(st *state) {
				addGroup(st, 0, "Dart", 2, gFree)
				addGroup(st, 1, "Bastion", 1, gFree)
			})
			b := st.Battles[0]
			if b.Rounds != 2 || groupLeft(b, 0) != 0 || groupLeft(b, 1) != 1 {
				t.Fatalf("seed %d: battle %+v", seed, b)
			}
			count[b.Shots]++
			total += b.Shots
		}
		if len(count) != 3 || count[3]+count[4]+count[5] != seeds {
			t.Fatalf("shots per battle %v, want 3, 4 or 5", count)
		}
		mean := float64(total) / seeds
		// Standard deviations: the mean 0.011, the count of 5 27.
		if math.Abs(mean-4) > 0.05 || count[5] < 900 || count[5] > 1100 || count[3] < 900 || count[3] > 1100 {
			t.Errorf("mean %.3f shots, counts %v; want 4, about 1000 of 3 and of 5", mean, count)
		}
	})
}

// TestPeaceInBattle checks who fires on whom (GalaxyNG's battle.c
// mustBattle and allocEnemies): a race fires on the races it is at war
// with, and shoots back at a race at war with it that has armed ships
// there; a battle needs a race with armed ships at war with another race
// present.
func TestPeaceInBattle(t *testing.T) {
	t.Run("a race at peace shoots back at an armed aggressor", func(t *testing.T) {
		// Alpha is at peace with Beta, Beta at war with Alpha. Beta's 5
		// Darts cannot hurt Alpha's Guard; the Guard kills a Dart with
		// every shot: 5 rounds, Beta loses 5 Darts of mass 2.
		st := battleAt(false, 1, func(st *state) {
			st.Races[0].Peace[1] = true
			addGroup(st, 0, "Guard", 1, gFree)
			addGroup(st, 1, "Dart", 5, gFree)
		})
		if len(st.Battles) != 1 {
			t.Fatalf("%d battles", len(st.Battles))
		}
		b := st.Battles[0]
		if groupLeft(b, 0) != 1 || groupLeft(b, 1) != 0 || b.Rounds != 5 || st.Races[1].MassLost != 10 {
			t.Fatalf("battle %+v, Beta lost mass %v", b, st.Races[1].MassLost)
		}
	})
	t.Run("an unarmed aggressor is left alone", func(t *testing.T) {
		// Beta is at war with Alpha but has only Scouts; Alpha, at peace
		// with Beta, does not fire on them: no battle.
		st := battleAt(false, 1, func(st *state) {
			st.Races[0].Peace[1] = true
			addGroup(st, 0, "Guard", 1, gFree)
			addGroup(st, 1, "Scout", 3, gFree)
		})
		if len(st.Battles) != 0 || len(st.Races[1].Groups) != 1 || st.Races[1].Groups[0].Ships != 3 {
			t.Fatalf("battles %d, Beta's groups %d", len(st.Battles), len(st.Races[1].Groups))
		}
	})
	t.Run("an unarmed race at war starts no battle", func(t *testing.T) {
		// Alpha is at war with Beta but has only Scouts; Beta's Guard,
		// at peace with Alpha, does not fire.
		st := battleAt(false, 1, func(st *state) {
			st.Races[1].Peace[0] = true
			addGroup(st, 0, "Scout", 3, gFree)
			addGroup(st, 1, "Guard", 1, gFree)
		})
		if len(st.Battles) != 0 || len(st.Races[0].Groups) != 1 || st.Races[0].Groups[0].Ships != 3 {
			t.Fatalf("battles %d, Alpha's groups %d", len(st.Battles), len(st.Races[0].Groups))
		}
	})
	t.Run("a race at peace keeps out of another race's battle", func(t *testing.T) {
		// Gamma, unarmed, is at war with everyone. Alpha (at war with
		// Gamma) fires on Gamma's Scouts. Beta is at peace with both and
		// Alpha at peace with Beta: Beta fires on nobody (Gamma's Scouts
		// cannot fire on it) and nobody fires on Beta, so Beta is not in
		// the battle and its Guard does not shoot.
		st := battleAt(true, 1, func(st *state) {
			st.Races[1].Peace[0], st.Races[1].Peace[2] = true, true
			st.Races[0].Peace[1] = true
			st.Races[0].Options.set(optBattleProtocol, true)
			addGroup(st, 0, "Guard", 1, gFree)
			addGroup(st, 1, "Guard", 1, gFree)
			addGroup(st, 2, "Scout", 4, gFree)
		})
		if len(st.Battles) != 1 {
			t.Fatalf("%d battles", len(st.Battles))
		}
		b := st.Battles[0]
		races := []int{}
		for _, g := range b.Groups {
			races = append(races, g.Race)
		}
		// The Guard kills a Scout with each of its shots: 4 rounds.
		if !slices.Equal(races, []int{0, 2}) || b.Rounds != 4 || b.Shots != 4 || groupLeft(b, 2) != 0 {
			t.Fatalf("battle %+v", b)
		}
		if !slices.Contains(b.Viewers, 1) {
			t.Fatalf("Beta, present, does not see the battle: viewers %v", b.Viewers)
		}
	})
	t.Run("allies both shoot back at an armed aggressor", func(t *testing.T) {
		// Alpha and Beta are allies and at peace with Gamma; Gamma is at
		// war with both and brings a Trident, whose attack 1 cannot hurt
		// a Guard. Both Guards shoot back, and the first of them to fire
		// kills the Trident (defence 0): 1 round; 4 shots if the Trident
		// fired first (its 3 at the Guards, then 1), else 1.
		st := battleAt(true, 3, func(st *state) {
			makeAllies(st, 0, 1)
			st.Races[0].Peace[2], st.Races[1].Peace[2] = true, true
			addGroup(st, 0, "Guard", 1, gFree)
			addGroup(st, 1, "Guard", 1, gFree)
			addGroup(st, 2, "Trident", 1, gFree)
		})
		b := st.Battles[0]
		if b.Rounds != 1 || (b.Shots != 1 && b.Shots != 4) || groupLeft(b, 2) != 0 || groupLeft(b, 0) != 1 || groupLeft(b, 1) != 1 {
			t.Fatalf("battle %+v", b)
		}
	})
}

// TestBombingRecord checks who bombs (GalaxyNG's phase.c mustBomb: armed
// ships of a race at war with the owner) and what the record keeps.
func TestBombingRecord(t *testing.T) {
	t.Run("the bombing report holds the planet before the bombs", func(t *testing.T) {
		// A Dart over Beta's undefended Bhome (population and industry
		// 1000) bombs it to 250; the report, like GalaxyNG's
		// reportBombings, shows 1000 and 1000.
		st := newGoldenState(false)
		combatTypes(st)
		addGroup(st, 0, "Dart", 1, gBhome)
		g := goldenGame(t, st)
		runGolden(t, g, nil)
		for _, id := range []string{"a", "b"} {
			bs := g.reports[id].Data.Bombings
			if len(bs) != 1 || bs[0].Population != 1000 || bs[0].Industry != 1000 || bs[0].NewOwner != "Alpha" {
				t.Fatalf("bombings seen by %s: %+v", id, bs)
			}
		}
		// Bombed to 250, then a turn of growth: 270.
		if p := st.Planets[gBhome]; p.Owner != 0 || !near(p.Pop, 270) {
			t.Fatalf("Bhome after the turn: owner %d, population %v", p.Owner, p.Pop)
		}
	})
	t.Run("a race at peace with the owner does not bomb", func(t *testing.T) {
		// Alpha is at peace with Beta, Beta at war with Alpha: Alpha's
		// Dart over Bhome does not bomb it.
		st := newGoldenState(false)
		combatTypes(st)
		st.Races[0].Peace[1] = true
		addGroup(st, 0, "Dart", 1, gBhome)
		combatPhase(st, newRNG(1, 1), nil)
		if len(st.Bombings) != 0 || st.Planets[gBhome].Owner != 1 || st.Planets[gBhome].Pop != 1000 {
			t.Fatalf("bombings %+v", st.Bombings)
		}
	})
	t.Run("the side that shoots back does not bomb", func(t *testing.T) {
		// The same with Beta's 2 Darts over Bhome: Alpha's Guard shoots
		// back and destroys them, and still does not bomb.
		st := newGoldenState(false)
		combatTypes(st)
		st.Races[0].Peace[1] = true
		addGroup(st, 0, "Guard", 1, gBhome)
		addGroup(st, 1, "Dart", 2, gBhome)
		combatPhase(st, newRNG(1, 1), nil)
		if len(st.Battles) != 1 || groupLeft(st.Battles[0], 1) != 0 {
			t.Fatalf("battles %+v", st.Battles)
		}
		if len(st.Bombings) != 0 || st.Planets[gBhome].Owner != 1 {
			t.Fatalf("bombings %+v", st.Bombings)
		}
	})
}

// TestTally checks the Fenwick tree against plain sums.
func TestTally(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 40; n++ {
		counts := make([]int, n)
		for i := range counts {
			counts[i] = r.IntN(4)
		}
		tl := newTally(n, func(i int) int { return counts[i] })
		for step := range 200 {
			if step%2 == 1 {
				i := r.IntN(n)
				d := r.IntN(3) - 1
				if counts[i]+d < 0 {
					d = 0
				}
				counts[i] += d
				tl.add(i, d)
			}
			total := 0
			for i, c := range counts {
				if got := tl.sum(i); got != total {
					t.Fatalf("n %d: sum(%d) = %d, want %d", n, i, got, total)
				}
				total += c
			}
			if total == 0 {
				continue
			}
			k := r.IntN(total)
			want, rest := 0, k
			for rest >= counts[want] {
				rest -= counts[want]
				want++
			}
			if i, nth := tl.find(k); i != want || nth != rest {
				t.Fatalf("n %d, counts %v: find(%d) = %d, %d; want %d, %d", n, counts, k, i, nth, want, rest)
			}
		}
	}
}

// BenchmarkBigBattle is a battle of 2,000 groups of 5 ships each, half of
// them armed.
func BenchmarkBigBattle(b *testing.B) {
	st := newGoldenState(false)
	combatTypes(st)
	for ri := range 2 {
		for i := range 1000 {
			typ := "Bastion"
			if i%2 == 1 {
				typ = "Scout"
			}
			addGroup(st, ri, typ, 5, gFree).Tech[techDrive] = 1 + float64(i)/1000
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		c := st.clone()
		combatPhase(c, newRNG(1, 1), nil)
	}
}
