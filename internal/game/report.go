package game

import (
	"cmp"
	"maps"
	"math"
	"slices"
)

// ReportData is the whole content of one race's report of one turn, for
// clients (the text report renders exactly this). Numbers are rounded to
// hundredths like the text. Lists are never null.
type ReportData struct {
	Race     string   `json:"race"`
	RaceID   string   `json:"race_id"`
	Turn     int      `json:"turn"`
	MapSize  float64  `json:"map_size"`
	Wrap     bool     `json:"wrap"`
	Finished bool     `json:"finished"`
	Winners  []string `json:"winners"` // race names, best first, once the game is over
	// Status is "active", "eliminated", "removed" (idle) or "quit" (q).
	Status string `json:"status"`

	Bulletins []string       `json:"bulletins"`
	Mistakes  []Mistake      `json:"mistakes"`
	Messages  []Message      `json:"messages"`
	Players   []PlayerStatus `json:"players"`
	Tech      Tech           `json:"tech"`
	ShipTypes []ShipTypeInfo `json:"ship_types"`
	Battles   []BattleInfo   `json:"battles"`
	Bombings  []BombingInfo  `json:"bombings"`

	Planets             []PlanetInfo     `json:"planets"`
	ShipsInProduction   []ProductionInfo `json:"ships_in_production"`
	Routes              []RouteInfo      `json:"routes"`
	OtherPlanets        []PlanetInfo     `json:"other_planets"`
	UninhabitedPlanets  []PlanetInfo     `json:"uninhabited_planets"`
	UnidentifiedPlanets []PlanetRef      `json:"unidentified_planets"`

	Groups         []GroupInfo    `json:"groups"`
	Fleets         []FleetInfo    `json:"fleets"`
	OtherGroups    []GroupInfo    `json:"other_groups"`
	IncomingGroups []IncomingInfo `json:"incoming_groups"`

	// OtherShipTypes are the designs of other races' ships you saw this
	// turn, race by race, at their race's current tech.
	OtherShipTypes []RaceShipTypes `json:"other_ship_types"`
	// Map is the area of the galaxy the report's map shows (m order) and
	// the ships in hyperspace on it.
	Map MapInfo `json:"map"`
	// Options are the race's report and play options (o order).
	Options []OptionInfo `json:"options"`
	// RealName is the player's real name (= order), "" when not set.
	RealName string `json:"real_name"`
	// MassProduced and MassLost are the ship mass built and lost in
	// battle since the game began.
	MassProduced float64 `json:"mass_produced"`
	MassLost     float64 `json:"mass_lost"`
}

// RaceShipTypes is another race's designs that you saw.
type RaceShipTypes struct {
	Race  string         `json:"race"`
	Types []ShipTypeInfo `json:"types"`
}

// MapInfo is the report's map: the square with top left corner X, Y and
// side Size, and every group in hyperspace inside it.
type MapInfo struct {
	X      float64    `json:"x"`
	Y      float64    `json:"y"`
	Size   float64    `json:"size"`
	Groups []MapPoint `json:"groups"`
}

// MapPoint is a group in hyperspace on the map: yours, or another race's.
type MapPoint struct {
	X   float64 `json:"x"`
	Y   float64 `json:"y"`
	Own bool    `json:"own"`
}

// ShotInfo is one shot of a battle protocol: the firing and the target
// group, as indices into BattleInfo.Groups, and whether the target ship was
// destroyed (else its shields held).
type ShotInfo struct {
	Attacker  int  `json:"attacker"`
	Target    int  `json:"target"`
	Destroyed bool `json:"destroyed"`
}

// PlayerStatus is one line of the status of players: public facts about
// every race, and your stance towards it.
type PlayerStatus struct {
	Name       string  `json:"name"`
	Drive      float64 `json:"drive"`
	Weapons    float64 `json:"weapons"`
	Shields    float64 `json:"shields"`
	Cargo      float64 `json:"cargo"`
	Population float64 `json:"population"`
	Industry   float64 `json:"industry"`
	Planets    int     `json:"planets"`
	// Relation is your stance: "war", "peace", or "-" for yourself.
	Relation string `json:"relation"`
	Status   string `json:"status"`
	// RealName is the player's real name, when set and not anonymous.
	RealName string `json:"real_name,omitempty"`
}

// Tech holds technology levels.
type Tech struct {
	Drive   float64 `json:"drive"`
	Weapons float64 `json:"weapons"`
	Shields float64 `json:"shields"`
	Cargo   float64 `json:"cargo"`
}

// ShipTypeInfo is one of your designs with what a new ship of it does at your
// current tech.
type ShipTypeInfo struct {
	Name     string  `json:"name"`
	Drive    float64 `json:"drive"`
	Attacks  int     `json:"attacks"`
	Weapons  float64 `json:"weapons"`
	Shields  float64 `json:"shields"`
	Cargo    float64 `json:"cargo"`
	Mass     float64 `json:"mass"`
	Speed    float64 `json:"speed"`
	Capacity float64 `json:"capacity"`
	Attack   float64 `json:"attack"`
	Defence  float64 `json:"defence"`
}

// BattleInfo is one battle you were present at.
type BattleInfo struct {
	Planet       string            `json:"planet"`
	PlanetNumber int               `json:"planet_number"`
	X            float64           `json:"x"`
	Y            float64           `json:"y"`
	Rounds       int               `json:"rounds"`
	Shots        int               `json:"shots"`
	Standoff     bool              `json:"standoff"`
	Groups       []BattleGroupInfo `json:"groups"`
	// Protocol lists the shots in order when you asked for it (option
	// battleProtocol); Shots counts them all.
	Protocol []ShotInfo `json:"protocol"`
}

// BattleGroupInfo is one group in a battle: ships before and ships left.
type BattleGroupInfo struct {
	Race    string  `json:"race"`
	Group   int     `json:"group,omitempty"` // your group's number at the battle; 0 for others
	Type    string  `json:"type"`
	Drive   float64 `json:"drive"`
	Weapons float64 `json:"weapons"`
	Shields float64 `json:"shields"`
	Cargo   float64 `json:"cargo"`
	Attacks int     `json:"attacks"`
	Attack  float64 `json:"attack"`
	Defence float64 `json:"defence"`
	Ships   int     `json:"ships"`
	Left    int     `json:"left"`
}

// BombingInfo is one bombing you saw.
type BombingInfo struct {
	Planet       string   `json:"planet"`
	PlanetNumber int      `json:"planet_number"`
	Owner        string   `json:"owner"`
	Attackers    []string `json:"attackers"`
	Population   float64  `json:"population"` // before the bombing, as GalaxyNG reports it
	Industry     float64  `json:"industry"`   // before the bombing
	NewOwner     string   `json:"new_owner"`  // "" when the planet has no owner now
	Reason       string   `json:"reason,omitempty"`
}

// PlanetInfo describes a planet you can see. Owner is "" for planets without
// owner.
type PlanetInfo struct {
	Number     int     `json:"number"`
	Name       string  `json:"name"`
	X          float64 `json:"x"`
	Y          float64 `json:"y"`
	Owner      string  `json:"owner"`
	Size       float64 `json:"size"`
	Resources  float64 `json:"resources"`
	Population float64 `json:"population"`
	Industry   float64 `json:"industry"`
	Production string  `json:"production"`
	CAP        float64 `json:"cap"`
	MAT        float64 `json:"mat"`
	COL        float64 `json:"col"`
	// Output is the planet's production per turn (industry × 0.75 +
	// population × 0.25).
	Output float64 `json:"output"`
}

// PlanetRef is a planet you only know the position of.
type PlanetRef struct {
	Number int     `json:"number"`
	Name   string  `json:"name"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
}

// ProductionInfo is a planet building ships.
type ProductionInfo struct {
	Planet   string  `json:"planet"`
	Type     string  `json:"type"`
	Cost     float64 `json:"cost"`     // production for the next ship, MAT mining included
	Progress float64 `json:"progress"` // production already spent on it
	Output   float64 `json:"output"`   // the planet's production per turn
}

// RouteInfo is one of your cargo routes.
type RouteInfo struct {
	From  string `json:"from"`
	Cargo string `json:"cargo"`
	To    string `json:"to"`
}

// GroupInfo is a group of ships. For your own groups Number is the number
// orders use; other races' groups have Race set instead.
type GroupInfo struct {
	Number      int     `json:"number,omitempty"`
	Race        string  `json:"race,omitempty"`
	Ships       int     `json:"ships"`
	Type        string  `json:"type"`
	Drive       float64 `json:"drive"`
	Weapons     float64 `json:"weapons"`
	Shields     float64 `json:"shields"`
	Cargo       float64 `json:"cargo"`
	CargoType   string  `json:"cargo_type"` // "-" when empty
	Load        float64 `json:"load"`       // cargo carried by the whole group
	Location    string  `json:"location"`   // planet orbited; "" in hyperspace
	Origin      string  `json:"origin"`
	Destination string  `json:"destination"`
	Distance    float64 `json:"distance"` // light years left
	Speed       float64 `json:"speed"`
	Mass        float64 `json:"mass"` // of one ship with its cargo
	Fleet       string  `json:"fleet,omitempty"`
	X           float64 `json:"x"`
	Y           float64 `json:"y"`
}

// FleetInfo is one of your fleets.
type FleetInfo struct {
	Name        string  `json:"name"`
	Groups      int     `json:"groups"`
	Ships       int     `json:"ships"`
	Location    string  `json:"location"`
	Destination string  `json:"destination"`
	Distance    float64 `json:"distance"`
	Speed       float64 `json:"speed"`
}

// IncomingInfo is another race's group heading for one of your planets; its
// owner is unknown until it arrives.
type IncomingInfo struct {
	Origin      string  `json:"origin"`
	Destination string  `json:"destination"`
	Distance    float64 `json:"distance"`
	Speed       float64 `json:"speed"`
	Mass        float64 `json:"mass"` // of the whole group
}

// view is what the report builder needs about the galaxy, computed once for
// all races.
type view struct {
	st       *state
	at       [][]placed // living groups by planet
	present  [][]int    // races with ships at each planet or owning it
	incoming [][]*group // groups of other races heading for each race's planets
	totals   []totals
	flying   []flyingGroup // groups in hyperspace and where they are, for maps
}

// flyingGroup is a group in hyperspace at x, y, of race r.
type flyingGroup struct {
	r    int
	x, y float64
}

// newView indexes the state for reports.
func newView(st *state) *view {
	v := &view{st: st, at: st.groupsByPlanet(nil), totals: st.totals()}
	v.present = make([][]int, len(st.Planets))
	for p, here := range v.at {
		for _, e := range here {
			if !slices.Contains(v.present[p], e.r) {
				v.present[p] = append(v.present[p], e.r)
			}
		}
		if o := st.Planets[p].Owner; o != noRace && !slices.Contains(v.present[p], o) {
			v.present[p] = append(v.present[p], o)
		}
	}
	v.incoming = make([][]*group, len(st.Races))
	for ri, r := range st.Races {
		for _, g := range r.Groups {
			if g.Ships <= 0 || !g.inSpace() {
				continue
			}
			x, y := st.position(g)
			v.flying = append(v.flying, flyingGroup{ri, x, y})
			if o := st.Planets[g.To].Owner; o != noRace && o != ri {
				v.incoming[o] = append(v.incoming[o], g)
			}
		}
	}
	for _, in := range v.incoming {
		// By destination and distance: the order of races must not show.
		slices.SortStableFunc(in, func(a, b *group) int {
			if a.To != b.To {
				return a.To - b.To
			}
			if a.Dist != b.Dist {
				return cmp.Compare(a.Dist, b.Dist)
			}
			return a.From - b.From
		})
	}
	return v
}

// buildReports renders every race's report of the last turn.
func buildReports(st *state) map[string]Report {
	v := newView(st)
	out := make(map[string]Report, len(st.Races))
	for ri, r := range st.Races {
		d := v.data(ri)
		out[r.ID] = Report{Text: renderReport(d), Data: d}
	}
	return out
}

// reportPrecision is hundredths: every number in a report has two decimals.
const reportPrecision = 100

// r2 rounds for reports.
func r2(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	v := math.Round(x*reportPrecision) / reportPrecision
	if v == 0 {
		return 0 // no "-0.00"
	}
	return v
}

// data builds one race's report content.
func (v *view) data(ri int) *ReportData {
	st := v.st
	r := st.Races[ri]
	d := &ReportData{
		Race: r.Name, RaceID: r.ID, Turn: st.Turn, MapSize: st.Side, Wrap: st.Settings.Wrap,
		Finished: st.Finished, Winners: []string{}, Status: r.Status.String(),
		Bulletins: append(slices.Clone(st.Bulletins), r.Events.News...),
		Mistakes:  append([]Mistake{}, r.Events.Mistakes...),
		Messages:  append([]Message{}, r.Events.Messages...),
		Tech:      techOf(r.Tech),
	}
	if d.Bulletins == nil {
		d.Bulletins = []string{}
	}
	for _, w := range st.Winners {
		d.Winners = append(d.Winners, st.Races[w].Name)
	}
	d.Players = make([]PlayerStatus, len(st.Races))
	for oi, o := range st.Races {
		rel := "war"
		switch {
		case oi == ri:
			rel = "-"
		case r.Peace[oi]:
			rel = "peace"
		}
		t := v.totals[oi]
		d.Players[oi] = PlayerStatus{
			Name: o.Name, Drive: r2(o.Tech[techDrive]), Weapons: r2(o.Tech[techWeapons]),
			Shields: r2(o.Tech[techShields]), Cargo: r2(o.Tech[techCargo]),
			Population: r2(t.pop), Industry: r2(t.ind), Planets: t.planets, Relation: rel, Status: o.Status.String(),
		}
		if oi == ri || !o.Options.has(optAnonymous) {
			d.Players[oi].RealName = o.RealName
		}
	}
	d.ShipTypes = shipTypeInfos(r)
	d.Battles = []BattleInfo{}
	for _, b := range st.Battles {
		if slices.Contains(b.Viewers, ri) {
			d.Battles = append(d.Battles, v.battleInfo(b, ri))
		}
	}
	d.Bombings = []BombingInfo{}
	for _, b := range st.Bombings {
		if slices.Contains(b.Viewers, ri) {
			d.Bombings = append(d.Bombings, v.bombingInfo(b))
		}
	}
	v.planets(d, ri)
	v.groups(d, ri)
	if !r.Options.has(optProdTable) {
		d.ShipsInProduction = []ProductionInfo{}
	}
	d.OtherShipTypes = v.otherShipTypes(ri)
	d.Map = v.mapInfo(ri)
	d.Options = optionInfos(r)
	d.RealName = r.RealName
	d.MassProduced, d.MassLost = r2(r.MassProduced), r2(r.MassLost)
	return d
}

// techOf converts tech levels for reports.
func techOf(t [numTech]float64) Tech {
	return Tech{Drive: r2(t[techDrive]), Weapons: r2(t[techWeapons]), Shields: r2(t[techShields]), Cargo: r2(t[techCargo])}
}

// shipTypeInfos lists a race's designs at its current tech.
func shipTypeInfos(r *race) []ShipTypeInfo {
	out := make([]ShipTypeInfo, 0, len(r.Types))
	for _, t := range r.Types {
		out = append(out, shipTypeInfo(t, r.Tech))
	}
	return out
}

// shipTypeInfo is what a new ship of type t does at tech.
func shipTypeInfo(t *shipType, tech [numTech]float64) ShipTypeInfo {
	m := t.mass()
	info := ShipTypeInfo{
		Name: t.Name, Drive: r2(t.Drive), Attacks: t.Attacks, Weapons: r2(t.Weapons), Shields: r2(t.Shields),
		Cargo: r2(t.Cargo), Mass: r2(m), Speed: r2(shipSpeed(tech[techDrive], t.Drive, m, 0, tech[techCargo])),
		Capacity: r2(cargoCapacity(tech[techCargo], t.Cargo)),
		Defence:  r2(defenceStrength(t.Shields, tech[techShields], m)),
	}
	if t.armed() {
		info.Attack = r2(attackStrength(t.Weapons, tech[techWeapons]))
	}
	return info
}

// otherShipTypes lists, race by race, the designs of the other races' ships
// that race ri saw this turn, at planets where it is present or in battle
// (GalaxyNG's "<race> Ship Types"), at their race's current tech.
func (v *view) otherShipTypes(ri int) []RaceShipTypes {
	st := v.st
	seen := make([]map[string]*shipType, len(st.Races))
	see := func(oi int, t *shipType) {
		if oi == ri || t == nil {
			return
		}
		if seen[oi] == nil {
			seen[oi] = map[string]*shipType{}
		}
		if _, ok := seen[oi][t.Name]; !ok {
			seen[oi][t.Name] = t
		}
	}
	for p, here := range v.at {
		if slices.Contains(v.present[p], ri) {
			for _, e := range here {
				see(e.r, e.g.typ)
			}
		}
	}
	for _, b := range st.Battles {
		if slices.Contains(b.Viewers, ri) {
			for i := range b.Groups {
				see(b.Groups[i].Race, &b.Groups[i].Type)
			}
		}
	}
	out := []RaceShipTypes{}
	for oi, types := range seen {
		if len(types) == 0 {
			continue
		}
		rt := RaceShipTypes{Race: st.Races[oi].Name, Types: make([]ShipTypeInfo, 0, len(types))}
		for _, name := range slices.Sorted(maps.Keys(types)) {
			rt.Types = append(rt.Types, shipTypeInfo(types[name], st.Races[oi].Tech))
		}
		out = append(out, rt)
	}
	return out
}

// battleInfo converts a battle record for race ri.
func (v *view) battleInfo(b *battle, ri int) BattleInfo {
	p := v.st.Planets[b.Planet]
	info := BattleInfo{Planet: p.Name, PlanetNumber: b.Planet + 1, X: p.X, Y: p.Y, Rounds: b.Rounds, Shots: b.Shots,
		Standoff: b.Standoff, Groups: make([]BattleGroupInfo, 0, len(b.Groups))}
	for _, bg := range b.Groups {
		t := bg.Type
		gi := BattleGroupInfo{
			Race: v.st.Races[bg.Race].Name, Type: t.Name,
			Drive: r2(bg.Tech[techDrive]), Weapons: r2(bg.Tech[techWeapons]), Shields: r2(bg.Tech[techShields]), Cargo: r2(bg.Tech[techCargo]),
			Attacks: t.Attacks, Defence: r2(defenceStrength(t.Shields, bg.Tech[techShields], loadedMass(t.mass(), bg.Load, bg.Tech[techCargo]))),
			Ships: bg.Ships, Left: bg.Left,
		}
		if t.armed() {
			gi.Attack = r2(attackStrength(t.Weapons, bg.Tech[techWeapons]))
		}
		if bg.Race == ri {
			gi.Group = bg.Num
		}
		info.Groups = append(info.Groups, gi)
	}
	info.Protocol = []ShotInfo{}
	if v.st.Races[ri].Options.has(optBattleProtocol) {
		info.Protocol = make([]ShotInfo, len(b.Protocol))
		for i, s := range b.Protocol {
			info.Protocol[i] = ShotInfo{Attacker: int(s[0]), Target: int(s[1]), Destroyed: s[2] != 0}
		}
	}
	return info
}

// bombingInfo converts a bombing record.
func (v *view) bombingInfo(b *bombing) BombingInfo {
	st := v.st
	p := st.Planets[b.Planet]
	info := BombingInfo{Planet: p.Name, PlanetNumber: b.Planet + 1, Owner: st.Races[b.Owner].Name,
		Attackers: make([]string, 0, len(b.Attackers)), Population: r2(b.Pop), Industry: r2(b.Ind), Reason: b.Reason}
	for _, a := range b.Attackers {
		info.Attackers = append(info.Attackers, st.Races[a].Name)
	}
	if b.NewOwner != noRace {
		info.NewOwner = st.Races[b.NewOwner].Name
	}
	return info
}

// planetInfo describes a planet in full.
func (v *view) planetInfo(i int) PlanetInfo {
	p := v.st.Planets[i]
	info := PlanetInfo{
		Number: i + 1, Name: p.Name, X: p.X, Y: p.Y, Size: r2(p.Size), Resources: r2(p.Resources),
		Population: r2(p.Pop), Industry: r2(p.Ind), CAP: r2(p.CAP), MAT: r2(p.MAT), COL: r2(p.COL),
	}
	if p.Owner != noRace {
		info.Owner = v.st.Races[p.Owner].Name
		info.Production = p.Prod.String()
		if p.Prod == prodShip {
			info.Production = p.ShipType
		}
		info.Output = r2(p.production())
	}
	return info
}

// planets fills the planet sections: yours, those you can see, and the
// positions of the rest.
func (v *view) planets(d *ReportData, ri int) {
	st := v.st
	r := st.Races[ri]
	d.Planets, d.ShipsInProduction, d.Routes = []PlanetInfo{}, []ProductionInfo{}, []RouteInfo{}
	d.OtherPlanets, d.UninhabitedPlanets = []PlanetInfo{}, []PlanetInfo{}
	d.UnidentifiedPlanets = make([]PlanetRef, 0, len(st.Planets))
	for i, p := range st.Planets {
		switch {
		case p.Owner == ri:
			d.Planets = append(d.Planets, v.planetInfo(i))
			if p.Prod == prodShip {
				if t := r.shipType(p.ShipType); t != nil {
					cost, _ := shipCost(p, t.mass())
					d.ShipsInProduction = append(d.ShipsInProduction, ProductionInfo{
						Planet: p.Name, Type: t.Name, Cost: r2(cost), Progress: r2(p.Progress), Output: r2(p.production()),
					})
				}
			}
		case slices.Contains(v.present[i], ri):
			if p.Owner == noRace {
				d.UninhabitedPlanets = append(d.UninhabitedPlanets, v.planetInfo(i))
			} else {
				d.OtherPlanets = append(d.OtherPlanets, v.planetInfo(i))
			}
		default:
			d.UnidentifiedPlanets = append(d.UnidentifiedPlanets, PlanetRef{Number: i + 1, Name: p.Name, X: p.X, Y: p.Y})
		}
	}
	for _, rt := range r.Routes {
		d.Routes = append(d.Routes, RouteInfo{From: st.Planets[rt.From].Name, Cargo: rt.Cargo.String(), To: st.Planets[rt.To].Name})
	}
}

// groupInfo describes a group.
func (v *view) groupInfo(g *group) GroupInfo {
	st := v.st
	x, y := st.position(g)
	info := GroupInfo{
		Ships: g.Ships, Type: g.Type,
		Drive: r2(g.Tech[techDrive]), Weapons: r2(g.Tech[techWeapons]), Shields: r2(g.Tech[techShields]), Cargo: r2(g.Tech[techCargo]),
		CargoType: g.Cargo.String(), Load: r2(g.Load * float64(g.Ships)), Speed: r2(g.speed()),
		Mass: r2(g.mass() + loadMass(g)), Fleet: g.Fleet, X: r2(x), Y: r2(y),
	}
	if g.inSpace() {
		info.Origin, info.Destination, info.Distance = st.Planets[g.From].Name, st.Planets[g.To].Name, r2(g.Dist)
	} else {
		info.Location = st.Planets[g.At].Name
	}
	return info
}

// loadMass is the mass one ship's cargo adds.
func loadMass(g *group) float64 {
	if g.Load <= 0 || g.Tech[techCargo] <= 0 {
		return 0
	}
	return g.Load / g.Tech[techCargo]
}

// groups fills the group sections.
func (v *view) groups(d *ReportData, ri int) {
	st := v.st
	r := st.Races[ri]
	others := 0
	for p, here := range v.at {
		if slices.Contains(v.present[p], ri) {
			others += len(here)
		}
	}
	d.Groups, d.Fleets = make([]GroupInfo, 0, len(r.Groups)), []FleetInfo{}
	d.OtherGroups, d.IncomingGroups = make([]GroupInfo, 0, others), make([]IncomingInfo, 0, len(v.incoming[ri]))
	for _, g := range r.Groups {
		if g.Ships <= 0 {
			continue
		}
		info := v.groupInfo(g)
		info.Number = g.Num
		d.Groups = append(d.Groups, info)
	}
	for _, f := range r.Fleets {
		fi := FleetInfo{Name: f, Speed: math.Inf(1)}
		for _, g := range r.Groups {
			if g.Ships <= 0 || g.Fleet != f {
				continue
			}
			fi.Groups++
			fi.Ships += g.Ships
			fi.Speed = math.Min(fi.Speed, g.speed())
			if g.inSpace() {
				fi.Destination, fi.Distance = st.Planets[g.To].Name, r2(g.Dist)
			} else {
				fi.Location = st.Planets[g.At].Name
			}
		}
		fi.Speed = r2(fi.Speed)
		d.Fleets = append(d.Fleets, fi)
	}
	for p, here := range v.at {
		if !slices.Contains(v.present[p], ri) {
			continue
		}
		for _, e := range here {
			if e.r == ri {
				continue
			}
			info := v.groupInfo(e.g)
			info.Race = st.Races[e.r].Name
			d.OtherGroups = append(d.OtherGroups, info)
		}
	}
	for _, g := range v.incoming[ri] {
		d.IncomingGroups = append(d.IncomingGroups, IncomingInfo{
			Origin: st.Planets[g.From].Name, Destination: st.Planets[g.To].Name, Distance: r2(g.Dist),
			Speed: r2(g.speed()), Mass: r2((g.mass() + loadMass(g)) * float64(g.Ships)),
		})
	}
}
