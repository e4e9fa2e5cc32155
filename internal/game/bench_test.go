package game

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// busyGame builds a 25-race galaxy as it might look around turn 50: every
// race owns about nine planets and has about 360 groups of differing tech
// (so they do not merge), a third of them in hyperspace. Its orders build
// ships on every planet and send 40 groups per race, some of them against
// neighbours' planets.
func busyGame(tb testing.TB) (*Game, map[string]string) {
	g, err := New(99, Settings{}, raceSpecs(25))
	if err != nil {
		tb.Fatal(err)
	}
	st := g.st
	rnd := newRNG(99, 1000)
	// Each race takes the free planets nearest its home, up to nine planets.
	owned := make([][]int, len(st.Races))
	for ri := range st.Races {
		owned[ri] = ownedOf(tb, st, ri)
	}
	for len(owned[0]) < 9 {
		for ri := range st.Races {
			f := freePlanet(tb, st, owned[ri][0])
			st.Planets[f].Owner, st.Planets[f].Pop, st.Planets[f].Ind = ri, st.Planets[f].Size, st.Planets[f].Size/2
			owned[ri] = append(owned[ri], f)
		}
	}
	for _, p := range st.Planets {
		if p.Owner != noRace {
			p.COL, p.MAT = 500, 200
		}
	}
	orders := map[string]string{}
	for ri, r := range st.Races {
		r.Tech = [numTech]float64{2.5, 2.2, 2.1, 1.6}
		addType(st, ri, "Fighter", 4, 2, 2, 3, 0)
		addType(st, ri, "Hauler", 4, 0, 0, 0, 4)
		addType(st, ri, "Scout", 1, 0, 0, 0, 0)
		addType(st, ri, "Warship", 10, 3, 6, 8, 0)
		types := []string{"Fighter", "Hauler", "Scout", "Warship"}
		for j := range 360 {
			at := owned[ri][j%len(owned[ri])]
			gr := addGroup(st, ri, types[j%len(types)], 1+rnd.intn(10), at)
			gr.Tech[techDrive] += float64(j) * 1e-3
			if j%3 == 0 {
				to := owned[ri][(j+1)%len(owned[ri])]
				if j%30 == 0 { // some are on their way to a neighbour
					to = owned[(ri+1)%len(st.Races)][0]
				}
				st.launch(gr, to)
				gr.Dist *= rnd.float()
			}
		}
		var o strings.Builder
		for k, p := range owned[ri] {
			fmt.Fprintf(&o, "p %s %s\n", pname(st, p), types[k%len(types)])
		}
		sent := 0
		for _, gr := range r.Groups {
			if gr.inSpace() || gr.typ.Drive == 0 || sent == 40 {
				continue
			}
			to := owned[ri][(sent+3)%len(owned[ri])]
			if sent%5 == 0 {
				to = owned[(ri+1+sent%3)%len(st.Races)][sent%3]
			}
			if to == gr.At {
				continue
			}
			if gr.Type == "Hauler" {
				fmt.Fprintf(&o, "l %d COL\n", gr.Num)
			}
			fmt.Fprintf(&o, "s %d %s\n", gr.Num, pname(st, to))
			sent++
		}
		busyNewOrders(&o, st, ri, owned, sent)
		orders[r.ID] = o.String()
	}
	return g, orders
}

// busyNewOrders adds to race ri's busy orders the orders GalaxyNG has
// beyond the classic ones: five groups intercept at a neighbour's home, five
// turn back, a ship type is renamed, the race takes a new name, and the
// battle protocol (every shot recorded), map and real name are set. Groups
// the send orders may have used are left alone.
func busyNewOrders(o *strings.Builder, st *state, ri int, owned [][]int, skip int) {
	r := st.Races[ri]
	watched := owned[(ri+1)%len(st.Races)][0]
	intercepts, recalls := 0, 0
	for _, gr := range r.Groups {
		switch {
		case gr.inSpace() && recalls < 5 && gr.Dist >= recallTurns*gr.speed():
			fmt.Fprintf(o, "h %d\n", gr.Num)
			recalls++
		case !gr.inSpace() && gr.typ.Drive > 0 && gr.At != watched && intercepts < 5 && gr.Num > 4*skip:
			fmt.Fprintf(o, "i %d %s\n", gr.Num, pname(st, watched))
			intercepts++
		}
	}
	fmt.Fprintf(o, "t Scout Probe\nc %s_II\no battleProtocol\nm 0 0 %d\n= Player %d\n",
		displayName(r.Name), int(st.Side/2), ri)
}

// benchTurn runs one turn from the same state in every iteration. Stopping
// the benchmark timer around the copy of the state would stop the world in
// every iteration, so the turn itself is timed by hand and reported as
// ms/turn; ns/op includes the copy.
func benchTurn(b *testing.B, g *Game, orders map[string]string) {
	b.ReportAllocs()
	groups := 0
	for _, r := range g.st.Races {
		groups += len(r.Groups)
	}
	snap, err := g.MarshalSnapshot()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(groups), "groups")
	b.ReportMetric(float64(len(snap)), "snapshot_bytes")
	var spent time.Duration
	n := 0
	for b.Loop() {
		c := &Game{st: g.st.clone()}
		start := time.Now()
		if _, err := c.RunTurn(orders); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
		n++
	}
	b.ReportMetric(float64(spent.Microseconds())/1000/float64(n), "ms/turn")
}

// BenchmarkTurnBusy25 is the busy turn: about 9,000 groups, every race
// building and sending. Target: under 65 ms per turn, reports included.
func BenchmarkTurnBusy25(b *testing.B) {
	g, orders := busyGame(b)
	benchTurn(b, g, orders)
}

// BenchmarkTurnIdle25 is a fresh 25-race game where nobody sends orders.
// Target: under 5 ms per turn.
func BenchmarkTurnIdle25(b *testing.B) {
	g, err := New(99, Settings{}, raceSpecs(25))
	if err != nil {
		b.Fatal(err)
	}
	benchTurn(b, g, nil)
}

// BenchmarkSnapshotBusy25 measures what the engine does around a busy
// turn: the turn itself, the encoding of the state it leaves, and the
// restore of that snapshot. The three are timed by hand in every iteration,
// so that on a shared machine they are compared within one run: turn-ms,
// encode-ms, restore-ms and the ratios encode/turn and restore/turn
// (target: 0.25 at most). restore-ms is RestoreSnapshot, which also rebuilds
// the turn's reports; decode-ms is its part up to a checked state, and
// reports-ms the rest.
func BenchmarkSnapshotBusy25(b *testing.B) {
	g, orders := busyGame(b)
	b.ReportAllocs()
	var turn, encode, decode, restore time.Duration
	var size, n int
	for b.Loop() {
		c := &Game{st: g.st.clone()}
		t0 := time.Now()
		if _, err := c.RunTurn(orders); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		snap, err := c.MarshalSnapshot()
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if _, err := unmarshalSnapshot(snap); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		if _, err := RestoreSnapshot(snap); err != nil {
			b.Fatal(err)
		}
		t4 := time.Now()
		turn, encode, decode, restore = turn+t1.Sub(t0), encode+t2.Sub(t1), decode+t3.Sub(t2), restore+t4.Sub(t3)
		size, n = len(snap), n+1
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	b.ReportMetric(float64(size), "snapshot_bytes")
	b.ReportMetric(ms(turn), "turn-ms")
	b.ReportMetric(ms(encode), "encode-ms")
	b.ReportMetric(ms(restore), "restore-ms")
	b.ReportMetric(ms(decode), "decode-ms")
	b.ReportMetric(ms(restore)-ms(decode), "reports-ms")
	b.ReportMetric(float64(encode)/float64(turn), "encode/turn")
	b.ReportMetric(float64(restore)/float64(turn), "restore/turn")
	b.ReportMetric(float64(decode)/float64(turn), "decode/turn")
}

// BenchmarkCheckOrdersBusy25 measures an order check in the busy game.
func BenchmarkCheckOrdersBusy25(b *testing.B) {
	g, orders := busyGame(b)
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range orders {
			if !yield(id) {
				return
			}
		}
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.CheckOrders(ids[0], orders[ids[0]]); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBusyGameIsBusy keeps the benchmark honest: the busy turn really has
// about 9,000 groups, builds ships, moves groups and fights.
func TestBusyGameIsBusy(t *testing.T) {
	g, orders := busyGame(t)
	res, err := g.RunTurn(orders)
	if err != nil {
		t.Fatal(err)
	}
	groups, moving := 0, 0
	for _, r := range g.st.Races {
		groups += len(r.Groups)
		for _, gr := range r.Groups {
			if gr.inSpace() {
				moving++
			}
		}
	}
	if groups < 8500 || moving < 500 || len(g.st.Battles) == 0 {
		t.Fatalf("%d groups, %d moving, %d battles", groups, moving, len(g.st.Battles))
	}
	for id, r := range res.Reports {
		if len(r.Data.Mistakes) > 0 {
			t.Fatalf("race %s: mistakes %v", id, r.Data.Mistakes[0])
		}
	}
}
