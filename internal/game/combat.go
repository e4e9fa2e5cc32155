package game

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// maxRounds ends a battle that only negligible chances keep going; it is far
// beyond any battle a real game produces.
const maxRounds = 20000

// battle is the record of one battle, kept for the reports.
type battle struct {
	Planet   int           `json:"planet"`
	Viewers  []int         `json:"viewers"`
	Groups   []battleGroup `json:"groups"`
	Rounds   int           `json:"rounds"`
	Shots    int           `json:"shots"`
	Standoff bool          `json:"standoff,omitempty"`
	// Protocol records the shots, in order, when a race in the battle asked
	// for the battle protocol (option battleProtocol), up to
	// maxProtocolShots of them.
	Protocol []shot `json:"protocol,omitempty"`
}

// maxProtocolShots bounds a battle's protocol: past it, the report says how
// many shots were left out rather than growing without end.
const maxProtocolShots = 20000

// shot is one shot of a battle protocol: the firing and the target group
// (indices into battle.Groups) and whether the target ship was destroyed.
// It encodes as a three-number array to keep snapshots small.
type shot [3]int32

// battleGroup is one group's part in a battle.
type battleGroup struct {
	Race  int              `json:"race"`
	Num   int              `json:"num"`
	Type  shipType         `json:"type"`
	Tech  [numTech]float64 `json:"tech"`
	Ships int              `json:"ships"`
	Left  int              `json:"left"`
	// Load is the cargo per ship when the battle began (it weighs on the
	// defence).
	Load float64 `json:"load,omitempty"`
}

// bombing is the record of one bombing.
type bombing struct {
	Planet    int     `json:"planet"`
	Owner     int     `json:"owner"`
	Attackers []int   `json:"attackers"`
	Pop       float64 `json:"pop"`
	Ind       float64 `json:"ind"`
	NewOwner  int     `json:"new_owner"`
	Viewers   []int   `json:"viewers"`
	Reason    string  `json:"reason,omitempty"`
}

// placed is a group with the index of its race.
type placed struct {
	r int
	g *group
}

// groupsByPlanet indexes the living groups that orbit planets, so that no
// phase ever compares groups at different places. only, when not nil,
// restricts the index to the planets marked.
func (s *state) groupsByPlanet(only []bool) [][]placed {
	at := make([][]placed, len(s.Planets))
	for ri, r := range s.Races {
		for _, g := range r.Groups {
			if g.Ships > 0 && !g.inSpace() && (only == nil || only[g.At]) {
				at[g.At] = append(at[g.At], placed{ri, g})
			}
		}
	}
	return at
}

// combatPhase fights every battle, then bombs (steps 1 and 7). only, when
// not nil, limits it to the planets marked (where groups arrived).
func combatPhase(st *state, rnd *rng, only []bool) {
	at := st.groupsByPlanet(only)
	for p, here := range at {
		if len(here) > 1 {
			fight(st, rnd, p, here)
		}
	}
	for p, here := range at {
		if len(here) > 0 && st.Planets[p].Owner != noRace {
			bomb(st, p, here)
		}
	}
	for _, r := range st.Races {
		r.compact()
	}
}

// compact drops destroyed groups, keeping the order (and so the numbers).
func (r *race) compact() {
	r.Groups = slices.DeleteFunc(r.Groups, func(g *group) bool { return g.Ships <= 0 })
}

// fighter is a group's state during a battle.
type fighter struct {
	placed
	log4Att float64 // log₄ of one gun's attack; -Inf when unarmed
	log4Def float64 // log₄ of one ship's defence; -Inf when unshielded
	att     float64
	def     float64
	guns    int // guns per ship
	index   int // in battle.Groups, for the protocol
}

// fight runs the battle at planet p, if races there are at war and one of
// them is armed.
func fight(st *state, rnd *rng, p int, here []placed) {
	nr := len(st.Races)
	armed := make([]bool, nr)
	present := make([]bool, nr)
	var races []int
	for _, e := range here {
		if !present[e.r] {
			present[e.r] = true
			races = append(races, e.r)
		}
		if e.g.armed() {
			armed[e.r] = true
		}
	}
	in := make([]bool, nr)
	any := false
	for i, a := range races {
		for _, b := range races[i+1:] {
			if st.hostile(a, b) && (armed[a] || armed[b]) {
				in[a], in[b], any = true, true, true
			}
		}
	}
	if !any {
		return
	}
	var fs []*fighter
	byRace := make([][]int, nr) // fighter indices per race
	alive := make([]int, nr)    // living ships per race
	rec := &battle{Planet: p}
	for _, e := range here {
		if !in[e.r] {
			continue
		}
		f := &fighter{placed: e, att: e.g.attack(), def: e.g.defence(), guns: e.g.typ.Attacks, index: len(fs)}
		f.log4Att, f.log4Def = log4(f.att), log4(f.def)
		if !e.g.typ.armed() {
			f.guns = 0
		}
		byRace[e.r] = append(byRace[e.r], len(fs))
		alive[e.r] += e.g.Ships
		fs = append(fs, f)
		rec.Groups = append(rec.Groups, battleGroup{Race: e.r, Num: e.g.Num, Type: *e.g.typ, Tech: e.g.Tech, Ships: e.g.Ships, Load: e.g.Load})
	}
	protocol := false
	for _, q := range races {
		protocol = protocol || (in[q] && st.Races[q].Options.has(optBattleProtocol))
	}
	var guns []int32
	for rec.Rounds < maxRounds {
		if !battleGoesOn(st, fs, byRace, races, in) {
			break
		}
		rec.Rounds++
		guns = guns[:0]
		for i, f := range fs {
			for range f.g.Ships * f.guns {
				guns = append(guns, int32(i))
			}
		}
		rnd.shuffle(len(guns), func(i, j int) { guns[i], guns[j] = guns[j], guns[i] })
		for _, gi := range guns {
			s := fs[gi]
			total := 0
			for _, q := range races {
				if in[q] && st.hostile(s.r, q) {
					total += alive[q]
				}
			}
			if total == 0 {
				continue
			}
			k := rnd.intn(total)
			var t *fighter
			for _, q := range races {
				if !in[q] || !st.hostile(s.r, q) {
					continue
				}
				if k >= alive[q] {
					k -= alive[q]
					continue
				}
				for _, ti := range byRace[q] {
					if n := fs[ti].g.Ships; k < n {
						t = fs[ti]
						break
					} else {
						k -= n
					}
				}
				break
			}
			rec.Shots++
			u := rnd.symmetric()
			killed := t.def <= 0 || s.log4Att-t.log4Def > u
			if killed {
				t.g.Ships--
				alive[t.r]--
				st.Races[t.r].MassLost += t.g.mass()
			}
			if protocol && len(rec.Protocol) < maxProtocolShots {
				rec.Protocol = append(rec.Protocol, shot{gi, int32(t.index), boolInt32(killed)})
			}
		}
	}
	rec.Standoff = anyArmedFacingEnemy(st, fs, alive, races, in)
	for i, f := range fs {
		rec.Groups[i].Left = f.g.Ships
		if f.g.Ships == 0 {
			f.g.Load = 0
		}
	}
	rec.Viewers = viewers(st, p, races)
	st.Battles = append(st.Battles, rec)
}

// boolInt32 is 1 for true.
func boolInt32(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// log4 is the base-4 logarithm, -Inf for zero.
func log4(v float64) float64 {
	if v <= 0 {
		return math.Inf(-1)
	}
	return math.Log(v) / math.Log(4)
}

// battleGoesOn reports whether any living armed ship could still hurt a
// living enemy: the strongest gun of each race against the weakest shields of
// each enemy race decides.
func battleGoesOn(st *state, fs []*fighter, byRace [][]int, races []int, in []bool) bool {
	for _, a := range races {
		if !in[a] {
			continue
		}
		maxAtt := 0.0
		for _, i := range byRace[a] {
			if f := fs[i]; f.g.Ships > 0 && f.guns > 0 && f.att > maxAtt {
				maxAtt = f.att
			}
		}
		if maxAtt <= 0 {
			continue
		}
		for _, b := range races {
			if !in[b] || !st.hostile(a, b) {
				continue
			}
			for _, i := range byRace[b] {
				if f := fs[i]; f.g.Ships > 0 && canHurt(maxAtt, f.def) {
					return true
				}
			}
		}
	}
	return false
}

// anyArmedFacingEnemy reports whether armed ships still face living enemies
// once shooting stopped: the battle ended in a standoff, not a victory.
func anyArmedFacingEnemy(st *state, fs []*fighter, alive []int, races []int, in []bool) bool {
	for _, f := range fs {
		if f.g.Ships == 0 || f.guns == 0 {
			continue
		}
		for _, q := range races {
			if in[q] && st.hostile(f.r, q) && alive[q] > 0 {
				return true
			}
		}
	}
	return false
}

// viewers are the races that see what happens at planet p: those with ships
// there and its owner.
func viewers(st *state, p int, races []int) []int {
	out := slices.Clone(races)
	if o := st.Planets[p].Owner; o != noRace && !slices.Contains(out, o) {
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}

// bombPlanet lets armed ships at war with a planet's owner bomb it:
// population and industry fall to a quarter, COL is lost and production
// switches to CAP. A single race, or a single alliance whose one member
// claimed the planet, then owns it; anything else leaves it without owner.
func bomb(st *state, p int, here []placed) {
	pl := st.Planets[p]
	owner := pl.Owner
	var armedRaces, present, attackers []int
	for _, e := range here {
		if !slices.Contains(present, e.r) {
			present = append(present, e.r)
		}
		if e.g.Ships > 0 && e.g.armed() && !slices.Contains(armedRaces, e.r) {
			armedRaces = append(armedRaces, e.r)
		}
	}
	for _, a := range armedRaces {
		if st.atWar(a, owner) {
			attackers = append(attackers, a)
		}
	}
	if len(attackers) == 0 {
		return
	}
	pl.Pop *= 0.25
	pl.Ind *= 0.25
	pl.COL = 0
	pl.Prod, pl.ShipType, pl.Progress = prodCAP, "", 0
	rec := &bombing{Planet: p, Owner: owner, Attackers: attackers, Pop: pl.Pop, Ind: pl.Ind, NewOwner: noRace}
	switch {
	case len(armedRaces) == 1:
		rec.NewOwner = armedRaces[0]
	case !allied(st, armedRaces):
		rec.Reason = "standoff"
	default:
		var claims []int
		for _, a := range armedRaces {
			if st.Races[a].claims[p] {
				claims = append(claims, a)
			}
		}
		switch len(claims) {
		case 1:
			rec.NewOwner = claims[0]
		case 0:
			rec.Reason = "no claim"
		default:
			rec.Reason = "rival claims"
		}
	}
	rec.Viewers = viewers(st, p, present)
	pl.Owner = rec.NewOwner
	name := displayName(pl.Name)
	if rec.NewOwner == noRace {
		addNews(st.Races[owner], fmt.Sprintf("Planet %s was bombed and is now without owner.", name))
	} else {
		addNews(st.Races[owner], fmt.Sprintf("Planet %s was bombed and taken by %s.", name, displayName(st.Races[rec.NewOwner].Name)))
		addNews(st.Races[rec.NewOwner], fmt.Sprintf("You took planet %s.", name))
	}
	st.Bombings = append(st.Bombings, rec)
}

// allied reports whether no two of the races fight each other.
func allied(st *state, races []int) bool {
	for i, a := range races {
		for _, b := range races[i+1:] {
			if st.hostile(a, b) {
				return false
			}
		}
	}
	return true
}

// raceList names races for a report line.
func raceList(st *state, races []int) string {
	names := make([]string, len(races))
	for i, r := range races {
		names[i] = displayName(st.Races[r].Name)
	}
	return strings.Join(names, ", ")
}
