package game

import (
	"slices"
	"strings"
)

// noRace marks a planet without owner and a missing race reference.
const noRace = -1

// cargoKind is what a group carries.
type cargoKind uint8

// The cargo kinds. EMP exists only in routes: it sends empty ships.
const (
	cargoNone cargoKind = iota
	cargoCOL
	cargoCAP
	cargoMAT
	cargoEMP
)

// String is the order and report spelling of a cargo kind.
func (c cargoKind) String() string {
	switch c {
	case cargoCOL:
		return "COL"
	case cargoCAP:
		return "CAP"
	case cargoMAT:
		return "MAT"
	case cargoEMP:
		return "EMP"
	}
	return "-"
}

// prodKind is what a planet produces.
type prodKind uint8

// The production kinds; prodShip builds the planet's ShipType.
const (
	prodCAP prodKind = iota
	prodMAT
	prodDrive
	prodWeapons
	prodShields
	prodCargo
	prodShip
)

// prodResearch maps research production kinds to their technology.
func (p prodKind) tech() (int, bool) {
	switch p {
	case prodDrive:
		return techDrive, true
	case prodWeapons:
		return techWeapons, true
	case prodShields:
		return techShields, true
	case prodCargo:
		return techCargo, true
	}
	return 0, false
}

// String is the order spelling of a production kind (ships excluded).
func (p prodKind) String() string {
	switch p {
	case prodCAP:
		return "CAP"
	case prodMAT:
		return "MAT"
	case prodShip:
		return "SHIP"
	}
	t, _ := p.tech()
	return techNames[t]
}

// raceStatus tells whether a race still plays.
type raceStatus uint8

// The race statuses. Removed races left for idleness, quit races left by
// their own q order; all three kinds are "eliminated" in summaries.
const (
	statusActive raceStatus = iota
	statusEliminated
	statusRemoved
	statusQuit
)

// String is the report spelling of a status.
func (s raceStatus) String() string {
	switch s {
	case statusEliminated:
		return "eliminated"
	case statusRemoved:
		return "removed"
	case statusQuit:
		return "quit"
	}
	return "active"
}

// state is everything a snapshot holds. Fields are exported for
// encoding/json only; the type itself stays private.
type state struct {
	Seed       int64     `json:"seed"`
	Turn       int       `json:"turn"`
	Settings   Settings  `json:"settings"`
	Side       float64   `json:"side"`
	Planets    []*planet `json:"planets"`
	Races      []*race   `json:"races"`
	StartRaces int       `json:"start_races"`
	Finished   bool      `json:"finished,omitempty"`
	Winners    []int     `json:"winners,omitempty"`
	// Events of the last turn, kept so that its reports can be rebuilt after a
	// restore.
	Battles   []*battle  `json:"battles,omitempty"`
	Bombings  []*bombing `json:"bombings,omitempty"`
	Bulletins []string   `json:"bulletins,omitempty"`

	names map[string]int // planet name keys, built on first use
	// refusedNames holds, by race id and name, why the platform refused a
	// name the race's c orders ask for this turn.
	refusedNames map[string]map[string]string
}

// planet is one world. Its number is its index in state.Planets plus one.
type planet struct {
	Name      string   `json:"name"`
	X         float64  `json:"x"`
	Y         float64  `json:"y"`
	Size      float64  `json:"size"`
	Resources float64  `json:"res"`
	Pop       float64  `json:"pop,omitempty"`
	Ind       float64  `json:"ind,omitempty"`
	CAP       float64  `json:"cap,omitempty"`
	MAT       float64  `json:"mat,omitempty"`
	COL       float64  `json:"col,omitempty"`
	Owner     int      `json:"owner"`
	Prod      prodKind `json:"prod,omitempty"`
	ShipType  string   `json:"ship,omitempty"`
	// Progress is production already spent on the next ship: it carries over
	// between turns while the planet keeps building the same type.
	Progress float64 `json:"progress,omitempty"`

	spent float64 // production used by upgrades this turn
}

// production = industry × 0.75 + population × 0.25.
func (p *planet) production() float64 { return productionOf(p.Ind, p.Pop) }

// race is one player.
type race struct {
	ID     string           `json:"id"`
	Name   string           `json:"name"`
	Tech   [numTech]float64 `json:"tech"`
	Types  []*shipType      `json:"types,omitempty"`
	Groups []*group         `json:"groups,omitempty"`
	Fleets []string         `json:"fleets,omitempty"`
	Peace  []bool           `json:"peace"` // Peace[j]: this race does not attack race j
	Routes []route          `json:"routes,omitempty"`
	Status raceStatus       `json:"status,omitempty"`
	Idle   int              `json:"idle,omitempty"` // consecutive turns without orders
	LeftAt int              `json:"left_at,omitempty"`
	Events raceEvents       `json:"events"`
	// RealName is the player's name as set with =; others see it unless the
	// race plays anonymously.
	RealName string `json:"real_name,omitempty"`
	// Options holds the report and play options (o orders) that differ
	// from their defaults; see options.go.
	Options optionFlips `json:"options,omitempty"`
	// Map is the area the report's map shows (m order); nil is the whole
	// galaxy.
	Map *mapArea `json:"map,omitempty"`
	// MassProduced and MassLost are the ship mass the race has built and
	// lost in battle since the game began (GalaxyNG's production status).
	MassProduced float64 `json:"mass_produced,omitempty"`
	MassLost     float64 `json:"mass_lost,omitempty"`

	claims map[int]bool // planets this race claims with v this turn
	quits  bool         // gave a valid q order this turn
	types  map[string]*shipType
}

// raceEvents are the race's own entries of the last turn's report.
type raceEvents struct {
	Mistakes []Mistake `json:"mistakes,omitempty"`
	Messages []Message `json:"messages,omitempty"`
	News     []string  `json:"news,omitempty"`
	Orders   bool      `json:"orders,omitempty"` // orders were received
}

// route sends the race's cargo ships from one planet to another every turn.
type route struct {
	From  int       `json:"from"`
	Cargo cargoKind `json:"cargo"`
	To    int       `json:"to"`
}

// group is n identical ships: same type, same tech, same cargo per ship, same
// place.
type group struct {
	Num   int              `json:"n"`
	Type  string           `json:"type"`
	Ships int              `json:"ships"`
	Tech  [numTech]float64 `json:"tech"`
	Cargo cargoKind        `json:"cargo,omitempty"`
	Load  float64          `json:"load,omitempty"` // per ship
	// At is the planet the group orbits, or noRace (-1) in hyperspace, where
	// From, To and Dist (light years left) apply.
	At     int     `json:"at"`
	From   int     `json:"from,omitempty"`
	To     int     `json:"to,omitempty"`
	Dist   float64 `json:"dist,omitempty"`
	Fleet  string  `json:"fleet,omitempty"`
	Routed bool    `json:"routed,omitempty"` // unused (routes unload by destination); kept so old snapshots restore

	typ       *shipType
	busy      bool // given an order this turn, so routes leave it alone
	departed  bool // left a planet this turn: what interceptors look for
	intercept bool // sent with i: may turn after departing enemies
}

// inSpace reports whether the group travels through hyperspace.
func (g *group) inSpace() bool { return g.At < 0 }

// mass is the empty mass of one ship.
func (g *group) mass() float64 { return g.typ.mass() }

// speed of one ship with its current load, in light years per turn.
func (g *group) speed() float64 {
	return shipSpeed(g.Tech[techDrive], g.typ.Drive, g.typ.mass(), g.Load, g.Tech[techCargo])
}

// capacity is the cargo one ship can carry.
func (g *group) capacity() float64 { return cargoCapacity(g.Tech[techCargo], g.typ.Cargo) }

// attack is one gun's strength.
func (g *group) attack() float64 {
	if !g.typ.armed() {
		return 0
	}
	return attackStrength(g.typ.Weapons, g.Tech[techWeapons])
}

// defence of one ship, cargo included: a loaded freighter is easier to kill
// (GalaxyNG's groupDefense divides by the cube root of shipmass).
func (g *group) defence() float64 {
	return defenceStrength(g.typ.Shields, g.Tech[techShields], loadedMass(g.typ.mass(), g.Load, g.Tech[techCargo]))
}

// armed reports whether the group has living ships that can shoot.
func (g *group) armed() bool { return g.Ships > 0 && g.typ.armed() }

// Message is a text one race sent to others with the @ order.
type Message struct {
	From string `json:"from"`
	Text string `json:"text"`
}

// raceIndex finds a race by id.
func (s *state) raceIndex(id string) int {
	for i, r := range s.Races {
		if r.ID == id {
			return i
		}
	}
	return noRace
}

// nameKey is the comparison form of a name: players type spaces as '_' and
// case does not matter.
func nameKey(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", " "))
}

// displayName is the report form of a name, ready to be typed into orders.
func displayName(s string) string { return strings.ReplaceAll(s, " ", "_") }

// raceByName finds a race by name (or id) as typed in an order.
func (s *state) raceByName(token string) int {
	key := nameKey(token)
	for i, r := range s.Races {
		if nameKey(r.Name) == key {
			return i
		}
	}
	for i, r := range s.Races {
		if r.ID == token {
			return i
		}
	}
	return noRace
}

// planetByName finds a planet by name, or by its number written "#n".
func (s *state) planetByName(token string) int {
	if s.names == nil {
		s.names = make(map[string]int, len(s.Planets))
		for i, p := range s.Planets {
			s.names[nameKey(p.Name)] = i
		}
	}
	if i, ok := s.names[nameKey(token)]; ok {
		return i
	}
	if n, ok := strings.CutPrefix(token, "#"); ok {
		if v, ok := parseCount(n); ok && v >= 1 && v <= len(s.Planets) {
			return v - 1
		}
	}
	return noRace
}

// renamePlanet changes a planet's name and keeps the name index right.
func (s *state) renamePlanet(i int, name string) {
	if s.names != nil {
		delete(s.names, nameKey(s.Planets[i].Name))
		s.names[nameKey(name)] = i
	}
	s.Planets[i].Name = name
}

// shipType finds one of the race's types by name.
func (r *race) shipType(name string) *shipType {
	return r.types[nameKey(name)]
}

// indexTypes rebuilds the type lookup and the groups' type pointers after
// generation, restore or clone.
func (r *race) indexTypes() {
	r.types = make(map[string]*shipType, len(r.Types))
	for _, t := range r.Types {
		r.types[nameKey(t.Name)] = t
	}
	for _, g := range r.Groups {
		g.typ = r.types[nameKey(g.Type)]
	}
}

// group finds a living group by number.
func (r *race) group(num int) *group {
	// Groups are kept sorted by number, so a binary search finds them.
	i, ok := slices.BinarySearchFunc(r.Groups, num, func(g *group, n int) int { return g.Num - n })
	if !ok || r.Groups[i].Ships <= 0 {
		return nil
	}
	return r.Groups[i]
}

// nextGroupNum is the number a new group gets: after every existing one, so
// the slice stays sorted.
func (r *race) nextGroupNum() int {
	if len(r.Groups) == 0 {
		return 1
	}
	return r.Groups[len(r.Groups)-1].Num + 1
}

// hasFleet reports whether the race has a fleet of that name.
func (r *race) fleetName(name string) (string, bool) {
	key := nameKey(name)
	for _, f := range r.Fleets {
		if nameKey(f) == key {
			return f, true
		}
	}
	return "", false
}

// active reports whether the race still plays.
func (r *race) active() bool { return r.Status == statusActive }

// atWar reports whether race a attacks race b: everyone is at war with
// everyone until an alliance order says otherwise.
func (s *state) atWar(a, b int) bool {
	if a == b || a < 0 || b < 0 {
		return false
	}
	return !s.Races[a].Peace[b]
}

// firesOn reports whether, in a battle, ships of race a fire on ships of
// race b: a is at war with b, or b is at war with a and has armed ships in
// the battle (bArmed). A race at peace with b never starts a fight but
// always shoots back, as in GalaxyNG (battle.c allocEnemies; the manual:
// "ships will always shoot back if fired on"); an unarmed aggressor is
// left alone.
func (s *state) firesOn(a, b int, bArmed bool) bool {
	return s.atWar(a, b) || (bArmed && s.atWar(b, a))
}

// hostile reports whether armed ships of a and b fire on each other when
// they meet: one side at war is enough, as the other shoots back (firesOn
// with both sides armed, which makes it symmetric).
func (s *state) hostile(a, b int) bool { return s.atWar(a, b) || s.atWar(b, a) }

// split takes n ships off g into a new group of the same race and returns it;
// with n equal to all ships it returns g itself.
func (r *race) split(g *group, n int) *group {
	if n >= g.Ships {
		return g
	}
	ng := *g
	ng.Num = r.nextGroupNum()
	ng.Ships = n
	g.Ships -= n
	r.Groups = append(r.Groups, &ng)
	return &ng
}
