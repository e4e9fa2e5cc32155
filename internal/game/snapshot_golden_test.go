package game_test

import (
	"bytes"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/game"
)

// TestSnapshotGoldenRoundTrip plays the golden game again and, after every
// turn, restores the state from its snapshot and from a version 1 snapshot
// of it: both must give the same state, field for field and bit for bit,
// and the same reports.
func TestSnapshotGoldenRoundTrip(t *testing.T) {
	played := playGolden(t)
	g, err := game.New(goldenSeed, game.Settings{}, goldenRaces)
	if err != nil {
		t.Fatal(err)
	}
	for turn, p := range played {
		if turn > 0 {
			if _, err := g.RunTurn(p.orders); err != nil {
				t.Fatal(err)
			}
		}
		snap, err := g.MarshalSnapshot()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(snap, p.snapshot) {
			t.Fatalf("turn %d: the same game encodes differently", turn)
		}
		for _, c := range []struct {
			version string
			snap    []byte
		}{{"2", snap}, {"1", game.SnapshotV1(t, g)}} {
			r, err := game.RestoreSnapshot(c.snap)
			if err != nil {
				t.Fatalf("turn %d, version %s: %v", turn, c.version, err)
			}
			if d := game.SnapshotStateDiff(g, r); d != "" {
				t.Fatalf("turn %d, version %s: %s", turn, c.version, d)
			}
			sameReports(t, turn, turn, r.Reports(), p.reports)
		}
	}
}

// TestReplayFromV1Snapshots: a game stored as version 1 before the engine
// was upgraded goes on exactly as it would have, restored at any turn.
func TestReplayFromV1Snapshots(t *testing.T) {
	played := playGolden(t)
	g, err := game.New(goldenSeed, game.Settings{}, goldenRaces)
	if err != nil {
		t.Fatal(err)
	}
	for from := range played[:len(played)-1] {
		if from > 0 {
			if _, err := g.RunTurn(played[from].orders); err != nil {
				t.Fatal(err)
			}
		}
		r, err := game.RestoreSnapshot(game.SnapshotV1(t, g))
		if err != nil {
			t.Fatal(err)
		}
		for turn := from + 1; turn < len(played); turn++ {
			res, err := r.RunTurn(played[turn].orders)
			if err != nil {
				t.Fatal(err)
			}
			sameReports(t, from, turn, res.Reports, played[turn].reports)
			snap, err := r.MarshalSnapshot()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(snap, played[turn].snapshot) {
				t.Fatalf("restored from version 1 at %d: snapshot of turn %d differs", from, turn)
			}
		}
	}
}
