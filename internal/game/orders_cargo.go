package game

// Orders that move ships and cargo: send, load, unload and routes.

import "slices"

// load handles l: queued for the loading phase.
func (c *orderCtx) load(ol orderLine) {
	if !c.need(ol, 2, 3, "l <group> <COL|CAP|MAT> [ships]") {
		return
	}
	g := c.groupArg(ol, ol.args[0])
	if g == nil {
		return
	}
	kind := c.cargoArg(ol, ol.args[1], false)
	if kind == cargoNone {
		return
	}
	n, ok := c.countArg(ol, 2, g)
	if !ok {
		return
	}
	if g.typ.Cargo <= 0 {
		c.fail(ol.num, ol.raw, "ships of type %s have no cargo hold", displayName(g.typ.Name))
		return
	}
	if g.inSpace() {
		c.fail(ol.num, ol.raw, "group %d is in hyperspace; cargo is loaded at your planets", g.Num)
		return
	}
	if c.st.Planets[g.At].Owner != c.ri {
		c.fail(ol.num, ol.raw, "group %d is not at one of your planets", g.Num)
		return
	}
	if g.Cargo != cargoNone && g.Cargo != kind {
		c.fail(ol.num, ol.raw, "group %d already carries %s", g.Num, g.Cargo)
		return
	}
	c.set.loads = append(c.set.loads, action{line: ol.num, raw: ol.raw, group: g, n: n, cargo: kind})
}

// route handles r: with a destination it sets the route of one cargo from a
// planet; without, it removes it.
func (c *orderCtx) route(ol orderLine) {
	if !c.need(ol, 2, 3, "r <planet> <COL|CAP|MAT|EMP> [destination]") {
		return
	}
	from := c.ownPlanetArg(ol, ol.args[0])
	if from < 0 {
		return
	}
	kind := c.cargoArg(ol, ol.args[1], true)
	if kind == cargoNone {
		return
	}
	i := slices.IndexFunc(c.r.Routes, func(rt route) bool { return rt.From == from && rt.Cargo == kind })
	if len(ol.args) == 2 {
		if i < 0 {
			c.fail(ol.num, ol.raw, "there is no %s route from %s to remove", kind, displayName(c.st.Planets[from].Name))
			return
		}
		c.r.Routes = slices.Delete(c.r.Routes, i, i+1)
		return
	}
	to := c.planetArg(ol, ol.args[2])
	if to < 0 {
		return
	}
	if to == from {
		c.fail(ol.num, ol.raw, "a route needs a destination other than its origin")
		return
	}
	if i >= 0 {
		c.r.Routes[i].To = to
		return
	}
	c.r.Routes = append(c.r.Routes, route{From: from, Cargo: kind, To: to})
	slices.SortFunc(c.r.Routes, func(a, b route) int {
		if a.From != b.From {
			return a.From - b.From
		}
		return int(a.Cargo) - int(b.Cargo)
	})
}

// send handles s and i: queued for the sending phase. A fleet name sends
// the whole fleet. An intercepting group (i) heads for the planet but may
// turn after enemies leaving it (see interceptPhase); it may be told to
// watch the planet it is at.
func (c *orderCtx) send(ol orderLine, intercept bool) {
	usage := "s <group or fleet> <planet> [ships]"
	if intercept {
		usage = "i <group or fleet> <planet> [ships]"
	}
	if !c.need(ol, 2, 3, usage) {
		return
	}
	if !isNumber(ol.args[0]) {
		f, ok := c.r.fleetName(ol.args[0])
		if !ok {
			c.fail(ol.num, ol.raw, "%q is neither a group number nor one of your fleets", ol.args[0])
			return
		}
		if len(ol.args) == 3 {
			c.fail(ol.num, ol.raw, "a fleet moves as a whole; break groups off to send part of it")
			return
		}
		to := c.planetArg(ol, ol.args[1])
		if to < 0 {
			return
		}
		members := c.r.fleetGroups(f)
		if len(members) == 0 {
			c.fail(ol.num, ol.raw, "fleet %s has no ships", displayName(f))
			return
		}
		if why := c.cannotSend(members, to, intercept); why != "" {
			c.fail(ol.num, ol.raw, "fleet %s %s", displayName(f), why)
			return
		}
		c.set.sends = append(c.set.sends, action{line: ol.num, raw: ol.raw, fleet: f, to: to, intercept: intercept})
		return
	}
	g := c.groupArg(ol, ol.args[0])
	if g == nil {
		return
	}
	to := c.planetArg(ol, ol.args[1])
	if to < 0 {
		return
	}
	n, ok := c.countArg(ol, 2, g)
	if !ok {
		return
	}
	if why := c.cannotSend([]*group{g}, to, intercept); why != "" {
		c.fail(ol.num, ol.raw, "group %d %s", g.Num, why)
		return
	}
	c.set.sends = append(c.set.sends, action{line: ol.num, raw: ol.raw, group: g, n: n, to: to, intercept: intercept})
}

// cannotSend says why groups cannot leave for planet to, or "". Only an
// interceptor may be told to stay where it is.
func (c *orderCtx) cannotSend(gs []*group, to int, intercept bool) string {
	for _, g := range gs {
		switch {
		case g.inSpace():
			return "is in hyperspace; only h can turn it back"
		case g.At == to && !intercept:
			return "is already at planet " + displayName(c.st.Planets[to].Name)
		case g.typ.Drive <= 0:
			return "has no drive and cannot move"
		}
	}
	return ""
}

// unload handles u: queued for the unloading phase, after movement, so a
// group arriving this turn can unload at once.
func (c *orderCtx) unload(ol orderLine) {
	if !c.need(ol, 1, 2, "u <group> [ships]") {
		return
	}
	g := c.groupArg(ol, ol.args[0])
	if g == nil {
		return
	}
	n, ok := c.countArg(ol, 1, g)
	if !ok {
		return
	}
	if g.typ.Cargo <= 0 {
		c.fail(ol.num, ol.raw, "ships of type %s have no cargo hold", displayName(g.typ.Name))
		return
	}
	c.set.unloads = append(c.set.unloads, action{line: ol.num, raw: ol.raw, group: g, n: n})
}
