package game

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBadLinesRunNothing is the property behind "a mistake does not cost the
// turn": a random order set with random bad lines mixed in ends the turn
// exactly as the same set without them. Only the mistakes (and their line
// numbers) may differ.
func TestBadLinesRunNothing(t *testing.T) {
	for seed := range uint64(300) {
		rnd := rand.New(rand.NewPCG(seed, 20261206))
		good := randomOrderBlocks(t, rnd)
		mixed := make([]string, 0, 2*len(good))
		for _, b := range good {
			for rnd.IntN(3) == 0 {
				mixed = append(mixed, badLines[rnd.IntN(len(badLines))])
			}
			mixed = append(mixed, b)
		}
		if rnd.IntN(2) == 0 {
			mixed = append(mixed, badLines[rnd.IntN(len(badLines))])
		}
		clean, dirty := outcome(t, strings.Join(good, "\n")), outcome(t, strings.Join(mixed, "\n"))
		if clean != dirty {
			t.Fatalf("seed %d: bad lines changed the turn\nclean orders:\n%s\nwith bad lines:\n%s\n%s",
				seed, strings.Join(good, "\n"), strings.Join(mixed, "\n"), firstDiff(clean, dirty))
		}
	}
}

// badLines are lines that can never be carried out in the fuzz game, one
// for each way an order can be wrong: unknown orders, missing or extra
// words, unknown groups, planets, types, fleets, races and options, bad
// numbers, platform orders. None opens a message.
var badLines = []string{
	"kaboom 1 2", "#bad line", "s", "s 99 #1", "s 1 Nowhere", "s 1 #2 0", "s 1 #2 999", "s NoFleet #2",
	"l 1 GOLD", "l 99 COL", "l 3 COL 0", "u", "u 99", "g 99", "g 1 0", "b 1 0", "b 1 999", "b 99 1",
	"x", "x 99", "x 1 0", "j 99 Fleet", "j 1 12", "d Bad 1 2", "d Bad -1 0 0 0 0", "d Bad 1 1 0 0 0",
	"e Nothing", "e Gun", "p Nowhere CAP", "p #1 Nothing", "r #1 GOLD #2", "r Nowhere COL #2",
	"n Nowhere X", "n #1", "t Nothing X", "t Drone Gun", "c", "c GM", "c Beta_Race", "h 99", "h 1",
	"h NoFleet", "i 99 #2", "i 1 Nowhere", "=", "m 1 2 0", "m x 1 1", "o colour", "o", "o xmlReport",
	"q Beta_Race", "q", "y secret", "z me@example.org", "f Beta_Race", "a Nobody", "w", "v Nowhere",
}

// randomOrderBlocks makes a random order set for race 0 of the fuzz game:
// orders that mostly work, and some that fail on their own. Each block is
// one order, or one whole message.
func randomOrderBlocks(t *testing.T, rnd *rand.Rand) []string {
	g := fuzzBase(t)
	home := pname(g.st, homeOf(t, g.st, 0))
	planet := func() string { return fmt.Sprintf("#%d", 1+rnd.IntN(len(g.st.Planets))) }
	group := func() int { return 1 + rnd.IntN(4) }
	makers := []func() string{
		func() string { return fmt.Sprintf("s %d %s", group(), planet()) },
		func() string { return fmt.Sprintf("s %d %s %d", group(), planet(), 1+rnd.IntN(3)) },
		func() string { return fmt.Sprintf("i %d %s", group(), planet()) },
		func() string { return fmt.Sprintf("l 3 %s", []string{"COL", "CAP", "MAT"}[rnd.IntN(3)]) },
		func() string { return fmt.Sprintf("u %d", group()) },
		func() string { return fmt.Sprintf("b %d 1", group()) },
		func() string { return fmt.Sprintf("g %d", group()) },
		func() string { return fmt.Sprintf("x %d 1", group()) },
		func() string { return fmt.Sprintf("j %d Armada", group()) },
		func() string { return "s Armada " + planet() },
		func() string { return fmt.Sprintf("d T%d %d 0 0 0 0", rnd.IntN(3), 1+rnd.IntN(3)) },
		func() string { return "p " + home + " " + []string{"CAP", "MAT", "DRIVE", "Drone", "Gun"}[rnd.IntN(5)] },
		func() string {
			return fmt.Sprintf("r %s %s %s", home, []string{"COL", "CAP", "MAT", "EMP"}[rnd.IntN(4)], planet())
		},
		func() string { return "n " + home + " Home" + fmt.Sprint(rnd.IntN(3)) },
		func() string { return "t Drone Bee" + fmt.Sprint(rnd.IntN(2)) },
		func() string { return "t Armada Navy" },
		func() string { return "c Alpha" + fmt.Sprint(rnd.IntN(3)) },
		func() string { return "= Arthur Dent" },
		func() string { return fmt.Sprintf("m %d %d %d", rnd.IntN(50), rnd.IntN(50), 1+rnd.IntN(50)) },
		func() string {
			return []string{"o autoUnload", "o no sortGroups", "o battleProtocol", "o no prodTable"}[rnd.IntN(4)]
		},
		func() string { return []string{"a Beta_Race", "w Beta_Race"}[rnd.IntN(2)] },
		func() string { return "v " + planet() },
		func() string { return "e T" + fmt.Sprint(rnd.IntN(3)) },
		func() string { return "@ Beta_Race\nHello from Alpha.\n@" },
		func() string { return "h 1" },
	}
	blocks := make([]string, 1+rnd.IntN(15))
	for i := range blocks {
		blocks[i] = makers[rnd.IntN(len(makers))]()
	}
	return blocks
}

// outcome runs a turn of the fuzz game with race 0's orders (race 1 sends
// none) and returns the state after it without the mistakes, as JSON.
func outcome(t *testing.T, orders string) string {
	t.Helper()
	g := fuzzBase(t)
	if _, err := g.RunTurn(map[string]string{"a": orders, "b": "; orders"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range g.st.Races {
		r.Events.Mistakes = nil
	}
	b, err := json.MarshalIndent(g.st, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// firstDiff shows where two outcomes part.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			lo := max(0, i-5)
			return fmt.Sprintf("first difference at line %d:\n%s\n--- vs ---\n%s",
				i+1, strings.Join(la[lo:i+1], "\n"), strings.Join(lb[lo:i+1], "\n"))
		}
	}
	return "one outcome is longer"
}
