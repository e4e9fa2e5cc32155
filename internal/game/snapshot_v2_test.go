package game

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// fillState sets every exported field reachable from v to a value of its
// own (n counts them): each slice gets size elements, each pointer a value.
// Values alternate in sign and have fractions, so that a field written in
// the wrong place or truncated shows.
func fillState(t *testing.T, v reflect.Value, size int, n *int) {
	t.Helper()
	*n++
	k := *n
	if k%2 == 0 {
		k = -k
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillState(t, v.Elem(), size, n)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillState(t, v.Field(i), size, n)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), size, size))
		fallthrough
	case reflect.Array:
		for i := range v.Len() {
			fillState(t, v.Index(i), size, n)
		}
	case reflect.String:
		v.SetString(fmt.Sprintf("name %d", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(k) * 1000)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n%200 + 1))
	case reflect.Float64:
		v.SetFloat(float64(k) + 0.1)
	default:
		t.Fatalf("the state has a field of kind %s: teach the snapshot encoding and this test about it", v.Kind())
	}
}

// TestSnapshotV2EveryField fills every field of the state and checks that
// the version 2 body gives it back: a field added to the state without
// being added to the encoding fails here.
func TestSnapshotV2EveryField(t *testing.T) {
	for _, size := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("slices of %d", size), func(t *testing.T) {
			st := &state{}
			n := 0
			fillState(t, reflect.ValueOf(st).Elem(), size, &n)
			body, err := appendStateV2(nil, st)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readStateV2(body)
			if err != nil {
				t.Fatal(err)
			}
			if d := stateDiff(st, got); d != "" {
				t.Fatalf("%d fields; after a round trip: %s", n, d)
			}
		})
	}
	t.Run("nothing set", func(t *testing.T) {
		body, err := appendStateV2(nil, &state{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := readStateV2(body)
		if err != nil {
			t.Fatal(err)
		}
		if d := stateDiff(&state{}, got); d != "" {
			t.Fatal(d)
		}
	})
}

// roundTrip encodes g and restores it, failing unless the restored state is
// the same and encodes to the same bytes.
func roundTrip(t *testing.T, g *Game) {
	t.Helper()
	snap, err := g.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	r, err := RestoreSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	if d := stateDiff(g.st, r.st); d != "" {
		t.Fatalf("turn %d: restored state differs: %s", g.Turn(), d)
	}
	again, err := r.MarshalSnapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(snap, again) {
		t.Fatalf("turn %d: restored state encodes differently", g.Turn())
	}
	for ri, rc := range r.st.Races {
		for _, gr := range rc.Groups {
			if gr.typ == nil || nameKey(gr.typ.Name) != nameKey(gr.Type) {
				t.Fatalf("group %d of race %d has no type after restore", gr.Num, ri)
			}
		}
	}
}

// TestSnapshotV2BusyRoundTrip restores the busy benchmark galaxy before and
// after its turn (battles with their protocols, renamed types, intercepts,
// maps and real names included; the golden game has the bombings).
func TestSnapshotV2BusyRoundTrip(t *testing.T) {
	g, orders := busyGame(t)
	roundTrip(t, g)
	if _, err := g.RunTurn(orders); err != nil {
		t.Fatal(err)
	}
	withProtocol := false
	for _, b := range g.st.Battles {
		withProtocol = withProtocol || len(b.Protocol) > 0
	}
	if !withProtocol || g.st.Races[0].Map == nil || g.st.Races[0].RealName == "" {
		t.Fatal("the busy turn no longer has battle protocols, maps and real names")
	}
	roundTrip(t, g)
}

// TestSnapshotQuitRaceRestores: a race that left with q must not make the
// game's snapshot unreadable (version 1 engines refused it).
func TestSnapshotQuitRaceRestores(t *testing.T) {
	g, err := New(1, Settings{}, append(slices.Clone(testRaces), RaceSpec{ID: "c", Name: "Gamma"}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.RunTurn(map[string]string{"a": "q Alpha", "b": ";", "c": ";"}); err != nil {
		t.Fatal(err)
	}
	if g.st.Races[0].Status != statusQuit {
		t.Fatalf("status %v", g.st.Races[0].Status)
	}
	roundTrip(t, g)
	if _, err := RestoreSnapshot(v1Snapshot(t, g.st)); err != nil {
		t.Fatal(err)
	}
}

// TestSnapshotRefusesNonFinite: a NaN or an infinity in the state is a bug
// in the rules; encoding fails and names the place, as version 1 did.
func TestSnapshotRefusesNonFinite(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(st *state)
		want string
	}{
		{"planet", func(st *state) { st.Planets[2].Pop = math.NaN() }, "planet 3"},
		{"group", func(st *state) {
			addType(st, 1, "Drone", 1, 0, 0, 0, 0)
			addGroup(st, 1, "Drone", 1, 0).Dist = math.Inf(1)
		}, "race 2: group 1"},
		{"race", func(st *state) { st.Races[0].MassLost = math.Inf(-1) }, "race 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := newTestGame(t)
			c.set(g.st)
			_, err := g.MarshalSnapshot()
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "not finite") {
				t.Fatalf("error %v, want one naming %s", err, c.want)
			}
		})
	}
}

// wrapV2 puts a version 2 body into the snapshot envelope.
func wrapV2(tb testing.TB, body []byte) []byte {
	tb.Helper()
	snap, err := envelope(snapshotV2, body)
	if err != nil {
		tb.Fatal(err)
	}
	return snap
}

// TestSnapshotV2Rejects damages version 2 bodies: every failure is an
// invalid_argument error that says what is wrong.
func TestSnapshotV2Rejects(t *testing.T) {
	g := newTestGame(t)
	run(t, g, "d Drone 1 0 0 0 0\np "+pname(g.st, homeOf(t, g.st, 0))+" Drone\n@ Beta_Race\nhi\n@", "zz")
	body, err := appendStateV2(nil, g.st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RestoreSnapshot(wrapV2(t, body)); err != nil {
		t.Fatal(err)
	}
	// prefix writes the fields before the planets, as appendStateV2 does.
	prefix := func(wrap bool, side float64) *wireWriter {
		w := &wireWriter{}
		w.int64(1)
		w.int(0)
		w.int(0)
		w.int(0)
		w.bool(wrap)
		w.int(0)
		w.float(side)
		return w
	}
	hugeCount := prefix(false, 100)
	hugeCount.uint(1 << 40)
	badBool := prefix(false, 100)
	badBool.b[4] = 2
	infinite := prefix(false, math.Inf(1))
	wrongShip := g.st.clone()
	wrongShip.Races[0].Groups[0].Type = "Nope"
	wrongShipBody, _ := appendStateV2(nil, wrongShip)
	badOwner := g.st.clone()
	badOwner.Planets[0].Owner = 7
	badOwnerBody, _ := appendStateV2(nil, badOwner)
	cases := []struct {
		name string
		body []byte
		want string
	}{
		{"empty", nil, "bad or truncated number at byte 0"},
		{"data after the state", append(slices.Clone(body), 0), "1 bytes of unknown data after the state"},
		{"count beyond the data", hugeCount.b, "more than the data holds"},
		{"bad boolean", badBool.b, "bad boolean"},
		{"infinite number", infinite.b, "not finite"},
		{"overlong number", append(prefix(false, 100).b, bytes.Repeat([]byte{0xff}, 11)...), "bad or truncated number"},
		{"group of an unknown type", wrongShipBody, "inconsistent: race 1 has an invalid group"},
		{"owner out of range", badOwnerBody, "inconsistent: planet 1 is invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := RestoreSnapshot(wrapV2(t, c.body))
			if err == nil || !strings.Contains(err.Error(), c.want) || !errs.Is(err, errs.InvalidArgument) {
				t.Fatalf("error %v, want %q (invalid_argument)", err, c.want)
			}
		})
	}
	t.Run("every truncation", func(t *testing.T) {
		for n := range len(body) {
			_, err := RestoreSnapshot(wrapV2(t, body[:n]))
			if err == nil || !strings.Contains(err.Error(), "corrupt") || !errs.Is(err, errs.InvalidArgument) {
				t.Fatalf("body cut to %d of %d bytes: error %v", n, len(body), err)
			}
		}
	})
	t.Run("every changed byte fails or restores a valid game", func(t *testing.T) {
		for i := range body {
			bad := slices.Clone(body)
			bad[i] ^= 0x5a
			if r, err := RestoreSnapshot(wrapV2(t, bad)); err != nil {
				if !errs.Is(err, errs.InvalidArgument) {
					t.Fatalf("byte %d: %v", i, err)
				}
			} else if _, err := r.MarshalSnapshot(); err != nil {
				t.Fatalf("byte %d: restored but cannot encode: %v", i, err)
			}
		}
	})
}

// TestSnapshotV2MinimumSizes: each record's smallest encoding is the size
// the decoder assumes when it checks a count. A larger assumption would
// refuse valid snapshots; a smaller one would let counts allocate more.
func TestSnapshotV2MinimumSizes(t *testing.T) {
	size := func(write func(w *wireWriter)) int {
		w := &wireWriter{}
		write(w)
		return len(w.b)
	}
	oneBattleGroup := size(func(w *wireWriter) { writeBattle(w, &battle{Groups: []battleGroup{{}}}) }) -
		size(func(w *wireWriter) { writeBattle(w, &battle{}) })
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"planet", size(func(w *wireWriter) { writePlanet(w, &planet{}) }), minPlanetBytes},
		{"race", size(func(w *wireWriter) { _ = writeRace(w, &race{}) }), minRaceBytes},
		{"ship type", size(func(w *wireWriter) { writeShipType(w, &shipType{}) }), minTypeBytes},
		{"group", size(func(w *wireWriter) {
			writeGroup(w, &group{}, map[string]int{"": 0}, &[numTech]float64{})
		}), minGroupBytes},
		{"route", size(func(w *wireWriter) { writeRoute(w, route{}) }), minRouteBytes},
		{"battle", size(func(w *wireWriter) { writeBattle(w, &battle{}) }), minBattleBytes},
		{"battle group", oneBattleGroup, minBattleGroupBytes},
		{"bombing", size(func(w *wireWriter) { writeBombing(w, &bombing{}) }), minBombingBytes},
	} {
		if c.got != c.want {
			t.Errorf("the smallest %s takes %d bytes; the decoder assumes %d", c.name, c.got, c.want)
		}
	}
}
