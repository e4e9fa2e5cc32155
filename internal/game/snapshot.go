package game

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Snapshot format: the 4-byte magic "GXSN", one version byte, then the state
// as JSON compressed with gzip. See the package documentation for why.
const (
	snapshotMagic   = "GXSN"
	snapshotVersion = 1
	// maxSnapshotJSON bounds decompression so that a corrupt or hostile
	// snapshot cannot exhaust memory.
	maxSnapshotJSON = 256 << 20
)

// marshalSnapshot encodes the state.
func marshalSnapshot(st *state) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(snapshotMagic)
	buf.WriteByte(snapshotVersion)
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if err := json.NewEncoder(zw).Encode(st); err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress snapshot: %w", err)
	}
	return buf.Bytes(), nil
}

// unmarshalSnapshot decodes and checks a snapshot.
func unmarshalSnapshot(b []byte) (*state, error) {
	bad := func(format string, args ...any) error {
		return errs.E(errs.InvalidArgument, "snapshot "+format, args...)
	}
	if len(b) < len(snapshotMagic)+1 || string(b[:len(snapshotMagic)]) != snapshotMagic {
		return nil, bad("is not a Galaxy snapshot")
	}
	if v := b[len(snapshotMagic)]; v != snapshotVersion {
		return nil, bad("has version %d; this engine reads version %d", v, snapshotVersion)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b[len(snapshotMagic)+1:]))
	if err != nil {
		return nil, bad("is corrupt: %v", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxSnapshotJSON+1))
	if err != nil {
		return nil, bad("is corrupt: %v", err)
	}
	if len(raw) > maxSnapshotJSON {
		return nil, bad("is too large")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	st := &state{}
	if err := dec.Decode(st); err != nil {
		return nil, bad("is corrupt: %v", err)
	}
	if err := st.check(); err != nil {
		return nil, bad("is inconsistent: %v", err)
	}
	for _, r := range st.Races {
		r.indexTypes()
	}
	return st, nil
}

// check verifies every reference in a decoded state, so that a damaged
// snapshot is rejected instead of crashing a later turn.
func (s *state) check() error {
	np, nr := len(s.Planets), len(s.Races)
	if nr == 0 || np == 0 || s.Side <= 0 || s.Turn < 0 {
		return fmt.Errorf("empty galaxy")
	}
	okRace := func(i int) bool { return i >= 0 && i < nr }
	okPlanet := func(i int) bool { return i >= 0 && i < np }
	for i, p := range s.Planets {
		if p == nil || (p.Owner != noRace && !okRace(p.Owner)) || p.Prod > prodShip {
			return fmt.Errorf("planet %d is invalid", i+1)
		}
	}
	for i, r := range s.Races {
		if r == nil || len(r.Peace) != nr || r.Status > statusRemoved {
			return fmt.Errorf("race %d is invalid", i+1)
		}
		names := map[string]bool{}
		for _, t := range r.Types {
			if t == nil || names[nameKey(t.Name)] || t.mass() <= 0 {
				return fmt.Errorf("race %d has an invalid ship type", i+1)
			}
			names[nameKey(t.Name)] = true
		}
		last := 0
		for _, g := range r.Groups {
			if g == nil || !names[nameKey(g.Type)] || g.Ships <= 0 || g.Num <= last || g.Cargo > cargoMAT {
				return fmt.Errorf("race %d has an invalid group", i+1)
			}
			last = g.Num
			if g.At == noRace {
				if !okPlanet(g.From) || !okPlanet(g.To) {
					return fmt.Errorf("race %d has a group with an invalid course", i+1)
				}
			} else if !okPlanet(g.At) {
				return fmt.Errorf("race %d has a group at an invalid planet", i+1)
			}
		}
		for _, rt := range r.Routes {
			if !okPlanet(rt.From) || !okPlanet(rt.To) || rt.Cargo == cargoNone || rt.Cargo > cargoEMP {
				return fmt.Errorf("race %d has an invalid route", i+1)
			}
		}
	}
	for _, p := range s.Planets {
		if p.Owner != noRace && p.Prod == prodShip && !slices.ContainsFunc(s.Races[p.Owner].Types, func(t *shipType) bool { return t.Name == p.ShipType }) {
			return fmt.Errorf("planet %s builds an unknown ship type", p.Name)
		}
	}
	for _, w := range s.Winners {
		if !okRace(w) {
			return fmt.Errorf("invalid winner")
		}
	}
	for _, b := range s.Battles {
		if b == nil || !okPlanet(b.Planet) {
			return fmt.Errorf("invalid battle")
		}
		for _, g := range b.Groups {
			if !okRace(g.Race) {
				return fmt.Errorf("invalid battle")
			}
		}
		for _, v := range b.Viewers {
			if !okRace(v) {
				return fmt.Errorf("invalid battle")
			}
		}
	}
	for _, b := range s.Bombings {
		if b == nil || !okPlanet(b.Planet) || !okRace(b.Owner) || (b.NewOwner != noRace && !okRace(b.NewOwner)) {
			return fmt.Errorf("invalid bombing")
		}
		for _, a := range append(slices.Clone(b.Attackers), b.Viewers...) {
			if !okRace(a) {
				return fmt.Errorf("invalid bombing")
			}
		}
	}
	return nil
}

// clone deep-copies the state for order checks and benchmarks.
func (s *state) clone() *state {
	c := *s
	c.names = nil
	c.Planets = make([]*planet, len(s.Planets))
	for i, p := range s.Planets {
		cp := *p
		c.Planets[i] = &cp
	}
	c.Races = make([]*race, len(s.Races))
	for i, r := range s.Races {
		cr := *r
		cr.Types = make([]*shipType, len(r.Types))
		for j, t := range r.Types {
			ct := *t
			cr.Types[j] = &ct
		}
		cr.Groups = make([]*group, len(r.Groups))
		for j, g := range r.Groups {
			cg := *g
			cr.Groups[j] = &cg
		}
		cr.Fleets = slices.Clone(r.Fleets)
		cr.Peace = slices.Clone(r.Peace)
		cr.Routes = slices.Clone(r.Routes)
		cr.Events = raceEvents{
			Mistakes: slices.Clone(r.Events.Mistakes), Messages: slices.Clone(r.Events.Messages),
			News: slices.Clone(r.Events.News), Orders: r.Events.Orders,
		}
		cr.claims = nil
		cr.indexTypes()
		c.Races[i] = &cr
	}
	c.Winners = slices.Clone(s.Winners)
	c.Battles = slices.Clone(s.Battles) // records are never modified after a turn
	c.Bombings = slices.Clone(s.Bombings)
	c.Bulletins = slices.Clone(s.Bulletins)
	return &c
}
