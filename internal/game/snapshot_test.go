package game

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// rawSnapshot wraps JSON in the snapshot envelope.
func rawSnapshot(t testing.TB, version byte, js []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(snapshotMagic)
	buf.WriteByte(version)
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(js); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSnapshotRoundTrip(t *testing.T) {
	g := newTestGame(t)
	run(t, g, "d Drone 1 0 0 0 0\np "+pname(g.st, homeOf(t, g.st, 0))+" Drone", "frob")
	snap, err := g.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(snap, []byte("GXSN\x02")) {
		t.Fatalf("header %q", snap[:5])
	}
	r, err := RestoreSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := r.MarshalSnapshot()
	if !bytes.Equal(snap, again) {
		t.Fatal("restored state encodes differently")
	}
	for id, rep := range g.Reports() {
		if r.Reports()[id].Text != rep.Text {
			t.Fatalf("report of %s differs after restore", id)
		}
	}
	if r.Turn() != 1 || r.Summary().Races[0].Ships == 0 {
		t.Fatalf("restored turn %d summary %+v", r.Turn(), r.Summary())
	}
}

func TestSnapshotRejects(t *testing.T) {
	g := newTestGame(t)
	good, _ := g.MarshalSnapshot()
	js, err := json.Marshal(g.st)
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(js, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty input", nil, "not a Galaxy snapshot"},
		{"wrong magic", []byte("PK\x03\x04hello"), "not a Galaxy snapshot"},
		{"unknown version", rawSnapshot(t, 3, js), "version 3"},
		{"version 0", rawSnapshot(t, 0, js), "version 0"},
		{"corrupt compression", append([]byte("GXSN\x01"), 1, 2, 3, 4, 5, 6), "corrupt"},
		{"corrupt compression v2", append([]byte("GXSN\x02"), 1, 2, 3, 4, 5, 6), "corrupt"},
		{"header only", []byte("GXSN\x02"), "corrupt"},
		{"truncated", good[:len(good)/2], "corrupt"},
		{"one byte short", good[:len(good)-1], "corrupt"},
		{"data after the compressed state", append(slices.Clone(good), 0), "unknown data after the compressed state"},
		{"second gzip member", append(slices.Clone(good), good[5:]...), "unknown data after the compressed state"},
		{"JSON as version 2", rawSnapshot(t, 2, js), "corrupt"},
		{"JSON with data after it", rawSnapshot(t, 1, append(slices.Clone(js), []byte(" {}")...)), "unknown data after the state"},
		{"not JSON", rawSnapshot(t, 1, []byte("{nope")), "corrupt"},
		{"unknown field", rawSnapshot(t, 1, mutate(func(m map[string]any) { m["extra"] = 1 })), "corrupt"},
		{"owner out of range", rawSnapshot(t, 1, mutate(func(m map[string]any) {
			m["planets"].([]any)[0].(map[string]any)["owner"] = 7
		})), "inconsistent"},
		{"no races", rawSnapshot(t, 1, mutate(func(m map[string]any) { m["races"] = []any{} })), "inconsistent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := RestoreSnapshot(c.data)
			if err == nil || !strings.Contains(err.Error(), c.want) || !errs.Is(err, errs.InvalidArgument) {
				t.Fatalf("error %v, want %q (invalid_argument)", err, c.want)
			}
		})
	}
}

func TestNewGameReports(t *testing.T) {
	g := newTestGame(t)
	if g.Turn() != 0 {
		t.Fatalf("turn %d", g.Turn())
	}
	reps := g.Reports()
	if len(reps) != 2 {
		t.Fatalf("%d reports", len(reps))
	}
	for _, id := range []string{"a", "b"} {
		d := reps[id].Data
		if d.Turn != 0 || len(d.Planets) != 3 || d.RaceID != id || !strings.Contains(reps[id].Text, "Your Planets") {
			t.Fatalf("turn-0 report of %s: %+v", id, d)
		}
		b, err := json.Marshal(reps[id])
		if err != nil || bytes.Contains(b, []byte("null")) {
			t.Fatalf("JSON of %s has nulls or fails: %v", id, err)
		}
	}
	s := g.Summary()
	if s.Finished || len(s.Winners) != 0 || s.Winners == nil || s.Races[0].Planets != 3 || s.Races[0].Population != 1750 {
		t.Fatalf("summary %+v", s)
	}
}

// TestConcurrentChecks runs order checks beside each other, as the engine
// does; run with -race to prove they only read the game.
func TestConcurrentChecks(t *testing.T) {
	g := newTestGame(t)
	done := make(chan CheckResult)
	for i := range 4 {
		go func() {
			res, _ := g.CheckOrders([]string{"a", "b"}[i%2], "d Drone 1 0 0 0 0\nn 1 Foo\ns 1 2")
			done <- res
		}()
	}
	for range 4 {
		<-done
	}
}
