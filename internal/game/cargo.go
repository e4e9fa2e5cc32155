package game

import (
	"fmt"
	"math"
)

// colonistsPerCOL is the population one unit of COL becomes.
const colonistsPerCOL = 8

// stock returns the planet's stockpile of a cargo kind.
func stock(p *planet, k cargoKind) *float64 {
	switch k {
	case cargoCOL:
		return &p.COL
	case cargoCAP:
		return &p.CAP
	case cargoMAT:
		return &p.MAT
	}
	return nil
}

// addStock puts cargo into a planet's stockpile.
func addStock(p *planet, k cargoKind, amount float64) {
	if s := stock(p, k); s != nil && amount > 0 {
		*s += amount
	}
}

// loadPhase runs the queued l orders (step 2).
func loadPhase(st *state, sets []*orderSet) {
	for _, set := range sets {
		if set == nil {
			continue
		}
		r := st.Races[set.race]
		for _, a := range set.loads {
			a.group.busy = true
			if why := loadGroup(st, set.race, a.group, a.n, a.cargo); why != "" {
				addMistake(r, a.line, a.raw, why)
			}
		}
	}
}

// loadGroup fills n ships of g (0 = all) with cargo from the planet where the
// group is, sharing what there is evenly. It returns why nothing could be
// loaded, or "".
func loadGroup(st *state, ri int, g *group, n int, kind cargoKind) string {
	if g.Ships <= 0 {
		return fmt.Sprintf("group %d no longer exists", g.Num)
	}
	if n > g.Ships {
		return fmt.Sprintf("group %d has only %d ships left", g.Num, g.Ships)
	}
	if g.inSpace() || st.Planets[g.At].Owner != ri {
		return fmt.Sprintf("group %d is not at one of your planets", g.Num)
	}
	if g.Cargo != cargoNone && g.Cargo != kind {
		return fmt.Sprintf("group %d already carries %s", g.Num, g.Cargo)
	}
	p := st.Planets[g.At]
	s := stock(p, kind)
	free := g.capacity() - g.Load
	if free <= 1e-9 {
		return fmt.Sprintf("group %d is already full", g.Num)
	}
	if *s <= 1e-9 {
		return fmt.Sprintf("there is no %s to load at planet %s", kind, displayName(p.Name))
	}
	r := st.Races[ri]
	if n == 0 {
		n = g.Ships
	}
	tg := r.split(g, n)
	per := math.Min(free, *s/float64(tg.Ships))
	tg.Load += per
	tg.Cargo = kind
	*s = math.Max(0, *s-per*float64(tg.Ships))
	return ""
}

// unloadPhase runs the queued u orders and the automatic unloading (step
// 9): at the end of each of the race's routes, its groups carrying the
// route's cargo unload (GalaxyNG's unloadphase: whether a route sent them or
// not), and under the autoUnload option every loaded group at the race's or
// a free planet does. Races take turns in a random order, so that no race
// always wins the race to colonise a planet.
func unloadPhase(st *state, sets []*orderSet, rnd *rng) {
	order := make([]int, len(st.Races))
	for i := range order {
		order[i] = i
	}
	rnd.shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for _, ri := range order {
		r := st.Races[ri]
		if !r.active() {
			continue
		}
		if set := sets[ri]; set != nil {
			for _, a := range set.unloads {
				if why := unloadGroup(st, ri, a.group, a.n); why != "" {
					addMistake(r, a.line, a.raw, why)
				}
			}
		}
		for _, rt := range r.Routes {
			if rt.Cargo == cargoEMP || st.Planets[rt.From].Owner != ri {
				continue
			}
			for _, g := range r.Groups {
				if g.At == rt.To && g.Cargo == rt.Cargo {
					autoUnload(st, ri, g)
				}
			}
		}
		if r.Options.has(optAutoUnload) {
			for _, g := range r.Groups {
				if !g.inSpace() {
					autoUnload(st, ri, g)
				}
			}
		}
	}
}

// autoUnload empties group g, which is at a planet, if it carries anything
// and the planet is the race's or free.
func autoUnload(st *state, ri int, g *group) {
	if g.Ships <= 0 || g.Load <= 0 {
		return
	}
	if o := st.Planets[g.At].Owner; o == ri || o == noRace {
		unloadGroup(st, ri, g, 0)
	}
}

// unloadGroup empties n ships of g (0 = all) at the planet where the group
// is, one of the race's or a free one (see deliver).
func unloadGroup(st *state, ri int, g *group, n int) string {
	if g.Ships <= 0 {
		return fmt.Sprintf("group %d no longer exists", g.Num)
	}
	if n > g.Ships {
		return fmt.Sprintf("group %d has only %d ships left", g.Num, g.Ships)
	}
	if g.inSpace() {
		return fmt.Sprintf("group %d is in hyperspace and cannot unload", g.Num)
	}
	if g.Cargo == cargoNone || g.Load <= 0 {
		return fmt.Sprintf("group %d carries no cargo", g.Num)
	}
	p := st.Planets[g.At]
	if p.Owner != ri && p.Owner != noRace {
		return fmt.Sprintf("planet %s belongs to %s; cargo is unloaded at your planets or free ones", displayName(p.Name), displayName(st.Races[p.Owner].Name))
	}
	r := st.Races[ri]
	if n == 0 {
		n = g.Ships
	}
	tg := r.split(g, n)
	amount := tg.Load * float64(tg.Ships)
	kind := tg.Cargo
	tg.Load, tg.Cargo = 0, cargoNone
	deliver(st, ri, p, kind, amount)
	return ""
}

// deliver puts cargo that race ri unloads (or scraps) into planet p, as
// GalaxyNG's unloadgroup does: MAT goes into the stockpile; CAP too, and at
// once becomes industry as far as the population allows; COL becomes
// population (what does not fit stays as COL), colonises the planet when it
// has no owner, and lets the CAP stockpile grow into the new room.
func deliver(st *state, ri int, p *planet, kind cargoKind, amount float64) {
	if amount <= 0 {
		return
	}
	switch kind {
	case cargoMAT:
		addStock(p, kind, amount)
	case cargoCAP:
		addStock(p, kind, amount)
		investCAP(p)
	case cargoCOL:
		if p.Owner == noRace {
			p.Owner = ri
			p.Prod, p.ShipType, p.Progress = prodCAP, "", 0
			addNews(st.Races[ri], fmt.Sprintf("Planet %s was colonised.", displayName(p.Name)))
		}
		settle(p, amount)
		investCAP(p)
	}
}

// settle turns COL into population; what does not fit stays as COL.
func settle(p *planet, col float64) {
	p.Pop += col * colonistsPerCOL
	if p.Pop > p.Size {
		p.COL += (p.Pop - p.Size) / colonistsPerCOL
		p.Pop = p.Size
	}
}
