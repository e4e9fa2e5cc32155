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
			g.Routed = false
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
	tg.Routed = false
	tg.intercept = a.intercept
	if tg.At != a.to {
		st.launch(tg, a.to)
	}
	return ""
}

// routePhase sends idle cargo ships along the race's routes (step 5): at
// each route's origin, empty cargo groups that got no order this turn load
// the route's cargo and leave; for EMP routes they leave empty. Groups in
// fleets stay, since the fleet decides where they go.
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
				if g.Ships <= 0 || g.At != rt.From || g.busy || g.Fleet != "" || g.typ.Cargo <= 0 || g.Cargo != cargoNone {
					continue
				}
				if rt.Cargo != cargoEMP {
					s := stock(p, rt.Cargo)
					if *s <= 1e-9 {
						break
					}
					per := math.Min(g.capacity(), *s/float64(g.Ships))
					g.Load, g.Cargo = per, rt.Cargo
					*s = math.Max(0, *s-per*float64(g.Ships))
				}
				g.busy = true
				g.Routed = true
				st.launch(g, rt.To)
			}
		}
	}
}

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
			if g.Dist <= sp+1e-9 {
				g.At, g.From, g.To, g.Dist = g.To, 0, 0, 0
				arrived[g.At] = true
				continue
			}
			g.Dist -= sp
		}
	}
	return arrived
}
