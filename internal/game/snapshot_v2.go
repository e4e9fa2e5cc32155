package game

import (
	"fmt"
	"math"
)

// This file is the body of a version 2 snapshot: the state's fields in the
// order of their declaration, written with the primitives of
// snapshot_wire.go. A field added to the state must be added here, on both
// sides, under a new version number (snapshots already written must still
// read); TestSnapshotV2EveryField fails until it is.

// appendStateV2 appends the version 2 body of st to b.
func appendStateV2(b []byte, st *state) ([]byte, error) {
	w := &wireWriter{b: b}
	w.int64(st.Seed)
	w.int(st.Turn)
	w.int(st.Settings.MaxTurns)
	w.int(st.Settings.IdleTurnsLimit)
	w.bool(st.Settings.Wrap)
	w.int(st.Settings.PlanetsPerRace)
	w.float(st.Side)
	if w.nonFinite {
		return nil, errNonFinite("the galaxy's size")
	}
	if err := writeRecords(w, "planet", st.Planets, writePlanet); err != nil {
		return nil, err
	}
	w.count(len(st.Races))
	for i, r := range st.Races {
		if r == nil {
			return nil, fmt.Errorf("race %d is missing", i+1)
		}
		if err := writeRace(w, r); err != nil {
			return nil, fmt.Errorf("race %d: %w", i+1, err)
		}
	}
	w.int(st.StartRaces)
	w.bool(st.Finished)
	writeSlice(w, st.Winners, w.int)
	if err := writeRecords(w, "battle", st.Battles, writeBattle); err != nil {
		return nil, err
	}
	if err := writeRecords(w, "bombing", st.Bombings, writeBombing); err != nil {
		return nil, err
	}
	writeSlice(w, st.Bulletins, w.str)
	return w.b, nil
}

// writeRecords writes a count and then each record, refusing a missing
// record or one holding a number that is not finite (what names them).
func writeRecords[T any](w *wireWriter, what string, items []*T, write func(*wireWriter, *T)) error {
	w.count(len(items))
	for i, it := range items {
		if it == nil {
			return fmt.Errorf("%s %d is missing", what, i+1)
		}
		write(w, it)
		if w.nonFinite {
			return errNonFinite(fmt.Sprintf("%s %d", what, i+1))
		}
	}
	return nil
}

// errNonFinite says where a NaN or an infinity was found.
func errNonFinite(where string) error {
	return fmt.Errorf("%s holds a number that is not finite", where)
}

// readStateV2 decodes a version 2 body. It checks the encoding only: the
// caller checks that the references in the state are consistent.
func readStateV2(b []byte) (*state, error) {
	r := newWireReader(b)
	st := &state{}
	st.Seed = r.int64()
	st.Turn = r.int()
	st.Settings.MaxTurns = r.int()
	st.Settings.IdleTurnsLimit = r.int()
	st.Settings.Wrap = r.bool()
	st.Settings.PlanetsPerRace = r.int()
	st.Side = r.float()
	st.Planets = readSlice(r, minPlanetBytes, func() *planet { return readPlanet(r) })
	st.Races = readSlice(r, minRaceBytes, func() *race { return readRace(r) })
	st.StartRaces = r.int()
	st.Finished = r.bool()
	st.Winners = readSlice(r, 1, r.int)
	st.Battles = readSlice(r, minBattleBytes, func() *battle { return readBattle(r) })
	st.Bombings = readSlice(r, minBombingBytes, func() *bombing { return readBombing(r) })
	st.Bulletins = readSlice(r, 1, r.str)
	if r.err == nil && len(r.b) > 0 {
		r.fail("%d bytes of unknown data after the state", len(r.b))
	}
	if r.err != nil {
		return nil, r.err
	}
	return st, nil
}

// The fewest bytes each record takes (one per field, a group's technology
// included, as it may be its predecessor's): readSlice refuses a count the
// rest of the data cannot hold. TestSnapshotV2MinimumSizes keeps them true.
const (
	minPlanetBytes      = 14
	minRaceBytes        = 23
	minTypeBytes        = 6
	minGroupBytes       = 12
	minRouteBytes       = 3
	minBattleBytes      = 7
	minBattleGroupBytes = 15
	minShotBytes        = 3
	minBombingBytes     = 8
)

func writePlanet(w *wireWriter, p *planet) {
	w.str(p.Name)
	w.float(p.X)
	w.float(p.Y)
	w.float(p.Size)
	w.float(p.Resources)
	w.float(p.Pop)
	w.float(p.Ind)
	w.float(p.CAP)
	w.float(p.MAT)
	w.float(p.COL)
	w.int(p.Owner)
	w.byte(uint8(p.Prod))
	w.str(p.ShipType)
	w.float(p.Progress)
}

func readPlanet(r *wireReader) *planet {
	p := &planet{}
	p.Name = r.str()
	p.X = r.float()
	p.Y = r.float()
	p.Size = r.float()
	p.Resources = r.float()
	p.Pop = r.float()
	p.Ind = r.float()
	p.CAP = r.float()
	p.MAT = r.float()
	p.COL = r.float()
	p.Owner = r.int()
	p.Prod = prodKind(r.byte())
	p.ShipType = r.name()
	p.Progress = r.float()
	return p
}

func writeRace(w *wireWriter, rc *race) error {
	w.str(rc.ID)
	w.str(rc.Name)
	w.tech(&rc.Tech)
	w.count(len(rc.Types))
	for j, t := range rc.Types {
		if t == nil {
			return fmt.Errorf("ship type %d is missing", j+1)
		}
		writeShipType(w, t)
	}
	if w.nonFinite {
		return errNonFinite("a ship type")
	}
	typeIndex := make(map[string]int, len(rc.Types))
	for j, t := range rc.Types {
		typeIndex[t.Name] = j
	}
	w.count(len(rc.Groups))
	prev := &rc.Tech
	for _, g := range rc.Groups {
		if g == nil {
			return fmt.Errorf("a group is missing")
		}
		writeGroup(w, g, typeIndex, prev)
		prev = &g.Tech
		if w.nonFinite {
			return errNonFinite(fmt.Sprintf("group %d", g.Num))
		}
	}
	writeSlice(w, rc.Fleets, w.str)
	writeSlice(w, rc.Peace, w.bool)
	writeSlice(w, rc.Routes, func(rt route) { writeRoute(w, rt) })
	w.byte(uint8(rc.Status))
	w.int(rc.Idle)
	w.int(rc.LeftAt)
	writeSlice(w, rc.Events.Mistakes, func(m Mistake) {
		w.int(m.Line)
		w.str(m.Message)
	})
	writeSlice(w, rc.Events.Messages, func(m Message) {
		w.str(m.From)
		w.str(m.Text)
	})
	writeSlice(w, rc.Events.News, w.str)
	w.bool(rc.Events.Orders)
	w.str(rc.RealName)
	w.uint(uint64(rc.Options))
	w.bool(rc.Map != nil)
	if rc.Map != nil {
		w.float(rc.Map.X)
		w.float(rc.Map.Y)
		w.float(rc.Map.Size)
	}
	w.float(rc.MassProduced)
	w.float(rc.MassLost)
	if w.nonFinite {
		return errNonFinite("the race")
	}
	return nil
}

func readRace(r *wireReader) *race {
	rc := &race{}
	rc.ID = r.str()
	rc.Name = r.str()
	r.tech(&rc.Tech)
	rc.Types = readSlice(r, minTypeBytes, func() *shipType {
		t := &shipType{}
		readShipType(r, t)
		return t
	})
	rc.Groups = readGroups(r, rc.Types, &rc.Tech)
	rc.Fleets = readSlice(r, 1, r.name)
	rc.Peace = readSlice(r, 1, r.bool)
	rc.Routes = readSlice(r, minRouteBytes, func() route { return readRoute(r) })
	rc.Status = raceStatus(r.byte())
	rc.Idle = r.int()
	rc.LeftAt = r.int()
	rc.Events.Mistakes = readSlice(r, 2, func() Mistake {
		return Mistake{Line: r.int(), Message: r.str()}
	})
	rc.Events.Messages = readSlice(r, 2, func() Message {
		return Message{From: r.str(), Text: r.str()}
	})
	rc.Events.News = readSlice(r, 1, r.str)
	rc.Events.Orders = r.bool()
	rc.RealName = r.str()
	if o := r.uint(); o <= math.MaxUint16 {
		rc.Options = optionFlips(o)
	} else {
		r.fail("bad options")
	}
	if r.bool() {
		rc.Map = &mapArea{X: r.float(), Y: r.float(), Size: r.float()}
	}
	rc.MassProduced = r.float()
	rc.MassLost = r.float()
	return rc
}

func writeRoute(w *wireWriter, rt route) {
	w.int(rt.From)
	w.byte(uint8(rt.Cargo))
	w.int(rt.To)
}

func readRoute(r *wireReader) route {
	return route{From: r.int(), Cargo: cargoKind(r.byte()), To: r.int()}
}

// tech writes a set of technology levels.
func (w *wireWriter) tech(t *[numTech]float64) {
	for _, v := range t {
		w.float(v)
	}
}

// techSince writes a set of technology levels after a byte telling which
// of them are those of prev (bit i for level i), which are left out:
// groups built at the same time share their levels.
func (w *wireWriter) techSince(t, prev *[numTech]float64) {
	var same uint8
	for i := range t {
		if math.Float64bits(t[i]) == math.Float64bits(prev[i]) {
			same |= 1 << i
		}
	}
	w.byte(same)
	for i, v := range t {
		if same&(1<<i) == 0 {
			w.float(v)
		}
	}
}

// techSince reads levels written by wireWriter.techSince.
func (r *wireReader) techSince(t, prev *[numTech]float64) {
	same := r.byte()
	if same >= 1<<numTech {
		r.fail("bad technology mask")
		return
	}
	for i := range t {
		if same&(1<<i) != 0 {
			t[i] = prev[i]
		} else {
			t[i] = r.float()
		}
	}
}

// tech reads a set of technology levels.
func (r *wireReader) tech(t *[numTech]float64) {
	for i := range t {
		t[i] = r.float()
	}
}

func writeShipType(w *wireWriter, t *shipType) {
	w.str(t.Name)
	w.float(t.Drive)
	w.int(t.Attacks)
	w.float(t.Weapons)
	w.float(t.Shields)
	w.float(t.Cargo)
}

func readShipType(r *wireReader, t *shipType) {
	t.Name = r.name()
	t.Drive = r.float()
	t.Attacks = r.int()
	t.Weapons = r.float()
	t.Shields = r.float()
	t.Cargo = r.float()
}

// writeGroup writes a group. Its type is written as the type's place in the
// race's types plus one, which is shorter than its name, or as 0 and the
// name when no type has exactly that name.
func writeGroup(w *wireWriter, g *group, typeIndex map[string]int, prev *[numTech]float64) {
	w.int(g.Num)
	if j, ok := typeIndex[g.Type]; ok {
		w.uint(uint64(j) + 1)
	} else {
		w.uint(0)
		w.str(g.Type)
	}
	w.int(g.Ships)
	w.techSince(&g.Tech, prev)
	w.byte(uint8(g.Cargo))
	w.float(g.Load)
	w.int(g.At)
	w.int(g.From)
	w.int(g.To)
	w.float(g.Dist)
	w.str(g.Fleet)
	w.bool(g.Routed)
}

// readGroups reads a race's groups, written with writeGroup. They are
// allocated together, as one slice: the groups of a restored state live as
// long as the state, since the next turn runs on a copy.
func readGroups(r *wireReader, types []*shipType, prev *[numTech]float64) []*group {
	n := r.count(minGroupBytes)
	if n == 0 {
		return nil
	}
	all := make([]group, n)
	gs := make([]*group, n)
	for i := range all {
		readGroup(r, &all[i], types, prev)
		prev = &all[i].Tech
		if r.err != nil {
			return nil
		}
		gs[i] = &all[i]
	}
	return gs
}

func readGroup(r *wireReader, g *group, types []*shipType, prev *[numTech]float64) {
	g.Num = r.int()
	switch j := r.uint(); {
	case j == 0:
		g.Type = r.name()
	case j <= uint64(len(types)):
		g.Type = types[j-1].Name
	default:
		r.fail("group of an unknown ship type")
	}
	g.Ships = r.int()
	r.techSince(&g.Tech, prev)
	g.Cargo = cargoKind(r.byte())
	g.Load = r.float()
	g.At = r.int()
	g.From = r.int()
	g.To = r.int()
	g.Dist = r.float()
	g.Fleet = r.name()
	g.Routed = r.bool()
}

func writeBattle(w *wireWriter, b *battle) {
	w.int(b.Planet)
	writeSlice(w, b.Viewers, w.int)
	writeSlice(w, b.Groups, func(bg battleGroup) {
		w.int(bg.Race)
		w.int(bg.Num)
		writeShipType(w, &bg.Type)
		w.tech(&bg.Tech)
		w.int(bg.Ships)
		w.int(bg.Left)
		w.float(bg.Load)
	})
	w.int(b.Rounds)
	w.int(b.Shots)
	w.bool(b.Standoff)
	writeSlice(w, b.Protocol, func(s shot) {
		w.int(int(s[0]))
		w.int(int(s[1]))
		w.int(int(s[2]))
	})
}

func readBattle(r *wireReader) *battle {
	b := &battle{}
	b.Planet = r.int()
	b.Viewers = readSlice(r, 1, r.int)
	b.Groups = readSlice(r, minBattleGroupBytes, func() battleGroup {
		var bg battleGroup
		bg.Race = r.int()
		bg.Num = r.int()
		readShipType(r, &bg.Type)
		r.tech(&bg.Tech)
		bg.Ships = r.int()
		bg.Left = r.int()
		bg.Load = r.float()
		return bg
	})
	b.Rounds = r.int()
	b.Shots = r.int()
	b.Standoff = r.bool()
	b.Protocol = readSlice(r, minShotBytes, func() shot {
		return shot{r.int32(), r.int32(), r.int32()}
	})
	return b
}

func writeBombing(w *wireWriter, b *bombing) {
	w.int(b.Planet)
	w.int(b.Owner)
	writeSlice(w, b.Attackers, w.int)
	w.float(b.Pop)
	w.float(b.Ind)
	w.int(b.NewOwner)
	writeSlice(w, b.Viewers, w.int)
	w.str(b.Reason)
}

func readBombing(r *wireReader) *bombing {
	b := &bombing{}
	b.Planet = r.int()
	b.Owner = r.int()
	b.Attackers = readSlice(r, 1, r.int)
	b.Pop = r.float()
	b.Ind = r.float()
	b.NewOwner = r.int()
	b.Viewers = readSlice(r, 1, r.int)
	b.Reason = r.str()
	return b
}
