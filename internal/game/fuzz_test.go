package game

import (
	"math"
	"runtime"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// fuzzBase is a small game where orders have something to act on: both races
// have ship types and groups at home, and some cargo in stock.
func fuzzBase(t testing.TB) *Game {
	g, err := New(3, Settings{PlanetsPerRace: 6}, testRaces)
	if err != nil {
		t.Fatal(err)
	}
	st := g.st
	for ri := range st.Races {
		home := homeOf(t, st, ri)
		addType(st, ri, "Drone", 1, 0, 0, 0, 0)
		addType(st, ri, "Gun", 2, 3, 1, 1, 0)
		addType(st, ri, "Hauler", 2, 0, 0, 0, 3)
		addGroup(st, ri, "Drone", 3, home)
		addGroup(st, ri, "Gun", 5, home)
		addGroup(st, ri, "Hauler", 4, home)
		st.Planets[home].COL, st.Planets[home].CAP, st.Planets[home].MAT = 20, 20, 20
	}
	return g
}

// FuzzOrders feeds arbitrary text to the order checker and the turn: nothing
// may panic, every mistake must point at a line of the text (or the line
// after it), and the state must stay encodable.
func FuzzOrders(f *testing.F) {
	for _, s := range []string{
		"",
		"d Drone2 1 0 0 0 0\np 1 Drone2",
		"s 1 2 3\ns 2 4\nl 3 COL\nu 3",
		"@ Beta_Race\nhello\n@\na beta_race\nw Beta_Race",
		"#GALAXY game race pw\nsend 2 5 ; comment\n#END\nignored",
		"r 1 COL 2\nr 1 col\nr 1 EMP 3",
		"g 2 1\nb 1 1\nx 2 2\nj 3 Fleet\ns Fleet 7",
		"n 1 Home\nv 2\ne Drone",
		"d Big 1e6 1000 1e6 1e6 1e6\np 2 Big",
		"d X 1 2147483648 1 1 1\nd Y 1 1 nan 0 0\nd Z inf 0 0 0 0",
		"\r\n\r@\r\n",
	} {
		f.Add(s)
	}
	base := fuzzBase(f)
	f.Fuzz(func(t *testing.T, text string) {
		lines := len(splitLines(text))
		check := func(where string, ms []Mistake) {
			for _, m := range ms {
				if m.Line < 1 || m.Line > lines+1 || m.Message == "" {
					t.Fatalf("%s: bad mistake %+v for %d lines", where, m, lines)
				}
			}
		}
		g := &Game{st: base.st.clone()}
		res, err := g.CheckOrders("a", text)
		if err != nil {
			t.Fatal(err)
		}
		if res.Errors == nil || res.Accepted != (len(res.Errors) == 0) {
			t.Fatalf("check result %+v", res)
		}
		check("check", res.Errors)
		out, err := g.RunTurn(map[string]string{"a": text, "b": text})
		if err != nil {
			t.Fatal(err)
		}
		for id, r := range out.Reports {
			check("turn "+id, r.Data.Mistakes)
		}
		for _, p := range g.st.Planets {
			for _, v := range []float64{p.Pop, p.Ind, p.CAP, p.MAT, p.COL, p.Progress} {
				if math.IsNaN(v) || math.IsInf(v, 0) || v < -1e-6 {
					t.Fatalf("planet %+v has a bad value", p)
				}
			}
		}
		snap, err := g.MarshalSnapshot()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := RestoreSnapshot(snap); err != nil {
			t.Fatal(err)
		}
	})
}

// tinyState is a small but complete state for FuzzRestoreSnapshot's seeds:
// three planets, two races with types, groups in orbit and in hyperspace, a
// fleet, a route, events, a map, a battle with its protocol and a bombing.
// Small seeds keep the fuzzer's inputs small, and so its minimisation fast.
func tinyState() *state {
	gun := &shipType{Name: "Gun", Drive: 1, Attacks: 2, Weapons: 1.5, Shields: 1, Cargo: 0}
	st := &state{
		Seed: 7, Turn: 3, Side: 20, StartRaces: 2,
		Planets: []*planet{
			{Name: "Home", X: 1, Y: 2, Size: 1000, Resources: 10, Pop: 1000, Ind: 1000, CAP: 1.5, Owner: 0, Prod: prodShip, ShipType: "Gun", Progress: 0.25},
			{Name: "Far", X: 15, Y: 9.5, Size: 500, Resources: 2.5, Pop: 20, Owner: 1, Prod: prodDrive},
			{Name: "Rock", X: 8, Y: 18, Size: 30, Resources: 0.1, Owner: noRace},
		},
		Races: []*race{
			{ID: "a", Name: "Alpha", Tech: [numTech]float64{1, 1.25, 1, 1.5}, Types: []*shipType{gun},
				Groups: []*group{
					{Num: 1, Type: "Gun", Ships: 3, Tech: [numTech]float64{1, 1.25, 1, 1.5}, At: 0, Fleet: "Home_Fleet"},
					{Num: 4, Type: "Gun", Ships: 1, Tech: [numTech]float64{1, 1, 1, 1}, Cargo: cargoCOL, Load: 0.5, At: noRace, From: 0, To: 1, Dist: 7.25},
				},
				Fleets: []string{"Home_Fleet"}, Peace: []bool{false, true},
				Routes:  []route{{From: 0, Cargo: cargoCAP, To: 2}},
				Events:  raceEvents{Mistakes: []Mistake{{Line: 2, Message: "no"}}, News: []string{"news"}, Orders: true},
				Options: 1 << optBattleProtocol, Map: &mapArea{X: 0, Y: 0, Size: 10}, MassProduced: 12, MassLost: 3},
			{ID: "b", Name: "Beta", Tech: [numTech]float64{1, 1, 1, 1}, Peace: []bool{false, false}, Status: statusQuit, LeftAt: 2, Idle: 1,
				Events: raceEvents{Messages: []Message{{From: "Alpha", Text: "hi"}}}, RealName: "Bob"},
		},
		Winners: []int{0},
		Battles: []*battle{{Planet: 1, Viewers: []int{0, 1}, Rounds: 1, Shots: 2,
			Groups:   []battleGroup{{Race: 0, Num: 1, Type: *gun, Tech: [numTech]float64{1, 1, 1, 1}, Ships: 3, Left: 3}, {Race: 1, Num: 2, Type: *gun, Ships: 1, Left: 0, Load: 1}},
			Protocol: []shot{{0, 1, 0}, {0, 1, 1}}}},
		Bombings:  []*bombing{{Planet: 1, Owner: 1, Attackers: []int{0}, Pop: 20, Ind: 5, NewOwner: noRace, Viewers: []int{0, 1}, Reason: "bombed"}},
		Bulletins: []string{"Beta left the game."},
	}
	return st
}

// FuzzRestoreSnapshot feeds damaged snapshots to RestoreSnapshot, using the
// input three ways: as the body of a version 2 snapshot, as the JSON of a
// version 1 snapshot, and as a whole snapshot. Nothing may panic; every
// refusal is an invalid_argument error; decoding allocates no more than a
// small multiple of the input; and a state that restores encodes, restores
// again to the same state, and runs a turn.
func FuzzRestoreSnapshot(f *testing.F) {
	body, err := appendStateV2(nil, tinyState())
	if err != nil {
		f.Fatal(err)
	}
	snap, err := envelope(snapshotV2, body)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := RestoreSnapshot(snap); err != nil {
		f.Fatalf("the seed does not restore: %v", err)
	}
	f.Add(body)
	f.Add(snap)
	f.Add([]byte(`{"seed":1,"side":1,"planets":[{"owner":-1}],"races":[{"peace":[false],"events":{}}]}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, version := range []byte{snapshotV2, snapshotV1, 0} {
			in := data
			if version != 0 {
				var err error
				if in, err = envelope(version, data); err != nil {
					t.Fatal(err)
				}
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := unmarshalSnapshot(in)
			runtime.ReadMemStats(&after)
			if grown := after.TotalAlloc - before.TotalAlloc; grown > uint64(64*len(in))+4<<20 {
				t.Fatalf("version %d: decoding %d bytes allocated %d", version, len(in), grown)
			}
			if err != nil {
				if !errs.Is(err, errs.InvalidArgument) {
					t.Fatalf("version %d: error %v is not invalid_argument", version, err)
				}
				continue
			}
			r, err := RestoreSnapshot(in)
			if err != nil {
				t.Fatalf("version %d: decodes but does not restore: %v", version, err)
			}
			r.Summary()
			again, err := r.MarshalSnapshot()
			if err != nil {
				t.Fatalf("version %d: restores but does not encode: %v", version, err)
			}
			r2, err := RestoreSnapshot(again)
			if err != nil {
				t.Fatalf("version %d: its own encoding does not restore: %v", version, err)
			}
			if d := stateDiff(r.st, r2.st); d != "" {
				t.Fatalf("version %d: encoding changes the state: %s", version, d)
			}
			if _, err := r.RunTurn(nil); err != nil && !errs.Is(err, errs.FailedPrecondition) {
				t.Fatalf("version %d: the next turn fails: %v", version, err)
			}
		}
	})
}
