package game

// Recall and interception, GalaxyNG's h and i orders.

// recallTurns is how far from arrival a group must still be to turn back:
// GalaxyNG's TURNS_LEFT, turns at the group's (or its fleet's) speed.
const recallTurns = 4

// recall handles h: a group or fleet in hyperspace turns back to the planet
// it came from, at once; the way back is as long as the way it has come.
func (c *orderCtx) recall(ol orderLine) {
	if !c.need(ol, 1, 1, "h <group or fleet>") {
		return
	}
	var gs []*group
	what := ""
	if isNumber(ol.args[0]) {
		g := c.groupArg(ol, ol.args[0])
		if g == nil {
			return
		}
		gs, what = []*group{g}, "group "+ol.args[0]
	} else {
		f, ok := c.r.fleetName(ol.args[0])
		if !ok {
			c.fail(ol.num, ol.raw, "%q is neither a group number nor one of your fleets", ol.args[0])
			return
		}
		gs, what = c.r.fleetGroups(f), "fleet "+displayName(f)
		if len(gs) == 0 {
			c.fail(ol.num, ol.raw, "fleet %s has no ships", displayName(f))
			return
		}
	}
	speed := gs[0].speed()
	for _, g := range gs {
		if !g.inSpace() {
			c.fail(ol.num, ol.raw, "%s is not in hyperspace", what)
			return
		}
		speed = min(speed, g.speed())
	}
	for _, g := range gs {
		if g.Dist < speed*recallTurns {
			c.fail(ol.num, ol.raw, "%s is less than %d turns from arriving and can no longer turn back", what, recallTurns)
			return
		}
	}
	for _, g := range gs {
		g.Dist = c.st.dist(g.From, g.To) - g.Dist
		g.From, g.To = g.To, g.From
		g.busy = true
		if what[0] == 'g' {
			g.Fleet = "" // turned back on its own, it leaves its fleet, as with s
		}
	}
}

// interceptPhase turns the groups sent with i (after sending and routes,
// before movement), as GalaxyNG's interceptphase does: among the groups of
// other races that left the interceptor's destination this turn, it finds
// those heading for planets within two turns of the interceptor's own
// planet, and follows the largest mass of them from its own planet. When
// nobody left, the interceptor goes on to the planet it was sent to.
func interceptPhase(st *state, only int) {
	// Every interceptor picks its target before any of them turns, so that
	// no race's interceptors follow another's just because they came first.
	type turn struct {
		g              *group
		origin, target int
	}
	var turns []turn
	var left map[int][]placed // groups that left a planet this turn, by planet
	for ri, r := range st.Races {
		if only >= 0 && ri != only {
			continue
		}
		speeds := fleetSpeeds(r)
		for _, g := range r.Groups {
			if !g.intercept || g.Ships <= 0 {
				continue
			}
			g.intercept = false
			if left == nil {
				left = departures(st)
			}
			origin, watched := g.At, g.At
			if g.inSpace() {
				origin, watched = g.From, g.To
			}
			reach := 2 * g.speed()
			if g.Fleet != "" {
				reach = 2 * speeds[g.Fleet]
			}
			if target := interceptTarget(st, ri, origin, left[watched], reach); target >= 0 {
				turns = append(turns, turn{g, origin, target})
			}
		}
	}
	for _, t := range turns {
		t.g.At = t.origin
		if t.target == t.origin {
			t.g.From, t.g.To, t.g.Dist, t.g.departed = 0, 0, 0, false
			continue
		}
		st.launch(t.g, t.target)
	}
}

// departures lists the groups that left a planet this turn, by that planet.
func departures(st *state) map[int][]placed {
	out := map[int][]placed{}
	for ri, r := range st.Races {
		for _, g := range r.Groups {
			if g.Ships > 0 && g.departed && g.inSpace() {
				out[g.From] = append(out[g.From], placed{r: ri, g: g})
			}
		}
	}
	return out
}

// interceptTarget is the destination with the largest mass of other races'
// ships among those that left the watched planet (left), counting only
// destinations nearer to origin than reach; -1 when there is none.
func interceptTarget(st *state, ri, origin int, left []placed, reach float64) int {
	mass := map[int]float64{}
	for _, e := range left {
		if e.r != ri && st.dist(e.g.To, origin) < reach {
			mass[e.g.To] += float64(e.g.Ships) * loadedMass(e.g.mass(), e.g.Load, e.g.Tech[techCargo])
		}
	}
	best, most := -1, 0.0
	for p, m := range mass {
		if m > most || (m == most && p < best) {
			best, most = p, m
		}
	}
	return best
}

// fleetSpeeds is the speed of each of the race's fleets: its slowest group's.
func fleetSpeeds(r *race) map[string]float64 {
	var speeds map[string]float64
	for _, g := range r.Groups {
		if g.Ships <= 0 || g.Fleet == "" {
			continue
		}
		if speeds == nil {
			speeds = map[string]float64{}
		}
		if sp, ok := speeds[g.Fleet]; !ok || g.speed() < sp {
			speeds[g.Fleet] = g.speed()
		}
	}
	return speeds
}
