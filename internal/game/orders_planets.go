package game

// Orders about planets and other races: production, renames, claims and relations.

import (
	"math"
	"strings"
)

// relation handles a (alliance) and w (war).
func (c *orderCtx) relation(ol orderLine, peace bool) {
	usage := "w <race>"
	if peace {
		usage = "a <race>"
	}
	if !c.need(ol, 1, 1, usage) {
		return
	}
	o := c.st.raceByName(ol.args[0])
	switch {
	case o < 0:
		c.fail(ol.num, ol.raw, "there is no race %q", ol.args[0])
	case o == c.ri:
		c.fail(ol.num, ol.raw, "you cannot change relations with yourself")
	default:
		c.r.Peace[o] = peace
	}
}

// rename handles n: one of the race's planets gets a new, unique name.
func (c *orderCtx) rename(ol orderLine) {
	if !c.need(ol, 2, 2, "n <planet> <new name>") {
		return
	}
	p := c.ownPlanetArg(ol, ol.args[0])
	if p < 0 {
		return
	}
	name := ol.args[1]
	if why := validName(name); why != "" {
		c.fail(ol.num, ol.raw, "bad planet name: %s", why)
		return
	}
	if o := c.st.planetByName(name); o >= 0 && o != p && !strings.HasPrefix(name, "#") {
		c.fail(ol.num, ol.raw, "another planet is already called %s", displayName(name))
		return
	}
	c.st.renamePlanet(p, name)
}

// production handles p: what a planet makes from next production on.
// Changing what is built loses the production spent on an unfinished ship,
// but the share of its material already used comes back (see
// abandonShip).
func (c *orderCtx) production(ol orderLine) {
	if !c.need(ol, 2, 2, "p <planet> <CAP|MAT|DRIVE|WEAPONS|SHIELDS|CARGO|ship type>") {
		return
	}
	p := c.ownPlanetArg(ol, ol.args[0])
	if p < 0 {
		return
	}
	pl := c.st.Planets[p]
	what := ol.args[1]
	var kind prodKind
	ship := ""
	switch strings.ToUpper(what) {
	case "CAP":
		kind = prodCAP
	case "MAT":
		kind = prodMAT
	case "DRIVE":
		kind = prodDrive
	case "WEAPONS":
		kind = prodWeapons
	case "SHIELDS":
		kind = prodShields
	case "CARGO":
		kind = prodCargo
	default:
		t := c.r.shipType(what)
		if t == nil {
			c.fail(ol.num, ol.raw, "%q is neither CAP, MAT, DRIVE, WEAPONS, SHIELDS, CARGO nor one of your ship types", what)
			return
		}
		kind, ship = prodShip, t.Name
	}
	if pl.Prod != kind || pl.ShipType != ship {
		abandonShip(pl, c.r)
		pl.Progress = 0
	}
	pl.Prod, pl.ShipType = kind, ship
}

// abandonShip gives back, when planet p stops building a ship, the MAT share
// of the unfinished one (GalaxyNG's setproduction): the ship's mass ×
// progress / its cost, the cost being that of shipCost, 10 per unit of mass
// plus the MAT missing from the stockpile at 1 / resources per unit.
func abandonShip(p *planet, r *race) {
	if p.Prod != prodShip || p.Progress <= 0 {
		return
	}
	t := r.shipType(p.ShipType)
	if t == nil {
		return
	}
	m := t.mass()
	if cost, _ := shipCost(p, m); cost > 0 && !math.IsInf(cost, 1) {
		p.MAT += m * p.Progress / cost
	}
}

// claim handles v: among allies who take a planet together, the one that
// claims it becomes its owner.
func (c *orderCtx) claim(ol orderLine) {
	if !c.need(ol, 1, 1, "v <planet>") {
		return
	}
	p := c.planetArg(ol, ol.args[0])
	if p < 0 {
		return
	}
	if c.r.claims == nil {
		c.r.claims = map[int]bool{}
	}
	c.r.claims[p] = true
}
