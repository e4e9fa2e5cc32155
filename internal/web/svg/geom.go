package svg

import "math"

// geom holds the sizes of things on one map, all in galaxy units. They are
// fractions of the map's side so that a map of 2 races and one of 25 look
// alike once scaled to the page; CSS cannot do this, it does not know the
// side.
type geom struct {
	side       float64
	rMin, rMax float64 // planet radius for the smallest and largest sizes
	font       float64 // planet label height
	small      float64 // axis, scale bar and badge text height
	mark       float64 // half-width of a group marker
	step       float64 // grid spacing, a round number of light years
}

// maxPlanetSize is the largest planet size there is (a home world).
const maxPlanetSize = 1000

func newGeom(side float64) geom {
	return geom{
		side:  side,
		rMin:  side / 300,
		rMax:  side / 70,
		font:  side / 70,
		small: side / 85,
		mark:  side / 170,
		step:  niceStep(side / 10),
	}
}

// radius maps a planet size to a circle radius. The area grows with the
// size (square root), the way the eye compares discs, and every planet stays
// a visible dot however small. A size of 0 means unknown and gets the
// smallest radius.
func (g geom) radius(size float64) float64 {
	if !(size > 0) { // also catches NaN
		return g.rMin
	}
	f := math.Sqrt(math.Min(size, maxPlanetSize) / maxPlanetSize)
	return g.rMin + (g.rMax-g.rMin)*f
}

// niceStep rounds raw up to 1, 2 or 5 times a power of ten, so grid lines
// fall on coordinates a player can read off at a glance.
func niceStep(raw float64) float64 {
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= raw*0.999 {
			return m * p
		}
	}
	return 10 * p
}

// mapSide is the side to draw: the view's Size, or when it is missing or
// absurd, one just large enough for every planet, so a bad input still
// gives a usable picture rather than a division by zero.
func mapSide(m *MapView) float64 {
	if m.Size > 0 && !math.IsInf(m.Size, 0) {
		return m.Size
	}
	side := 0.0
	for _, p := range m.Planets {
		side = math.Max(side, math.Max(finite(p.X), finite(p.Y)))
	}
	if side <= 0 {
		return 100
	}
	return math.Ceil(side * 1.05)
}

// finite replaces NaN and infinities by 0.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
