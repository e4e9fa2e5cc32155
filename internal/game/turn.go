package game

import (
	"cmp"
	"fmt"
	"slices"
)

// Idle-race defaults: new games lose silent players quickly, settled games
// give them more time.
const (
	idleLimitEarly = 3
	idleLimitLate  = 6
	idleEarlyTurns = 10
	upgradeEpsilon = 1e-9
)

// runTurn runs turn st.Turn+1 with each race's order text. forecast, when
// not negative, is the only race whose orders run, and everything that
// involves other races (battles, bombing, their production, idleness, the
// end of the game) is skipped: that is the order check's forecast.
func runTurn(st *state, orders map[int]string, forecast int) {
	st.Turn++
	rnd := newRNG(st.Seed, st.Turn)
	st.Battles, st.Bombings, st.Bulletins = nil, nil, nil
	for _, r := range st.Races {
		r.Events = raceEvents{}
		r.claims, r.quits = nil, false
		for _, g := range r.Groups {
			g.busy, g.departed, g.intercept = false, false, false
		}
	}
	for _, p := range st.Planets {
		p.spent = 0
	}

	sets := make([]*orderSet, len(st.Races))
	for ri, r := range st.Races {
		if !r.active() || (forecast >= 0 && ri != forecast) {
			continue
		}
		text, ok := orders[ri]
		// Any set counts, an empty one too: as in GalaxyNG, a player who
		// sends orders, even none, is still playing.
		r.Events.Orders = ok
		sets[ri] = applyOrders(st, ri, text)
	}
	laterOrders(st, sets)

	if forecast < 0 {
		combatPhase(st, rnd, nil) // 1
	}
	loadPhase(st, sets)                // 2
	upgradePhase(st, sets)             // 3
	sendPhase(st, sets)                // 4
	routePhase(st, forecast)           // 5
	interceptPhase(st, forecast)       // 5½
	arrived := movePhase(st, forecast) // 6
	if forecast < 0 {
		combatPhase(st, rnd, arrived) // 7
	}
	productionPhase(st, forecast) // 8
	unloadPhase(st, sets, rnd)    // 9
	for ri, r := range st.Races { // 10
		r.mergeAndRenumber(st, ri)
	}
	for ri, r := range st.Races {
		r.Routes = slices.DeleteFunc(r.Routes, func(rt route) bool { return st.Planets[rt.From].Owner != ri })
		slices.SortStableFunc(r.Events.Mistakes, func(a, b Mistake) int { return a.Line - b.Line })
	}
	if forecast >= 0 {
		return
	}
	leave(st)
	removeIdle(st)
	eliminate(st)
	checkEnd(st)
}

// upgradePhase runs the queued g orders (step 3). An upgrade is paid from the
// production of the planet where the group is; when that does not cover the
// whole group, every ship is upgraded part of the way.
func upgradePhase(st *state, sets []*orderSet) {
	for _, set := range sets {
		if set == nil {
			continue
		}
		r := st.Races[set.race]
		for _, a := range set.upgrades {
			a.group.busy = true
			if why := upgradeGroup(st, set.race, a.group, a.n); why != "" {
				addMistake(r, a.line, a.raw, why)
			}
		}
	}
}

// upgradeGroup upgrades n ships of g (0 = all) to the race's current tech,
// as GalaxyNG's g_order does. When the planet's production left cannot pay
// for all n ships, it is all spent and each ship's tech rises by the share
// of its upgrade that was paid: tech + (current − tech) × paid / cost.
func upgradeGroup(st *state, ri int, g *group, n int) string {
	r := st.Races[ri]
	switch {
	case g.Ships <= 0:
		return fmt.Sprintf("group %d no longer exists", g.Num)
	case n > g.Ships:
		return fmt.Sprintf("group %d has only %d ships left", g.Num, g.Ships)
	case g.inSpace() || st.Planets[g.At].Owner != ri:
		return fmt.Sprintf("group %d is not at one of your planets", g.Num)
	}
	cost := upgradeCost(g.typ, g.Tech, r.Tech)
	if !needsUpgrade(g, r.Tech) {
		return fmt.Sprintf("group %d already has your current technology", g.Num)
	}
	if n == 0 {
		n = g.Ships
	}
	p := st.Planets[g.At]
	avail := p.production() - p.spent
	if avail <= upgradeEpsilon {
		return fmt.Sprintf("planet %s has no production left for upgrades", displayName(p.Name))
	}
	tg := r.split(g, n)
	if share := avail / float64(n) / cost; share+upgradeEpsilon < 1 {
		for i := range numTech {
			tg.Tech[i] += (r.Tech[i] - tg.Tech[i]) * share
		}
		cost *= share
	} else {
		tg.Tech = r.Tech
	}
	tg.Tech = groupTech(tg.typ, tg.Tech)
	p.spent += cost * float64(n)
	return ""
}

// needsUpgrade reports whether upgrading g to the race's tech costs
// anything and changes its tech as groupTech keeps it: a group whose tech
// only differs from the race's below the second decimal is current.
func needsUpgrade(g *group, tech [numTech]float64) bool {
	return upgradeCost(g.typ, g.Tech, tech) > 0 && groupTech(g.typ, tech) != groupTech(g.typ, g.Tech)
}

// mergeKey identifies groups that can become one.
type mergeKey struct {
	at    int
	typ   *shipType
	tech  [numTech]float64
	cargo cargoKind
	load  float64
	fleet string
}

// mergeAndRenumber is step 10: groups at the same planet with the same type,
// tech, cargo and fleet become one, and the groups are numbered 1, 2, ...:
// by where they are under the sortGroups option, else in their old order.
func (r *race) mergeAndRenumber(st *state, ri int) {
	r.compact()
	seen := make(map[mergeKey]*group, len(r.Groups))
	keep := r.Groups[:0]
	for _, g := range r.Groups {
		if g.inSpace() {
			keep = append(keep, g)
			continue
		}
		// Groups from before groupTech (older snapshots) still merge with
		// new ones, and take the tech new groups get.
		k := mergeKey{g.At, g.typ, groupTech(g.typ, g.Tech), g.Cargo, g.Load, g.Fleet}
		if into, ok := seen[k]; ok {
			into.Ships += g.Ships
			into.Tech = k.tech
			continue
		}
		seen[k] = g
		keep = append(keep, g)
	}
	clear(r.Groups[len(keep):])
	r.Groups = keep
	if r.Options.has(optSortGroups) {
		r.sortGroups(st, ri)
	}
	for i, g := range r.Groups {
		g.Num = i + 1
	}
	if len(r.Fleets) > 0 {
		used := map[string]bool{}
		for _, g := range r.Groups {
			used[g.Fleet] = true
		}
		r.Fleets = slices.DeleteFunc(r.Fleets, func(f string) bool { return !used[f] })
	}
}

// sortGroups orders the race's groups as GalaxyNG's sortphase numbers them:
// groups at or bound for the race's own planets first, then other races'
// planets, then free planets, each in planet order with the groups at the
// planet before those on their way to it; groups in fleets come last, fleet
// by fleet.
func (r *race) sortGroups(st *state, ri int) {
	fleet := make(map[string]int, len(r.Fleets))
	for i, f := range r.Fleets {
		fleet[f] = i
	}
	key := func(g *group) [3]int {
		if g.Fleet != "" {
			return [3]int{3, fleet[g.Fleet], 0}
		}
		p, coming := g.At, 0
		if g.inSpace() {
			p, coming = g.To, 1
		}
		switch o := st.Planets[p].Owner; {
		case o == ri:
			return [3]int{0, p, coming}
		case o != noRace:
			return [3]int{1, p, coming}
		}
		return [3]int{2, p, coming}
	}
	slices.SortStableFunc(r.Groups, func(a, b *group) int {
		ka, kb := key(a), key(b)
		return slices.Compare(ka[:], kb[:])
	})
}

// idleLimit is how many turns without orders a race may have at turn t.
func (s *state) idleLimit(t int) int {
	if s.Settings.IdleTurnsLimit > 0 {
		return s.Settings.IdleTurnsLimit
	}
	if t <= idleEarlyTurns {
		return idleLimitEarly
	}
	return idleLimitLate
}

// removeIdle counts turns without orders and removes races past the limit:
// their planets are emptied and lose their owner, and their ships vanish.
func removeIdle(st *state) {
	limit := st.idleLimit(st.Turn)
	for ri, r := range st.Races {
		if !r.active() {
			continue
		}
		if r.Events.Orders {
			r.Idle = 0
			continue
		}
		r.Idle++
		if r.Idle < limit {
			if r.Idle == limit-1 {
				addNews(r, "You sent no orders for several turns; without orders next turn your race will be removed.")
			}
			continue
		}
		st.dropRace(ri)
		r.Status, r.LeftAt = statusRemoved, st.Turn
		st.Bulletins = append(st.Bulletins, fmt.Sprintf("%s was removed from the game after %d turns without orders.", displayName(r.Name), r.Idle))
	}
}

// eliminate marks races with neither planets nor ships.
func eliminate(st *state) {
	owns := make([]bool, len(st.Races))
	for _, p := range st.Planets {
		if p.Owner != noRace {
			owns[p.Owner] = true
		}
	}
	for ri, r := range st.Races {
		if !r.active() || owns[ri] || slices.ContainsFunc(r.Groups, func(g *group) bool { return g.Ships > 0 }) {
			continue
		}
		r.Status, r.LeftAt = statusEliminated, st.Turn
		r.Groups, r.Fleets, r.Routes = nil, nil, nil
		st.Bulletins = append(st.Bulletins, fmt.Sprintf("%s has been eliminated.", displayName(r.Name)))
	}
}

// checkEnd finishes the game when one race is left (of a game that started
// with several) or at the turn limit. The surviving races win, best total
// production first.
func checkEnd(st *state) {
	active := 0
	for _, r := range st.Races {
		if r.active() {
			active++
		}
	}
	over := active == 0 || (st.StartRaces > 1 && active <= 1) ||
		(st.Settings.MaxTurns > 0 && st.Turn >= st.Settings.MaxTurns)
	if !over {
		return
	}
	st.Finished = true
	st.Winners = nil
	for _, ri := range st.ranking() {
		if st.Races[ri].active() {
			st.Winners = append(st.Winners, ri)
		}
	}
	if len(st.Winners) == 0 {
		st.Bulletins = append(st.Bulletins, "The game is over. No race survived.")
		return
	}
	st.Bulletins = append(st.Bulletins, fmt.Sprintf("The game is over. Winners: %s.", raceList(st, st.Winners)))
}

// totals are a race's sums over its planets and groups.
type totals struct {
	planets    int
	pop, ind   float64
	production float64
	ships      int
}

// totals sums every race's planets and ships in one pass.
func (s *state) totals() []totals {
	t := make([]totals, len(s.Races))
	for _, p := range s.Planets {
		if p.Owner == noRace {
			continue
		}
		x := &t[p.Owner]
		x.planets++
		x.pop += p.Pop
		x.ind += p.Ind
		x.production += p.production()
	}
	for ri, r := range s.Races {
		for _, g := range r.Groups {
			t[ri].ships += g.Ships
		}
	}
	return t
}

// ranking orders races: active before gone, then by total production, then
// by who left last, then by their order at creation.
func (s *state) ranking() []int {
	t := s.totals()
	idx := make([]int, len(s.Races))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ra, rb := s.Races[a], s.Races[b]
		if ra.active() != rb.active() {
			if ra.active() {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(t[b].production, t[a].production); c != 0 {
			return c
		}
		return cmp.Compare(rb.LeftAt, ra.LeftAt)
	})
	return idx
}

// summarize builds the public summary.
func summarize(st *state) Summary {
	t := st.totals()
	rank := make([]int, len(st.Races))
	for i, ri := range st.ranking() {
		rank[ri] = i + 1
	}
	s := Summary{Races: make([]RaceSummary, len(st.Races)), Finished: st.Finished, Winners: []string{}}
	for ri, r := range st.Races {
		s.Races[ri] = RaceSummary{
			RaceID: r.ID, Planets: t[ri].planets, Population: round2(t[ri].pop), Industry: round2(t[ri].ind),
			Ships: t[ri].ships, Eliminated: !r.active(), Production: round2(t[ri].production), Rank: rank[ri],
		}
	}
	for _, w := range st.Winners {
		s.Winners = append(s.Winners, st.Races[w].ID)
	}
	return s
}
