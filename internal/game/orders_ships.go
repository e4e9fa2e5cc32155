package game

// Orders about ships themselves: designs, breaking, scrapping, upgrades and fleets.

import (
	"slices"
	"strings"
)

// breakGroup handles b: n ships leave the group (and its fleet) as a new
// group that later orders can use by its new number.
func (c *orderCtx) breakGroup(ol orderLine) {
	if !c.need(ol, 2, 2, "b <group> <ships>") {
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
	if n == g.Ships {
		c.fail(ol.num, ol.raw, "breaking off all %d ships would leave nothing behind; the group stays as it is", n)
		return
	}
	c.r.split(g, n).Fleet = ""
}

// design handles d: a new ship type.
func (c *orderCtx) design(ol orderLine) {
	if !c.need(ol, 6, 6, "d <name> <drive> <attacks> <weapons> <shields> <cargo>") {
		return
	}
	name := ol.args[0]
	if why := validName(name); why != "" {
		c.fail(ol.num, ol.raw, "bad ship type name: %s", why)
		return
	}
	if reservedWords[strings.ToLower(name)] {
		c.fail(ol.num, ol.raw, "%q is reserved for production and cargo and cannot name a ship type", name)
		return
	}
	if c.r.shipType(name) != nil {
		c.fail(ol.num, ol.raw, "you already have a ship type %s", displayName(name))
		return
	}
	if _, ok := c.r.fleetName(name); ok {
		c.fail(ol.num, ol.raw, "you already have a fleet called %s", displayName(name))
		return
	}
	if len(c.r.Types) >= maxShipTypes {
		c.fail(ol.num, ol.raw, "you already have %d ship types; eliminate unused ones first", maxShipTypes)
		return
	}
	var m [4]float64
	labels := [4]string{"drive", "weapons", "shields", "cargo"}
	for i, idx := range [4]int{1, 3, 4, 5} {
		v, ok := parseMass(ol.args[idx])
		if !ok {
			c.fail(ol.num, ol.raw, "%s mass %q is not a number between 0 and %g", labels[i], ol.args[idx], float64(maxComponent))
			return
		}
		if v > 0 && v < 1 {
			c.fail(ol.num, ol.raw, "%s mass must be 0 or at least 1", labels[i])
			return
		}
		m[i] = v
	}
	a, ok := parseCount(ol.args[2])
	if !ok || a > maxAttacks {
		c.fail(ol.num, ol.raw, "attacks %q must be a whole number from 0 to %d", ol.args[2], maxAttacks)
		return
	}
	if a > 0 && m[1] == 0 {
		c.fail(ol.num, ol.raw, "a ship with attacks needs weapons of mass at least 1")
		return
	}
	if a == 0 && m[1] > 0 {
		c.fail(ol.num, ol.raw, "weapons need at least one attack")
		return
	}
	t := &shipType{Name: name, Drive: m[0], Attacks: a, Weapons: m[1], Shields: m[2], Cargo: m[3]}
	if t.mass() <= 0 {
		c.fail(ol.num, ol.raw, "a ship type needs some mass")
		return
	}
	c.r.Types = append(c.r.Types, t)
	c.r.types[nameKey(name)] = t
}

// eliminate handles e: removes a ship type nobody uses, or disbands a fleet.
func (c *orderCtx) eliminate(ol orderLine) {
	if !c.need(ol, 1, 1, "e <ship type or fleet>") {
		return
	}
	name := ol.args[0]
	if f, ok := c.r.fleetName(name); ok {
		for _, g := range c.r.Groups {
			if g.Fleet == f {
				g.Fleet = ""
			}
		}
		c.r.Fleets = slices.DeleteFunc(c.r.Fleets, func(s string) bool { return s == f })
		return
	}
	t := c.r.shipType(name)
	if t == nil {
		c.fail(ol.num, ol.raw, "you have no ship type or fleet %q", name)
		return
	}
	for _, g := range c.r.Groups {
		if g.Ships > 0 && g.typ == t {
			c.fail(ol.num, ol.raw, "group %d still has ships of type %s", g.Num, displayName(t.Name))
			return
		}
	}
	for _, p := range c.st.Planets {
		if p.Owner == c.ri && p.Prod == prodShip && p.ShipType == t.Name {
			c.fail(ol.num, ol.raw, "planet %s is building %s", displayName(p.Name), displayName(t.Name))
			return
		}
	}
	c.r.Types = slices.DeleteFunc(c.r.Types, func(x *shipType) bool { return x == t })
	delete(c.r.types, nameKey(t.Name))
}

// upgrade handles g: queued for the upgrade phase.
func (c *orderCtx) upgrade(ol orderLine) {
	if !c.need(ol, 1, 2, "g <group> [ships]") {
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
	if g.inSpace() {
		c.fail(ol.num, ol.raw, "group %d is in hyperspace; upgrades happen at your planets", g.Num)
		return
	}
	if c.st.Planets[g.At].Owner != c.ri {
		c.fail(ol.num, ol.raw, "group %d is not at one of your planets", g.Num)
		return
	}
	if !needsUpgrade(g, c.r.Tech) {
		c.fail(ol.num, ol.raw, "group %d already has your current technology", g.Num)
		return
	}
	c.set.upgrades = append(c.set.upgrades, action{line: ol.num, raw: ol.raw, group: g, n: n})
}

// joinFleet handles j: the group joins a fleet, created when new. A fleet's
// groups stay together, so a group may only join where the fleet is.
func (c *orderCtx) joinFleet(ol orderLine) {
	if !c.need(ol, 2, 2, "j <group> <fleet>") {
		return
	}
	g := c.groupArg(ol, ol.args[0])
	if g == nil {
		return
	}
	if g.inSpace() {
		c.fail(ol.num, ol.raw, "group %d is in hyperspace; groups join fleets at planets", g.Num)
		return
	}
	name := ol.args[1]
	f, exists := c.r.fleetName(name)
	if !exists {
		if why := validName(name); why != "" {
			c.fail(ol.num, ol.raw, "bad fleet name: %s", why)
			return
		}
		if isNumber(name) {
			c.fail(ol.num, ol.raw, "fleet names cannot be numbers, which name groups")
			return
		}
		if t := c.r.shipType(name); t != nil {
			c.fail(ol.num, ol.raw, "you already have a ship type called %s; a fleet needs another name", displayName(t.Name))
			return
		}
		c.r.Fleets = append(c.r.Fleets, name)
		f = name
	}
	for _, o := range c.r.Groups {
		if o.Ships > 0 && o.Fleet == f && o != g && o.At != g.At {
			c.fail(ol.num, ol.raw, "fleet %s is not where group %d is", displayName(f), g.Num)
			return
		}
	}
	g.Fleet = f
}

// fleetGroups lists the fleet's living groups.
func (r *race) fleetGroups(f string) []*group {
	var out []*group
	for _, g := range r.Groups {
		if g.Ships > 0 && g.Fleet == f {
			out = append(out, g)
		}
	}
	return out
}

// scrap handles x: the ships are taken apart over the planet they orbit,
// whoever owns it (GalaxyNG's x_order): their cargo is unloaded there (see
// deliver) and their mass becomes MAT. Colonists cannot be dropped on
// another race's planet, so a group carrying COL is not scrapped there.
func (c *orderCtx) scrap(ol orderLine) {
	if !c.need(ol, 1, 2, "x <group> [ships]") {
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
	if g.inSpace() {
		c.fail(ol.num, ol.raw, "group %d is in hyperspace; ships are scrapped at planets", g.Num)
		return
	}
	p := c.st.Planets[g.At]
	if g.Cargo == cargoCOL && g.Load > 0 && p.Owner != c.ri && p.Owner != noRace {
		c.fail(ol.num, ol.raw, "group %d carries colonists, which cannot be unloaded on %s's planet %s",
			g.Num, displayName(c.st.Races[p.Owner].Name), displayName(p.Name))
		return
	}
	if n == 0 {
		n = g.Ships
	}
	deliver(c.st, c.ri, p, g.Cargo, g.Load*float64(n))
	p.MAT += g.mass() * float64(n)
	g.Ships -= n
	if g.Ships == 0 {
		g.Load, g.Cargo = 0, cargoNone
	}
}
