package game

import (
	"fmt"
	"math"
)

// distXY is the distance between two points, the short way round on a
// wrapping map.
func (s *state) distXY(x1, y1, x2, y2 float64) float64 {
	dx, dy := s.delta(x1, x2), s.delta(y1, y2)
	return math.Hypot(dx, dy)
}

// delta is the signed shortest offset from a to b along one axis.
func (s *state) delta(a, b float64) float64 {
	d := b - a
	if s.Settings.Wrap {
		if d > s.Side/2 {
			d -= s.Side
		} else if d < -s.Side/2 {
			d += s.Side
		}
	}
	return d
}

// dist is the distance between two planets.
func (s *state) dist(a, b int) float64 {
	pa, pb := s.Planets[a], s.Planets[b]
	return s.distXY(pa.X, pa.Y, pb.X, pb.Y)
}

// position is where a group is: its planet, or the point on its way that its
// distance left gives.
func (s *state) position(g *group) (float64, float64) {
	if !g.inSpace() {
		p := s.Planets[g.At]
		return p.X, p.Y
	}
	from, to := s.Planets[g.From], s.Planets[g.To]
	total := s.dist(g.From, g.To)
	if total <= 0 {
		return to.X, to.Y
	}
	f := 1 - g.Dist/total
	x := from.X + s.delta(from.X, to.X)*f
	y := from.Y + s.delta(from.Y, to.Y)*f
	if s.Settings.Wrap {
		x, y = wrapCoord(x, s.Side), wrapCoord(y, s.Side)
	}
	return x, y
}

// launch puts a group into hyperspace towards planet to. It has departed
// this turn, which is what interceptors look for.
func (s *state) launch(g *group, to int) {
	g.From, g.To = g.At, to
	g.Dist = s.dist(g.At, to)
	g.At = noRace
	g.departed = true
}

// sendPhase runs the queued s orders (step 4).
func sendPhase(st *state, sets []*orderSet) {
	for _, set := range sets {
		if set == nil {
			continue
		}
		r := st.Races[set.race]
		for _, a := range set.sends {
			if why := sendOrder(st, r, a); why != "" {
				addMistake(r, a.line, a.raw, why)
			}
		}
	}
}

// sendOrder carries out one s order, for a group or a whole fleet.
func sendOrder(st *state, r *race, a action) string {
	if a.fleet != "" {
		members := r.fleetGroups(a.fleet)
		if len(members) == 0 {
			return fmt.Sprintf("fleet %s has no ships left", displayName(a.fleet))
		}
		for _, g := range members {
			if g.inSpace() || (g.At == a.to && !a.intercept) {
				return fmt.Sprintf("fleet %s has already left or is at its destination", displayName(a.fleet))
			}
		}
		for _, g := range members {
			g.busy = true
			g.intercept = a.intercept
			if g.At != a.to {
				st.launch(g, a.to)
			}
		}
		return ""
	}
	g := a.group
	switch {
	case g.Ships <= 0:
		return fmt.Sprintf("group %d no longer exists", g.Num)
	case a.n > g.Ships:
		return fmt.Sprintf("group %d has only %d ships left", g.Num, g.Ships)
	case g.inSpace():
		return fmt.Sprintf("group %d has already left", g.Num)
	case g.At == a.to && !a.intercept:
		return fmt.Sprintf("group %d is already there", g.Num)
	}
	g.busy = true
	n := a.n
	if n == 0 {
		n = g.Ships
	}
	tg := r.split(g, n)
	tg.Fleet = "" // a group sent on its own leaves its fleet
	tg.intercept = a.intercept
	if tg.At != a.to {
		st.launch(tg, a.to)
	}
	return ""
}

// routePhase sends idle cargo ships along the race's routes (step 5), as
// GalaxyNG's loadphase does. At each route's origin, a group that got no
// order this turn and is in no fleet takes the route's cargo if it is empty:
// it fills ship after ship, and only the ships that got cargo leave, the
// others staying behind as a group of their own. Groups that already carry
// the route's cargo (from an earlier turn: a group loaded with l this turn
// had an order) leave too; on EMP routes the empty groups leave.
func routePhase(st *state, only int) {
	for ri, r := range st.Races {
		if !r.active() || len(r.Routes) == 0 || (only >= 0 && ri != only) {
			continue
		}
		for _, rt := range r.Routes {
			p := st.Planets[rt.From]
			if p.Owner != ri {
				continue
			}
			for _, g := range r.Groups {
				if g.Ships <= 0 || g.At != rt.From || g.busy || g.Fleet != "" || g.typ.Cargo <= 0 || g.typ.Drive <= 0 {
					continue
				}
				want := rt.Cargo
				if want == cargoEMP {
					want = cargoNone
				} else if g.Cargo == cargoNone {
					loadForRoute(r, g, stock(p, want), want)
				}
				if g.Cargo != want {
					continue
				}
				g.busy = true
				st.launch(g, rt.To)
			}
		}
	}
}

// loadForRoute fills g with cargo of kind from stock s, ship after ship:
// the ships that got nothing break off and stay, and the rest share the
// cargo evenly.
func loadForRoute(r *race, g *group, s *float64, kind cargoKind) {
	if *s <= 1e-9 {
		return
	}
	capacity := g.capacity()
	if capacity <= 0 {
		return
	}
	room := capacity * float64(g.Ships)
	qty := math.Min(*s, room)
	*s = math.Max(0, *s-qty)
	if idle := min(int((room-qty)/capacity+1e-9), g.Ships-1); idle > 0 {
		r.split(g, idle)
	}
	g.Load, g.Cargo = qty/float64(g.Ships), kind
}

// arrivalMargin is how close a group must come to its destination to arrive:
// GalaxyNG's movephase lands a group once less than 0.01 light years are
// left.
const arrivalMargin = 0.01

// movePhase moves every group in hyperspace (step 6) and returns the planets
// where groups arrived. A fleet moves at the speed of its slowest group.
func movePhase(st *state, only int) []bool {
	arrived := make([]bool, len(st.Planets))
	for ri, r := range st.Races {
		if only >= 0 && ri != only {
			continue
		}
		fleetSpeed := fleetSpeeds(r)
		for _, g := range r.Groups {
			if g.Ships <= 0 || !g.inSpace() {
				continue
			}
			sp := g.speed()
			if g.Fleet != "" {
				sp = fleetSpeed[g.Fleet]
			}
			if g.Dist-sp < arrivalMargin {
				g.At, g.From, g.To, g.Dist = g.To, 0, 0, 0
				arrived[g.At] = true
				continue
			}
			g.Dist -= sp
		}
	}
	return arrived
}
