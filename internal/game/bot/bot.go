// Package bot is a simple built-in player for Galaxy games: it writes order
// text for one race from that race's report, the same information a human
// player has. Tests use it to play whole games; a development mode can use it
// for demo opponents.
//
// The strategy is plain on purpose: design a colony ship and a fighter, turn
// the biggest planet into a shipyard, research with the next one, develop
// the others with CAP, ship COL to the best free planets known, and send
// fighters against the nearest enemy planets, exploring when none is known.
//
// A Bot remembers the planets it has seen, because Galaxy reports show
// details only of planets where the race is present; without memory the
// fighters would explore the same planets again and again. Bot output is
// deterministic: the same reports give the same orders.
package bot

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/game"
)

// The bot's designs. Names are fixed so a bot recognises its own types.
const (
	colonyType  = "Colonist"
	fighterType = "Fighter"
	colonyShip  = "d Colonist 4 0 0 0 4"
	fighterShip = "d Fighter 4 2 2 3 0"

	wantColonyShips = 8  // keep about this many colony ships
	attackGroupSize = 15 // fighters gathered at a planet before they attack
	colonisingTurns = 60 // stop building colony ships after this turn
)

// known is what the bot remembers about a planet.
type known struct {
	name   string
	x, y   float64
	owner  string // "" = no owner
	size   float64
	res    float64
	seen   bool // details were seen at least once
	when   int  // turn of the last sighting
	myHome bool
}

// Bot plays one race. The zero value is not usable; call New.
type Bot struct {
	planets map[int]*known
}

// New returns a bot with empty memory.
func New() *Bot { return &Bot{planets: map[int]*known{}} }

// Orders returns the order text for game g's race raceID from its latest
// report, with a fresh memory. Use a Bot to play many turns.
func Orders(g *game.Game, raceID string) string {
	return New().Orders(g.Reports()[raceID].Data)
}

// Orders returns order text for the race whose report d is, and remembers
// what the report shows. It returns "" when the race no longer plays.
func (b *Bot) Orders(d *game.ReportData) string {
	if d == nil || d.Status != "active" || d.Finished {
		return ""
	}
	b.remember(d)
	p := &plan{Bot: b, d: d, targeted: map[string]bool{}}
	var out strings.Builder
	fmt.Fprintf(&out, "; turn %d orders of %s (built-in bot)\n", d.Turn+1, d.Race)
	p.designs(&out)
	p.production(&out)
	p.colonise(&out)
	p.attack(&out)
	return out.String()
}

// remember merges the report's planets into the bot's memory.
func (b *Bot) remember(d *game.ReportData) {
	put := func(p game.PlanetInfo, mine bool) {
		b.planets[p.Number] = &known{name: p.Name, x: p.X, y: p.Y, owner: p.Owner, size: p.Size, res: p.Resources,
			seen: true, when: d.Turn, myHome: mine}
	}
	for _, p := range d.Planets {
		put(p, true)
	}
	for _, p := range d.OtherPlanets {
		put(p, false)
	}
	for _, p := range d.UninhabitedPlanets {
		put(p, false)
	}
	for _, p := range d.UnidentifiedPlanets {
		k, ok := b.planets[p.Number]
		if !ok {
			b.planets[p.Number] = &known{name: p.Name, x: p.X, y: p.Y}
			continue
		}
		k.name, k.x, k.y = p.Name, p.X, p.Y
		if k.owner == d.Race { // lost since we last looked
			k.owner, k.myHome = "?", false
		}
	}
}

// plan is one turn's decisions.
type plan struct {
	*Bot
	d        *game.ReportData
	targeted map[string]bool // planets a group was sent to this turn or before
}

// dist is the distance on the report's map.
func (p *plan) dist(x1, y1, x2, y2 float64) float64 {
	dx, dy := math.Abs(x1-x2), math.Abs(y1-y2)
	if p.d.Wrap {
		dx = math.Min(dx, p.d.MapSize-dx)
		dy = math.Min(dy, p.d.MapSize-dy)
	}
	return math.Hypot(dx, dy)
}

// name writes a name for orders.
func name(s string) string { return strings.ReplaceAll(s, " ", "_") }

// designs adds the bot's ship types when missing.
func (p *plan) designs(out *strings.Builder) {
	have := func(n string) bool {
		return slices.ContainsFunc(p.d.ShipTypes, func(t game.ShipTypeInfo) bool { return t.Name == n })
	}
	if !have(colonyType) {
		out.WriteString(colonyShip + "\n")
	}
	if !have(fighterType) {
		out.WriteString(fighterShip + "\n")
	}
}

// production sets what every planet makes.
func (p *plan) production(out *strings.Builder) {
	planets := slices.Clone(p.d.Planets)
	slices.SortStableFunc(planets, func(a, b game.PlanetInfo) int {
		if c := cmp.Compare(b.Output, a.Output); c != 0 {
			return c
		}
		return cmp.Compare(a.Number, b.Number)
	})
	colony := 0
	for _, g := range p.d.Groups {
		if g.Type == colonyType {
			colony += g.Ships
		}
	}
	research := []string{"DRIVE", "WEAPONS", "SHIELDS", "WEAPONS", "SHIELDS", "CARGO"}
	for i, pl := range planets {
		var what string
		switch {
		case i == 0 && colony < wantColonyShips && p.d.Turn < colonisingTurns:
			what = colonyType
		case i == 0:
			what = fighterType
		case pl.Industry < pl.Population*0.95:
			what = "CAP"
		case i == 1:
			what = research[p.d.Turn%len(research)]
		case pl.Output >= 200:
			what = fighterType
		default:
			what = research[(p.d.Turn+i)%len(research)]
		}
		if !strings.EqualFold(pl.Production, what) {
			fmt.Fprintf(out, "p %s %s\n", name(pl.Name), what)
		}
	}
}

// colonise moves colony ships: load COL where there is some, carry it to the
// best free planet, unload on arrival, and come back empty.
func (p *plan) colonise(out *strings.Builder) {
	mine := map[string]game.PlanetInfo{}
	for _, pl := range p.d.Planets {
		mine[pl.Name] = pl
	}
	for _, g := range p.d.Groups {
		if g.Type == colonyType && g.Location == "" {
			p.targeted[g.Destination] = true
		}
	}
	col := map[string]float64{}
	for _, pl := range p.d.Planets {
		col[pl.Name] = pl.COL
	}
	for _, g := range p.d.Groups {
		if g.Type != colonyType {
			continue
		}
		if g.Location == "" { // in hyperspace: unload on arrival this turn
			if g.CargoType == "COL" && g.Distance <= g.Speed {
				fmt.Fprintf(out, "u %d\n", g.Number)
			}
			continue
		}
		here := g.Location
		_, ours := mine[here]
		k := p.byName(here)
		switch {
		case g.CargoType == "COL" && !ours && k != nil && k.owner == "":
			fmt.Fprintf(out, "u %d\n", g.Number)
		case g.CargoType == "COL":
			if t := p.colonyTarget(g); t != nil {
				fmt.Fprintf(out, "s %d %s\n", g.Number, name(t.name))
				p.targeted[t.name] = true
			}
		case ours && col[here] >= 1:
			t := p.colonyTarget(g)
			if t == nil {
				continue
			}
			fmt.Fprintf(out, "l %d COL\n", g.Number)
			fmt.Fprintf(out, "s %d %s\n", g.Number, name(t.name))
			p.targeted[t.name] = true
			col[here] -= float64(g.Ships) * 5
		default:
			if src := p.richestCOL(g, col); src != "" && src != here {
				fmt.Fprintf(out, "s %d %s\n", g.Number, name(src))
			}
		}
	}
}

// byName finds a remembered planet by its current name.
func (p *plan) byName(n string) *known {
	for _, num := range p.numbers() {
		if k := p.planets[num]; k.name == n {
			return k
		}
	}
	return nil
}

// numbers lists remembered planet numbers in order, for deterministic walks.
func (p *plan) numbers() []int {
	nums := make([]int, 0, len(p.planets))
	for n := range p.planets {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	return nums
}

// colonyTarget picks where a colony ship goes: known free planets by value
// for the distance, else the nearest planet never seen.
func (p *plan) colonyTarget(g game.GroupInfo) *known {
	var best *known
	bestScore := 0.0
	for _, num := range p.numbers() {
		k := p.planets[num]
		if p.targeted[k.name] || k.name == g.Location {
			continue
		}
		d := p.dist(g.X, g.Y, k.x, k.y) + 1
		var score float64
		switch {
		case k.seen && k.owner == "" && k.size >= 20:
			score = k.size * math.Max(k.res, 0.5) / d
		case !k.seen:
			score = 100 / d
		default:
			continue
		}
		if score > bestScore {
			best, bestScore = k, score
		}
	}
	return best
}

// richestCOL is the nearest own planet with COL to pick up.
func (p *plan) richestCOL(g game.GroupInfo, col map[string]float64) string {
	best, bestD := "", math.Inf(1)
	for _, pl := range p.d.Planets {
		if col[pl.Name] < 1 {
			continue
		}
		if d := p.dist(g.X, g.Y, pl.X, pl.Y); d < bestD {
			best, bestD = pl.Name, d
		}
	}
	return best
}

// attack sends gathered fighters to the nearest enemy planet known, or to
// explore the nearest planet never seen.
func (p *plan) attack(out *strings.Builder) {
	at := map[string]int{}
	for _, g := range p.d.Groups {
		if g.Type == fighterType && g.Location != "" {
			at[g.Location] += g.Ships
		}
	}
	enemyHere := map[string]bool{}
	for _, pl := range p.d.OtherPlanets {
		enemyHere[pl.Name] = true
	}
	mine := map[string]bool{}
	for _, pl := range p.d.Planets {
		mine[pl.Name] = true
	}
	chosen := map[string]*known{}
	for _, g := range p.d.Groups {
		if g.Type != fighterType || g.Location == "" {
			continue
		}
		if enemyHere[g.Location] {
			continue // still taking it
		}
		if mine[g.Location] && at[g.Location] < attackGroupSize {
			continue // gather first
		}
		t, ok := chosen[g.Location]
		if !ok {
			t = p.attackTarget(g)
			chosen[g.Location] = t
		}
		if t != nil {
			fmt.Fprintf(out, "s %d %s\n", g.Number, name(t.name))
		}
	}
}

// attackTarget picks the nearest enemy planet, else the nearest planet never
// seen, else the foreign planet seen longest ago (someone may have settled
// there since).
func (p *plan) attackTarget(g game.GroupInfo) *known {
	var enemy, unseen, stale *known
	de, du := math.Inf(1), math.Inf(1)
	for _, num := range p.numbers() {
		k := p.planets[num]
		if k.name == g.Location {
			continue
		}
		d := p.dist(g.X, g.Y, k.x, k.y)
		switch {
		case k.seen && k.owner != "" && k.owner != p.d.Race:
			if d < de {
				enemy, de = k, d
			}
		case !k.seen:
			if d < du {
				unseen, du = k, d
			}
		case k.owner != p.d.Race && (stale == nil || k.when < stale.when):
			stale = k
		}
	}
	switch {
	case enemy != nil:
		return enemy
	case unseen != nil:
		return unseen
	}
	return stale
}
