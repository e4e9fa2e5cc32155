package svg

import (
	"iter"
	"math"
)

// Kinds of group markers, which are also their CSS classes.
const (
	fleetMine     = "mine"
	fleetOther    = "other"
	fleetIncoming = "incoming"
)

// flock is the groups drawn as one marker: the same kind and race at the
// same point, and in flight also bound for the same planet. Two thousand
// groups collapse to far fewer markers, and none hides another exactly.
type flock struct {
	kind     string
	race     string
	x, y     float64
	inFlight bool
	dest     string
	hasDest  bool
	dx, dy   float64 // destination position
	ships    int
	count    int // groups in the flock
	first    int // index of its first group in flocks.groups
	last     int // and of its last, to append in order
}

// flocks holds every flock and, as linked lists threaded through next, the
// groups of each: one allocation for all rather than a slice per flock.
type flocks struct {
	list   []flock
	groups []*Group
	next   []int // next[i] follows groups[i] in its flock, -1 at the end
}

// members yields the groups of f, in input order.
func (fs *flocks) members(f *flock) iter.Seq[*Group] {
	return func(yield func(*Group) bool) {
		for i := f.first; i >= 0; i = fs.next[i] {
			if !yield(fs.groups[i]) {
				return
			}
		}
	}
}

// flockKey is what makes groups share a marker. Positions are compared at
// the reports' precision.
type flockKey struct {
	kind, race string
	x, y       int64
	inFlight   bool
	dest       string
}

// collectGroups sorts the view's groups into flocks, in order of first
// appearance so the output is the same for the same input.
func collectGroups(m *MapView, idx planetIndex, side float64) *flocks {
	fs := &flocks{
		list:   make([]flock, 0, len(m.Groups)),
		groups: make([]*Group, 0, len(m.Groups)),
		next:   make([]int, 0, len(m.Groups)),
	}
	byKey := make(map[flockKey]int, len(m.Groups))
	for i := range m.Groups {
		gr := &m.Groups[i]
		kind := fleetOther
		switch {
		case gr.Incoming:
			kind = fleetIncoming
		case gr.Race == "" || gr.Race == m.Me:
			kind = fleetMine
		}
		// An incoming group is on its way by definition.
		inFlight := gr.InFlight || gr.Incoming
		x, y := finite(gr.X), finite(gr.Y)
		if gr.Unplaced {
			var ok bool
			if x, y, ok = placeOnRoute(gr, idx, side, m.Wrap); !ok {
				continue // nowhere to draw it
			}
		}
		dest, dx, dy, hasDest := "", 0.0, 0.0, false
		if inFlight && gr.Destination != "" {
			dest, hasDest = gr.Destination, true
			if p := idx[dest]; p != nil {
				dx, dy = finite(p.X), finite(p.Y)
			} else {
				dx, dy = finite(gr.DestX), finite(gr.DestY)
			}
		}
		gi := len(fs.groups)
		fs.groups = append(fs.groups, gr)
		fs.next = append(fs.next, -1)
		key := flockKey{kind, gr.Race, round2i(x), round2i(y), inFlight, dest}
		fi, ok := byKey[key]
		if !ok {
			fi = len(fs.list)
			byKey[key] = fi
			fs.list = append(fs.list, flock{kind: kind, race: gr.Race, x: x, y: y, inFlight: inFlight,
				dest: dest, hasDest: hasDest, dx: dx, dy: dy, first: gi, last: gi})
		} else {
			fs.next[fs.list[fi].last] = gi
			fs.list[fi].last = gi
		}
		f := &fs.list[fi]
		f.count++
		f.ships += max(gr.Ships, 0)
	}
	return fs
}

func round2i(v float64) int64 { return int64(math.Round(v * 100)) }

// placeOnRoute finds where an unplaced group is: Distance short of its
// destination on the short way from its origin, as the engine moves it.
func placeOnRoute(gr *Group, idx planetIndex, side float64, wrap bool) (x, y float64, ok bool) {
	o, d := idx[gr.Origin], idx[gr.Destination]
	if o == nil || d == nil {
		return 0, 0, false
	}
	ddx, ddy := delta(o.X, d.X, side, wrap), delta(o.Y, d.Y, side, wrap)
	total := math.Hypot(ddx, ddy)
	if !(total > 0) {
		return d.X, d.Y, true
	}
	f := 1 - finite(gr.Distance)/total
	f = math.Max(0, math.Min(1, f))
	x, y = o.X+ddx*f, o.Y+ddy*f
	if wrap {
		x, y = wrapInto(x, side), wrapInto(y, side)
	}
	return x, y, true
}
