package svg

import (
	"math"
	"slices"
)

// delta is the signed offset from a to b along one axis: the plain
// difference, or on a wrapping map the shorter way round, as the engine
// moves ships.
func delta(a, b, side float64, wrap bool) float64 {
	d := b - a
	if wrap {
		if d > side/2 {
			d -= side
		} else if d < -side/2 {
			d += side
		}
	}
	return d
}

// segment is a straight piece of a route, inside the map.
type segment struct{ x1, y1, x2, y2 float64 }

// route is up to three segments (a route on a wrapping map crosses at most
// one edge per axis), held in an array so drawing a thousand routes
// allocates nothing.
type route struct {
	segs [3]segment
	n    int
}

// pieces are the route's segments, in order.
func (r *route) pieces() []segment { return r.segs[:r.n] }

func (r *route) add(s segment) {
	r.segs[r.n] = s
	r.n++
}

// routeSegments splits the straight route from (x1, y1) to (x2, y2) into the
// pieces to draw. On a flat map that is one segment. On a wrapping map the
// route takes the short way; where that crosses an edge the route leaves
// the map there and comes back on the opposite side, so it is cut at each
// crossing (up to two: one per axis) and every piece shifted back inside.
// The last piece always ends at (x2, y2), where the arrowhead goes.
func routeSegments(x1, y1, x2, y2, side float64, wrap bool) route {
	var r route
	dx, dy := delta(x1, x2, side, wrap), delta(y1, y2, side, wrap)
	if !wrap {
		r.add(segment{x1, y1, x2, y2})
		return r
	}
	// Parameters t in (0, 1) where the line x1+t·dx (or y) meets 0 or side;
	// a start or end on an edge is no crossing, so at most one per axis.
	var buf [6]float64
	cuts := append(buf[:0], 0)
	cuts = appendCrossing(cuts, x1, dx, side)
	cuts = appendCrossing(cuts, y1, dy, side)
	slices.Sort(cuts)
	cuts = append(cuts, 1)
	for i := 0; i+1 < len(cuts) && r.n < len(r.segs); i++ {
		t0, t1 := cuts[i], cuts[i+1]
		if t1-t0 < 1e-9 {
			continue
		}
		// The middle of the piece tells which copy of the map it runs
		// through; shift it back by that many sides.
		tm := (t0 + t1) / 2
		ox := math.Floor((x1+tm*dx)/side) * side
		oy := math.Floor((y1+tm*dy)/side) * side
		r.add(segment{
			x1 + t0*dx - ox, y1 + t0*dy - oy,
			x1 + t1*dx - ox, y1 + t1*dy - oy,
		})
	}
	if r.n > 0 {
		// Pin the end exactly on the destination, free of rounding.
		r.segs[r.n-1].x2, r.segs[r.n-1].y2 = x2, y2
	}
	return r
}

// appendCrossing adds the parameter where a line starting at a and moving
// by d crosses 0 or side, when it does so strictly inside the route.
func appendCrossing(cuts []float64, a, d, side float64) []float64 {
	if d == 0 {
		return cuts
	}
	for _, edge := range [2]float64{0, side} {
		if t := (edge - a) / d; t > 1e-9 && t < 1-1e-9 {
			cuts = append(cuts, t)
		}
	}
	return cuts
}

// wrapInto brings a coordinate into [0, side) on a wrapping map.
func wrapInto(v, side float64) float64 {
	v = math.Mod(v, side)
	if v < 0 {
		v += side
	}
	return v
}
