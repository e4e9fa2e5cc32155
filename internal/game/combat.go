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

// bombing is the record of one bombing. Pop and Ind are the planet's
// population and industry before the bombs fell.
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
	// waiting counts the group's living ships that have not fired yet in
	// the current round. The ships of a group are alike, so which of them
	// fired does not matter, only how many: the first waiting of its
	// living ships are the ones still to fire.
	waiting int
}

// fight runs the battle at planet p, if a race with armed ships there is at
// war with another race there (GalaxyNG's battle.c mustBattle). Who fires on
// whom is decided once, as the battle begins: see state.firesOn.
//
// A round goes the way of GalaxyNG's doBattle: a ship is drawn at random
// among those that have not fired yet in the round, fires all its guns, each
// at a ship drawn at random among the living ships of the races it fires on,
// and the next ship is drawn, until every ship fired. A ship destroyed before
// its turn does not fire in that round. here must list the groups race by
// race, as groupsByPlanet does: the ships of one race are then a run of
// fighters, and the two counts (living ships, ships still to fire) are
// Fenwick trees over the fighters, so that drawing a ship takes O(log
// groups) even in battles of thousands of groups.
func fight(st *state, rnd *rng, p int, here []placed) {
	if !slices.IsSortedFunc(here, cmpRace) {
		here = slices.Clone(here)
		slices.SortStableFunc(here, cmpRace)
	}
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
	// foes[a] lists the races a fires on; in marks the races that fire or
	// are fired on.
	foes := make([][]int, nr)
	in := make([]bool, nr)
	any := false
	for _, a := range races {
		for _, b := range races {
			if a != b && st.firesOn(a, b, armed[b]) {
				foes[a] = append(foes[a], b)
				if armed[a] {
					in[a], in[b], any = true, true, true
				}
			}
		}
	}
	if !any {
		return
	}
	var fs []*fighter
	lo := make([]int, nr) // fighters of race q: fs[lo[q]:hi[q]]
	hi := make([]int, nr)
	alive := make([]int, nr) // living ships per race
	rec := &battle{Planet: p}
	for _, e := range here {
		if !in[e.r] {
			continue
		}
		if hi[e.r] == 0 {
			lo[e.r] = len(fs)
		}
		f := &fighter{placed: e, att: e.g.attack(), def: e.g.defence(), guns: e.g.typ.Attacks, index: len(fs)}
		f.log4Att, f.log4Def = log4(f.att), log4(f.def)
		if !e.g.typ.armed() {
			f.guns = 0
		}
		alive[e.r] += e.g.Ships
		fs = append(fs, f)
		hi[e.r] = len(fs)
		rec.Groups = append(rec.Groups, battleGroup{Race: e.r, Num: e.g.Num, Type: *e.g.typ, Tech: e.g.Tech, Ships: e.g.Ships, Load: e.g.Load})
	}
	// Everyone who will see the battle may have asked for its protocol.
	rec.Viewers = viewers(st, p, races)
	protocol := slices.ContainsFunc(rec.Viewers, func(q int) bool { return st.Races[q].Options.has(optBattleProtocol) })
	living := newTally(len(fs), func(i int) int { return fs[i].g.Ships })
	var waiting *tally
	for rec.Rounds < maxRounds {
		if !battleGoesOn(st, fs, lo, hi, races, in, armed) {
			break
		}
		rec.Rounds++
		left := 0 // ships still to fire in this round
		for _, f := range fs {
			f.waiting = 0
			if f.guns > 0 {
				f.waiting = f.g.Ships
				left += f.waiting
			}
		}
		waiting = waiting.reset(len(fs), func(i int) int { return fs[i].waiting })
		for left > 0 {
			si, _ := waiting.find(rnd.intn(left))
			s := fs[si]
			s.waiting--
			waiting.add(si, -1)
			left--
			total := 0
			for _, q := range foes[s.r] {
				total += alive[q]
			}
			for range s.guns {
				if total == 0 {
					break
				}
				k := rnd.intn(total)
				q := 0
				for _, q = range foes[s.r] {
					if k < alive[q] {
						break
					}
					k -= alive[q]
				}
				ti, nth := living.find(living.sum(lo[q]) + k)
				t := fs[ti]
				rec.Shots++
				u := rnd.symmetric()
				killed := t.def <= 0 || s.log4Att-t.log4Def > u
				if killed {
					t.g.Ships--
					living.add(ti, -1)
					alive[t.r]--
					total--
					st.Races[t.r].MassLost += t.g.mass()
					if nth < t.waiting { // it had not fired yet: it never will
						t.waiting--
						waiting.add(ti, -1)
						left--
					}
				}
				if protocol && len(rec.Protocol) < maxProtocolShots {
					rec.Protocol = append(rec.Protocol, shot{int32(si), int32(t.index), boolInt32(killed)})
				}
			}
		}
	}
	rec.Standoff = anyArmedFacingEnemy(st, fs, alive, races, in, armed)
	for i, f := range fs {
		rec.Groups[i].Left = f.g.Ships
		if f.g.Ships == 0 {
			f.g.Load = 0
		}
	}
	st.Battles = append(st.Battles, rec)
}

// cmpRace orders groups by race.
func cmpRace(a, b placed) int { return a.r - b.r }

// tally is a Fenwick tree of counts per fighter (living ships, or ships
// still to fire): it adds to one count, sums a prefix and finds the fighter
// holding the k-th ship in O(log n).
type tally struct {
	tree []int // tree[i] covers counts (i - i&-i, i], 1-based
	top  int   // the highest power of two not above n
}

// newTally builds a tally of n counts, count(i) for fighter i.
func newTally(n int, count func(i int) int) *tally {
	var t *tally
	return t.reset(n, count)
}

// reset refills t (nil gives a new tally) with n counts in O(n), reusing
// its memory.
func (t *tally) reset(n int, count func(i int) int) *tally {
	if t == nil {
		t = &tally{}
	}
	if cap(t.tree) < n+1 {
		t.tree = make([]int, n+1)
	}
	t.tree = t.tree[:n+1]
	clear(t.tree)
	for i := 1; i <= n; i++ {
		t.tree[i] += count(i - 1)
		if j := i + i&-i; j <= n {
			t.tree[j] += t.tree[i]
		}
	}
	t.top = 1
	for t.top*2 <= n {
		t.top *= 2
	}
	return t
}

// add adds d to the count of fighter i.
func (t *tally) add(i, d int) {
	for i++; i < len(t.tree); i += i & -i {
		t.tree[i] += d
	}
}

// sum is the total count of fighters 0 to i-1.
func (t *tally) sum(i int) int {
	s := 0
	for ; i > 0; i -= i & -i {
		s += t.tree[i]
	}
	return s
}

// find returns the fighter holding the k-th ship (from 0) of the counts
// laid end to end, and that ship's place among the fighter's own; k must
// be below the total.
func (t *tally) find(k int) (i, nth int) {
	pos := 0
	for step := t.top; step > 0; step >>= 1 {
		if next := pos + step; next < len(t.tree) && t.tree[next] <= k {
			pos = next
			k -= t.tree[next]
		}
	}
	return pos, k
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
// living ship it fires on: the strongest gun of each race against the
// weakest shields of each race it fires on decides (GalaxyNG's isDraw).
func battleGoesOn(st *state, fs []*fighter, lo, hi []int, races []int, in, armed []bool) bool {
	for _, a := range races {
		if !in[a] {
			continue
		}
		maxAtt := 0.0
		for _, f := range fs[lo[a]:hi[a]] {
			if f.g.Ships > 0 && f.guns > 0 && f.att > maxAtt {
				maxAtt = f.att
			}
		}
		if maxAtt <= 0 {
			continue
		}
		for _, b := range races {
			if !in[b] || !st.firesOn(a, b, armed[b]) {
				continue
			}
			for _, f := range fs[lo[b]:hi[b]] {
				if f.g.Ships > 0 && canHurt(maxAtt, f.def) {
					return true
				}
			}
		}
	}
	return false
}

// anyArmedFacingEnemy reports whether armed ships still face living ships
// they fire on once shooting stopped: the battle ended in a standoff, not a
// victory.
func anyArmedFacingEnemy(st *state, fs []*fighter, alive []int, races []int, in, armed []bool) bool {
	for _, f := range fs {
		if f.g.Ships == 0 || f.guns == 0 {
			continue
		}
		for _, q := range races {
			if in[q] && alive[q] > 0 && st.firesOn(f.r, q, armed[q]) {
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

// bomb lets armed ships of races at war with a planet's owner bomb it (a
// race at peace with the owner does not, even if the owner is at war with
// it: GalaxyNG's mustBomb): population and industry fall to a quarter, COL
// is lost and production switches to CAP. A single race, or a single
// alliance whose one member claimed the planet, then owns it; anything else
// leaves it without owner.
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
	// The record keeps the planet as the bombs found it, as GalaxyNG's
	// bombphase does and its reportBombings shows.
	rec := &bombing{Planet: p, Owner: owner, Attackers: attackers, Pop: pl.Pop, Ind: pl.Ind, NewOwner: noRace}
	pl.Pop *= 0.25
	pl.Ind *= 0.25
	pl.COL = 0
	pl.Prod, pl.ShipType, pl.Progress = prodCAP, "", 0
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

// allied reports whether no two of the races, all armed, fight each other.
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
