package game

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// v1Snapshot encodes st as engines before version 2 did: JSON, gzipped.
func v1Snapshot(tb testing.TB, st *state) []byte {
	tb.Helper()
	js, err := json.Marshal(st)
	if err != nil {
		tb.Fatal(err)
	}
	return rawSnapshot(tb, snapshotV1, js)
}

// TestSnapshotV1Fixtures restores version 1 snapshots written by the engine
// before version 2 (the golden game at turns 1, 22 and 30; a small game
// with a battle protocol, a map, a real name, a fleet, a route, a message
// and a mistake), as games stored in the database hold them. Each must
// restore, give the same reports and next turn as its version 2 copy, and
// keep every field through version 2. If a JSON tag of the state changes,
// this fails: old snapshots would no longer restore.
func TestSnapshotV1Fixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "snapshot-v1", "*.gxsn"))
	if err != nil || len(files) < 4 {
		t.Fatalf("fixtures %v: %v", files, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			v1, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			old, err := RestoreSnapshot(v1)
			if err != nil {
				t.Fatal(err)
			}
			v2, err := old.MarshalSnapshot()
			if err != nil {
				t.Fatal(err)
			}
			if v2[len(snapshotMagic)] != snapshotV2 {
				t.Fatal("re-encoded as version 1")
			}
			cur, err := RestoreSnapshot(v2)
			if err != nil {
				t.Fatal(err)
			}
			if d := stateDiff(old.st, cur.st); d != "" {
				t.Fatalf("version 2 copy differs: %s", d)
			}
			for id, rep := range old.Reports() {
				if cur.Reports()[id].Text != rep.Text {
					t.Fatalf("report of %s differs", id)
				}
			}
			orders := map[string]string{}
			for _, r := range old.st.Races {
				orders[r.ID] = "; next turn"
			}
			if _, err := old.RunTurn(orders); err != nil {
				t.Fatal(err)
			}
			if _, err := cur.RunTurn(orders); err != nil {
				t.Fatal(err)
			}
			if d := stateDiff(old.st, cur.st); d != "" {
				t.Fatalf("next turn differs: %s", d)
			}
		})
	}
}

// TestSnapshotV1BusyRestores: the busy galaxy, before and after its turn,
// written as version 1 restores to the same state.
func TestSnapshotV1BusyRestores(t *testing.T) {
	g, orders := busyGame(t)
	for turn := range 2 {
		if turn == 1 {
			if _, err := g.RunTurn(orders); err != nil {
				t.Fatal(err)
			}
		}
		r, err := RestoreSnapshot(v1Snapshot(t, g.st))
		if err != nil {
			t.Fatal(err)
		}
		if d := stateDiff(g.st, r.st); d != "" {
			t.Fatalf("turn %d: %s", g.Turn(), d)
		}
	}
}

// TestSnapshotJSON: the JSON of a version 2 snapshot, as people read it, is
// a version 1 body that restores to the same state.
func TestSnapshotJSON(t *testing.T) {
	g, orders := busyGame(t)
	if _, err := g.RunTurn(orders); err != nil {
		t.Fatal(err)
	}
	snap, err := g.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	js, err := SnapshotJSON(snap)
	if err != nil {
		t.Fatal(err)
	}
	r, err := RestoreSnapshot(rawSnapshot(t, snapshotV1, js))
	if err != nil {
		t.Fatal(err)
	}
	if d := stateDiff(g.st, r.st); d != "" {
		t.Fatal(d)
	}
	if _, err := SnapshotJSON(snap[:len(snap)/2]); !errs.Is(err, errs.InvalidArgument) {
		t.Fatalf("damaged snapshot: %v", err)
	}
}
