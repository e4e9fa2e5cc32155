package game

import (
	"strings"
	"unicode"
)

// Renames run in GalaxyNG's later phases: n and t after every race's other
// orders (phase 2), c after those (phase 3). So an order that uses an old
// name still works in the turn of the rename, and the new name is for next
// turn's orders.

// laterOrders runs the queued renames of every race: first all n and t
// orders, then all c orders.
func laterOrders(st *state, sets []*orderSet) {
	for _, set := range sets {
		if set == nil {
			continue
		}
		c := &orderCtx{st: st, ri: set.race, r: st.Races[set.race], set: set}
		for _, ol := range set.renames {
			if ol.verb == 'n' {
				c.rename(ol)
			} else {
				c.renameTypeOrFleet(ol)
			}
		}
	}
	for _, set := range sets {
		if set == nil {
			continue
		}
		c := &orderCtx{st: st, ri: set.race, r: st.Races[set.race], set: set}
		for _, ol := range set.raceNames {
			c.raceName(ol)
		}
	}
}

// renameTypeOrFleet handles t: a new name for one of the race's ship types
// or fleets. Groups, fleets and planets building the type follow it.
func (c *orderCtx) renameTypeOrFleet(ol orderLine) {
	if !c.need(ol, 2, 2, "t <ship type or fleet> <new name>") {
		return
	}
	old, name := ol.args[0], ol.args[1]
	t := c.r.shipType(old)
	f, isFleet := c.r.fleetName(old)
	if t == nil && !isFleet {
		c.fail(ol.num, ol.raw, "you have no ship type or fleet called %s", displayName(old))
		return
	}
	if why := validName(name); why != "" {
		c.fail(ol.num, ol.raw, "bad name: %s", why)
		return
	}
	sameKey := nameKey(name) == nameKey(old)
	if _, taken := c.r.fleetName(name); taken && !sameKey {
		c.fail(ol.num, ol.raw, "you already have a fleet called %s", displayName(name))
		return
	}
	if c.r.shipType(name) != nil && !sameKey {
		c.fail(ol.num, ol.raw, "you already have a ship type called %s", displayName(name))
		return
	}
	if t != nil {
		if reservedWords[strings.ToLower(name)] {
			c.fail(ol.num, ol.raw, "%q is reserved for production and cargo and cannot name a ship type", name)
			return
		}
		c.renameType(t, name)
		return
	}
	if isNumber(name) {
		c.fail(ol.num, ol.raw, "fleet names cannot be numbers, which name groups")
		return
	}
	for i, n := range c.r.Fleets {
		if n == f {
			c.r.Fleets[i] = name
		}
	}
	for _, g := range c.r.Groups {
		if g.Fleet == f {
			g.Fleet = name
		}
	}
	// An s or i order given to the fleet this turn, by its old name, still
	// sends it: in GalaxyNG it left before the rename.
	for i := range c.set.sends {
		if c.set.sends[i].fleet == f {
			c.set.sends[i].fleet = name
		}
	}
}

// renameType gives ship type t a new name everywhere the race uses it.
func (c *orderCtx) renameType(t *shipType, name string) {
	old := t.Name
	t.Name = name
	for _, g := range c.r.Groups {
		if g.typ == t {
			g.Type = name
		}
	}
	for _, p := range c.st.Planets {
		if p.Owner == c.ri && p.Prod == prodShip && nameKey(p.ShipType) == nameKey(old) {
			p.ShipType = name
		}
	}
	c.r.indexTypes()
}

// raceName handles c: the race's new name, checked as GalaxyNG does (given,
// not GM, no other race's) and against what the platform refused before
// the turn (a name another player holds in the Race Name Directory, say).
// Each c order runs in turn, so the last valid one names the race.
func (c *orderCtx) raceName(ol orderLine) {
	if !c.need(ol, 1, 1, "c <new race name>") {
		return
	}
	typed := trimRaceName(ol.args[0])
	if typed == "" {
		c.fail(ol.num, ol.raw, "expected c <new race name>")
		return
	}
	if why := validName(typed); why != "" {
		c.fail(ol.num, ol.raw, "bad race name: %s", why)
		return
	}
	// Kept as typed: the platform's race names have no spaces either.
	name := typed
	if strings.EqualFold(name, "GM") {
		c.fail(ol.num, ol.raw, "GM is reserved for the game master")
		return
	}
	if o := c.st.raceByName(name); o != noRace && o != c.ri {
		c.fail(ol.num, ol.raw, "another race is called %s", displayName(c.st.Races[o].Name))
		return
	}
	if why, refused := c.st.refusedNames[c.r.ID][name]; refused {
		c.fail(ol.num, ol.raw, "%s", why)
		return
	}
	c.r.Name = name
	addNews(c.r, "Your race is now called "+displayName(name)+".")
}

// trimRaceName drops trailing punctuation as GalaxyNG does: "c Vogons."
// names the race Vogons.
func trimRaceName(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// RequestedRaceNames returns the names the c orders in text ask for, in
// order, as the engine would give them to the race. The platform checks
// them against the Race Name Directory before the turn runs.
func RequestedRaceNames(text string) []string {
	var names []string
	forEachOrder(text, func(ol orderLine) {
		if ol.verb == 'c' && len(ol.args) == 1 {
			if n := trimRaceName(ol.args[0]); n != "" {
				names = append(names, n)
			}
		}
	})
	return names
}
