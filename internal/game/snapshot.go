package game

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Snapshot format: the 4-byte magic "GXSN", one version byte, then the
// state compressed with gzip: as JSON in version 1, which is still read, and
// in the binary encoding of snapshot_v2.go in version 2, which is written.
// See the package documentation for why.
const (
	snapshotMagic = "GXSN"
	snapshotV1    = 1
	snapshotV2    = 2
	// maxSnapshotJSON and maxSnapshotBody bound decompression so that a
	// corrupt or hostile snapshot cannot exhaust memory. The binary body is
	// about two thirds of the JSON; 64 MiB is some 130 times the body of the
	// busy 25-race galaxy of the benchmarks.
	maxSnapshotJSON = 256 << 20
	maxSnapshotBody = 64 << 20
)

// marshalSnapshot encodes the state as a version 2 snapshot.
func marshalSnapshot(st *state) ([]byte, error) {
	body, err := appendStateV2(make([]byte, 0, bodySizeHint(st)), st)
	if err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	return envelope(snapshotV2, body)
}

// envelope puts the magic and the version before the compressed body.
func envelope(version byte, body []byte) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, len(body)/3+256))
	buf.WriteString(snapshotMagic)
	buf.WriteByte(version)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer func() {
		zw.Reset(io.Discard) // so the pool does not keep the snapshot alive
		gzipWriters.Put(zw)
	}()
	zw.Reset(buf)
	if _, err := zw.Write(body); err != nil {
		return nil, fmt.Errorf("compress snapshot: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress snapshot: %w", err)
	}
	return buf.Bytes(), nil
}

// gzipWriters keeps compressors between snapshots: each holds about a
// megabyte of tables, more than the snapshot it writes.
var gzipWriters = sync.Pool{New: func() any {
	zw, err := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	if err != nil {
		panic(err) // only for an invalid level
	}
	return zw
}}

// bodySizeHint is a little more than the usual size of st's version 2
// body, so that encoding it rarely grows the buffer.
func bodySizeHint(st *state) int {
	n := 4096 + 96*len(st.Planets)
	for _, r := range st.Races {
		n += 256 + 48*len(r.Groups)
	}
	return n
}

// unmarshalSnapshot decodes and checks a snapshot of either version.
func unmarshalSnapshot(b []byte) (*state, error) {
	bad := func(format string, args ...any) error {
		return errs.E(errs.InvalidArgument, "snapshot "+format, args...)
	}
	if len(b) < len(snapshotMagic)+1 || string(b[:len(snapshotMagic)]) != snapshotMagic {
		return nil, bad("is not a Galaxy snapshot")
	}
	var st *state
	switch v := b[len(snapshotMagic)]; v {
	case snapshotV1:
		raw, err := inflate(b[len(snapshotMagic)+1:], maxSnapshotJSON)
		if err != nil {
			return nil, bad("%v", err)
		}
		if st, err = readStateV1(raw); err != nil {
			return nil, bad("is corrupt: %v", err)
		}
	case snapshotV2:
		raw, err := inflate(b[len(snapshotMagic)+1:], maxSnapshotBody)
		if err != nil {
			return nil, bad("%v", err)
		}
		if st, err = readStateV2(raw); err != nil {
			return nil, bad("is corrupt: %v", err)
		}
	default:
		return nil, bad("has version %d; this engine reads versions %d and %d", v, snapshotV1, snapshotV2)
	}
	if err := st.check(); err != nil {
		return nil, bad("is inconsistent: %v", err)
	}
	for _, r := range st.Races {
		r.indexTypes()
	}
	return st, nil
}

// inflate decompresses a snapshot's gzip stream of at most limit bytes. One
// gzip member is expected and nothing after it: extra data fails loudly.
func inflate(b []byte, limit int) ([]byte, error) {
	br := bytes.NewReader(b)
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("is corrupt: %w", err)
	}
	zr.Multistream(false)
	// The last four bytes of a gzip member are the size of its data (modulo
	// 2^32): when they tell the truth the buffer is allocated once. A lie
	// costs at most sixteen times the input (snapshots shrink three- to
	// tenfold); beyond that the buffer grows with the data, as usual.
	size := int(binary.LittleEndian.Uint32(b[len(b)-4:]))
	out := bytes.NewBuffer(make([]byte, 0, min(size, limit, 16*len(b)+64<<10)+bytes.MinRead))
	if _, err := out.ReadFrom(io.LimitReader(zr, int64(limit)+1)); err != nil {
		return nil, fmt.Errorf("is corrupt: %w", err)
	}
	if out.Len() > limit {
		return nil, fmt.Errorf("is too large")
	}
	if br.Len() > 0 {
		return nil, fmt.Errorf("is corrupt: %d bytes of unknown data after the compressed state", br.Len())
	}
	return out.Bytes(), nil
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
		if r == nil || len(r.Peace) != nr || r.Status > statusQuit {
			return fmt.Errorf("race %d is invalid", i+1)
		}
		names := map[string]bool{}
		// Groups nearly always spell their type as the type does: looking
		// that up first saves building the key of thousands of groups.
		exact := make(map[string]bool, len(r.Types))
		for _, t := range r.Types {
			if t == nil || names[nameKey(t.Name)] || t.mass() <= 0 {
				return fmt.Errorf("race %d has an invalid ship type", i+1)
			}
			names[nameKey(t.Name)], exact[t.Name] = true, true
		}
		last := 0
		for _, g := range r.Groups {
			if g == nil || !exact[g.Type] && !names[nameKey(g.Type)] || g.Ships <= 0 || g.Num <= last || g.Cargo > cargoMAT {
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
