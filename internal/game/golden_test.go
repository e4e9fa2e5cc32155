package game_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/game/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const (
	goldenSeed  = 20240601
	goldenTurns = 30
)

var goldenRaces = []game.RaceSpec{
	{ID: "r1", Name: "Vogons"},
	{ID: "r2", Name: "Black Hole"},
	{ID: "r3", Name: "Zorg"},
}

// playedTurn records one turn of the golden game: the orders that ran it,
// the snapshot after it and its reports.
type playedTurn struct {
	orders   map[string]string
	snapshot []byte
	reports  map[string]game.Report
}

// extraOrders are fixed orders mixed into the bots' orders, so that the
// golden game exercises messages, mistakes, renames, alliances and fleets.
var extraOrders = map[int]map[string]string{
	1: {"r1": "@ Black_Hole Zorg\nGreetings from the Vogons.\n@", "r2": "kaboom 1 2\ns 99 1"},
	2: {"r3": "a Vogons\n@ vogons\nPeace?\n@"},
	3: {"r1": "a zorg"},
	6: {"r2": "j 1 Home_Guard\nd Scout 1 0 0 0 0"},
	9: {"r3": "w Vogons"},
}

// playGolden plays the golden game and records every turn (turn 0 first).
func playGolden(t testing.TB) []playedTurn {
	t.Helper()
	g, err := game.New(goldenSeed, game.Settings{}, goldenRaces)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := g.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	played := []playedTurn{{snapshot: snap, reports: g.Reports()}}
	bots := map[string]*bot.Bot{}
	for _, r := range goldenRaces {
		bots[r.ID] = bot.New()
	}
	for turn := 1; turn <= goldenTurns; turn++ {
		orders := map[string]string{}
		reports := g.Reports()
		for _, r := range goldenRaces {
			orders[r.ID] = bots[r.ID].Orders(reports[r.ID].Data) + extraOrders[turn][r.ID]
		}
		res, err := g.RunTurn(orders)
		if err != nil {
			t.Fatal(err)
		}
		if res.Turn != turn || g.Turn() != turn {
			t.Fatalf("ran turn %d, want %d", res.Turn, turn)
		}
		snap, err := g.MarshalSnapshot()
		if err != nil {
			t.Fatal(err)
		}
		played = append(played, playedTurn{orders: orders, snapshot: snap, reports: res.Reports})
	}
	return played
}

// reportJSON encodes a report's data the way the engine sends it.
func reportJSON(t testing.TB, r game.Report) []byte {
	t.Helper()
	b, err := json.Marshal(r.Data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGolden compares every race's report of every turn of a 30-turn game
// with the files under testdata/golden: the text in full, the JSON through
// per-turn digests plus the last turn in full. Run with -update to rewrite
// them after an intended change.
func TestGolden(t *testing.T) {
	played := playGolden(t)
	dir := filepath.Join("testdata", "golden")
	files := map[string][]byte{}
	var digests strings.Builder
	for _, r := range goldenRaces {
		var text bytes.Buffer
		for turn, p := range played {
			fmt.Fprintf(&text, "=================== turn %d ===================\n", turn)
			text.WriteString(p.reports[r.ID].Text)
			fmt.Fprintf(&digests, "%s turn %2d %x\n", r.ID, turn, sha256.Sum256(reportJSON(t, p.reports[r.ID])))
		}
		files[r.ID+".txt"] = text.Bytes()
		last, err := json.MarshalIndent(played[len(played)-1].reports[r.ID].Data, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		files[r.ID+".json"] = append(last, '\n')
	}
	files["json-digests.txt"] = []byte(digests.String())
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, b := range files {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s differs from the golden file; first difference: %s", name, firstDiff(b, want))
		}
	}
}

// firstDiff describes where two texts first differ.
func firstDiff(got, want []byte) string {
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) && i < len(wl); i++ {
		if gl[i] != wl[i] {
			return fmt.Sprintf("line %d:\n got  %q\n want %q", i+1, gl[i], wl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(gl), len(wl))
}

// TestReplayFromSnapshots restores the golden game from the snapshot of every
// turn and checks that the restored reports and every later turn (reports and
// snapshots) are byte-identical to the original run.
func TestReplayFromSnapshots(t *testing.T) {
	played := playGolden(t)
	for from := range played[:len(played)-1] {
		g, err := game.RestoreSnapshot(played[from].snapshot)
		if err != nil {
			t.Fatalf("restore turn %d: %v", from, err)
		}
		if g.Turn() != from {
			t.Fatalf("restored turn %d, want %d", g.Turn(), from)
		}
		sameReports(t, from, from, g.Reports(), played[from].reports)
		for turn := from + 1; turn < len(played); turn++ {
			res, err := g.RunTurn(played[turn].orders)
			if err != nil {
				t.Fatal(err)
			}
			sameReports(t, from, turn, res.Reports, played[turn].reports)
			snap, err := g.MarshalSnapshot()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(snap, played[turn].snapshot) {
				t.Fatalf("restored at %d: snapshot of turn %d differs", from, turn)
			}
		}
	}
}

// sameReports fails when two sets of reports differ in any byte.
func sameReports(t *testing.T, from, turn int, got, want map[string]game.Report) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("restored at %d, turn %d: %d reports, want %d", from, turn, len(got), len(want))
	}
	for id, w := range want {
		g := got[id]
		if g.Text != w.Text {
			t.Fatalf("restored at %d, turn %d, race %s: text differs: %s", from, turn, id, firstDiff([]byte(g.Text), []byte(w.Text)))
		}
		if !bytes.Equal(reportJSON(t, g), reportJSON(t, w)) {
			t.Fatalf("restored at %d, turn %d, race %s: JSON differs", from, turn, id)
		}
	}
}

// TestBotsPlayToTheEnd plays a whole game with bots: it must finish with
// surviving winners.
func TestBotsPlayToTheEnd(t *testing.T) {
	races := []game.RaceSpec{{ID: "a", Name: "Ants"}, {ID: "b", Name: "Bees"}, {ID: "c", Name: "Crabs"}, {ID: "d", Name: "Dogs"}}
	const maxTurns = 300
	g, err := game.New(11, game.Settings{MaxTurns: maxTurns, Wrap: true}, races)
	if err != nil {
		t.Fatal(err)
	}
	bots := map[string]*bot.Bot{}
	for _, r := range races {
		bots[r.ID] = bot.New()
	}
	var res *game.TurnResult
	for !g.Summary().Finished {
		orders := map[string]string{}
		reports := g.Reports()
		for _, r := range races {
			orders[r.ID] = bots[r.ID].Orders(reports[r.ID].Data)
		}
		if res, err = g.RunTurn(orders); err != nil {
			t.Fatal(err)
		}
	}
	s := res.Summary
	if !s.Finished || len(s.Winners) == 0 {
		t.Fatalf("summary %+v", s)
	}
	for _, w := range s.Winners {
		for _, r := range s.Races {
			if r.RaceID == w && r.Eliminated {
				t.Fatalf("eliminated winner %s", w)
			}
		}
	}
	if res.Turn == maxTurns {
		t.Logf("game reached the turn limit; winners %v", s.Winners)
	} else {
		t.Logf("game won by conquest at turn %d; winners %v", res.Turn, s.Winners)
	}
	for _, r := range races {
		if d := res.Reports[r.ID].Data; !d.Finished || len(d.Winners) != len(s.Winners) {
			t.Fatalf("report of %s does not announce the end", r.ID)
		}
	}
	if _, err := g.RunTurn(nil); err == nil {
		t.Fatal("finished game ran another turn")
	}
}
