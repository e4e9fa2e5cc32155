package web

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web/svg"
)

// From the API's report data to what the map and its planet panel show.
// Everything here is pure, so it is tested without a backend.

// mapView is the svg package's view of a race's report: every planet the
// race knows (its own, other races', uninhabited, unidentified), its groups
// at planets and in flight, the other races' groups it sees and the groups
// heading for its planets.
func mapView(d *apiclient.ReportData, selected string, linkFor func(string) string) svg.MapView {
	m := svg.MapView{
		Size: float64(d.MapSize), Wrap: d.Wrap, Me: d.Race, Selected: selected, LinkFor: linkFor,
		Planets: make([]svg.Planet, 0, len(d.Planets)+len(d.OtherPlanets)+len(d.UninhabitedPlanets)+len(d.UnidentifiedPlanets)),
		Groups:  make([]svg.Group, 0, len(d.Groups)+len(d.OtherGroups)+len(d.IncomingGroups)),
	}
	seen := make(map[string]bool, cap(m.Planets))
	addPlanets := func(ps []apiclient.ReportPlanet, kind string) {
		for _, p := range ps {
			if seen[p.Name] {
				continue
			}
			seen[p.Name] = true
			m.Planets = append(m.Planets, svg.Planet{
				Number: p.Number, Name: p.Name, X: float64(p.X), Y: float64(p.Y), Size: float64(p.Size),
				Owner: p.Owner, Kind: kind, Population: float64(p.Population), Industry: float64(p.Industry),
			})
		}
	}
	addPlanets(d.Planets, svg.KindMine)
	addPlanets(d.OtherPlanets, svg.KindOther)
	addPlanets(d.UninhabitedPlanets, svg.KindUninhabited)
	for _, p := range d.UnidentifiedPlanets {
		if seen[p.Name] {
			continue
		}
		seen[p.Name] = true
		m.Planets = append(m.Planets, svg.Planet{Number: p.Number, Name: p.Name, X: float64(p.X), Y: float64(p.Y), Kind: svg.KindUnidentified})
	}

	for _, g := range d.Groups {
		m.Groups = append(m.Groups, groupOnMap(g, ""))
	}
	for _, g := range d.OtherGroups {
		race := "?"
		if g.Race != nil && *g.Race != "" {
			race = *g.Race
		}
		m.Groups = append(m.Groups, groupOnMap(g, race))
	}
	for _, g := range d.IncomingGroups {
		// The report gives no ship count for them, only the mass.
		m.Groups = append(m.Groups, svg.Group{
			Incoming: true, Unplaced: true, Origin: g.Origin, Destination: g.Destination,
			Distance: float64(g.Distance), Type: fmt.Sprintf("ships of mass %.2f", g.Mass),
		})
	}
	return m
}

func groupOnMap(g apiclient.ReportGroup, race string) svg.Group {
	out := svg.Group{
		Race: race, Ships: g.Ships, Type: g.Type, X: float64(g.X), Y: float64(g.Y),
		Origin: g.Origin, Destination: g.Destination, Distance: float64(g.Distance),
		InFlight: g.Location == "",
	}
	if g.Number != nil {
		out.Number = *g.Number
	}
	return out
}

// orderName is a name as orders take it: spaces become underscores.
func orderName(s string) string { return strings.ReplaceAll(s, " ", "_") }

// snippet is an order a player may want to give, ready to add to the
// orders.
type snippet struct {
	// Order is the order line.
	Order string
	// What says what it does.
	What string
	// Group is the heading it is listed under.
	Group string
}

// Headings of the snippets, in the order they are listed.
const (
	snipProduction = "Production"
	snipHere       = "Your ships here"
	snipSend       = "Send ships here"
	snipRelations  = "Relations"
)

// snippetGroup is the snippets under one heading.
type snippetGroup struct {
	Name     string
	Snippets []snippet
}

// SnippetGroups lists the snippets under their headings.
func (p *planetPanel) SnippetGroups() []snippetGroup {
	var out []snippetGroup
	for _, s := range p.Snippets {
		if n := len(out); n == 0 || out[n-1].Name != s.Group {
			out = append(out, snippetGroup{Name: s.Group})
		}
		out[len(out)-1].Snippets = append(out[len(out)-1].Snippets, s)
	}
	return out
}

// planetPanel is what the map shows beside the picture about one planet.
type planetPanel struct {
	Planet apiclient.ReportPlanet
	// Kind is one of svg.KindMine, KindOther, KindUninhabited,
	// KindUnidentified (only the position is known).
	Kind string
	// OwnerClass gives another race's colour on the map.
	OwnerClass string
	// Relation is the race's stance towards the owner (war, peace).
	Relation string
	// Mine are the race's groups at the planet, Heading those on their way
	// to it.
	Mine, Heading []apiclient.ReportGroup
	// Others are other races' groups at the planet.
	Others []apiclient.ReportGroup
	// Incoming are unknown groups heading for it.
	Incoming []apiclient.ReportIncoming
	// Building is the ship the planet builds, if any.
	Building *apiclient.ReportProduction
	// Routes are the cargo routes from or to it.
	Routes []apiclient.ReportRoute
	// Nearest is the distance from the race's nearest planet; HasNearest
	// is false when the race has no other planet.
	Nearest    float64
	HasNearest bool
	// Snippets are orders about the planet.
	Snippets []snippet
}

// Known tells whether more than the position is known.
func (p *planetPanel) Known() bool { return p.Kind != svg.KindUnidentified }

// maxSendSnippets bounds the send orders offered: the nearest groups.
const maxSendSnippets = 8

// findPlanet builds the panel of the planet called name, nil when the
// report does not know it.
func findPlanet(d *apiclient.ReportData, name string) *planetPanel {
	if name == "" {
		return nil
	}
	var p *planetPanel
	find := func(ps []apiclient.ReportPlanet, kind string) bool {
		for _, q := range ps {
			if q.Name == name {
				p = &planetPanel{Planet: q, Kind: kind}
				return true
			}
		}
		return false
	}
	if !find(d.Planets, svg.KindMine) && !find(d.OtherPlanets, svg.KindOther) && !find(d.UninhabitedPlanets, svg.KindUninhabited) {
		for _, q := range d.UnidentifiedPlanets {
			if q.Name == name {
				p = &planetPanel{Planet: apiclient.ReportPlanet{Name: q.Name, Number: q.Number, X: q.X, Y: q.Y}, Kind: svg.KindUnidentified}
				break
			}
		}
	}
	if p == nil {
		return nil
	}
	if p.Kind == svg.KindOther {
		p.OwnerClass = svg.OwnerClass(p.Planet.Owner)
		for _, pl := range d.Players {
			if strings.EqualFold(pl.Name, p.Planet.Owner) {
				p.Relation = pl.Relation
			}
		}
	}
	for _, g := range d.Groups {
		switch {
		case g.Location == name:
			p.Mine = append(p.Mine, g)
		case g.Location == "" && g.Destination == name:
			p.Heading = append(p.Heading, g)
		}
	}
	for _, g := range d.OtherGroups {
		if g.Location == name {
			p.Others = append(p.Others, g)
		}
	}
	for _, g := range d.IncomingGroups {
		if g.Destination == name {
			p.Incoming = append(p.Incoming, g)
		}
	}
	for i := range d.ShipsInProduction {
		if d.ShipsInProduction[i].Planet == name {
			p.Building = &d.ShipsInProduction[i]
		}
	}
	for _, rt := range d.Routes {
		if rt.From == name || rt.To == name {
			p.Routes = append(p.Routes, rt)
		}
	}
	for _, q := range d.Planets {
		if q.Name == name {
			continue
		}
		dist := galaxyDistance(d, q.X, q.Y, p.Planet.X, p.Planet.Y)
		if !p.HasNearest || dist < p.Nearest {
			p.Nearest, p.HasNearest = dist, true
		}
	}
	p.Snippets = planetSnippets(d, p)
	return p
}

// galaxyDistance between two points of the galaxy, the short way round when it
// wraps.
func galaxyDistance(d *apiclient.ReportData, x1, y1, x2, y2 float32) float64 {
	dx, dy := math.Abs(float64(x1-x2)), math.Abs(float64(y1-y2))
	if side := float64(d.MapSize); d.Wrap && side > 0 {
		dx, dy = math.Min(dx, side-dx), math.Min(dy, side-dy)
	}
	return math.Hypot(dx, dy)
}

// planetSnippets are the orders a player may give about planet p: what it
// produces (own planets), sending groups there, loading, unloading and
// upgrading the groups in orbit, and the stance towards its owner. The
// syntax is the engine's (engine-rules.md, "Orders").
func planetSnippets(d *apiclient.ReportData, p *planetPanel) []snippet {
	var out []snippet
	name := orderName(p.Planet.Name)
	if p.Kind == svg.KindMine {
		current := strings.ToUpper(p.Planet.Production)
		for _, prod := range [...]struct{ what, help string }{
			{"CAP", "build capital: industry grows"},
			{"MAT", "mine materials"},
			{"DRIVE", "research drive technology"},
			{"WEAPONS", "research weapons technology"},
			{"SHIELDS", "research shields technology"},
			{"CARGO", "research cargo technology"},
		} {
			if prod.what != current {
				out = append(out, snippet{Order: "p " + name + " " + prod.what, What: prod.help, Group: snipProduction})
			}
		}
		for _, t := range d.ShipTypes {
			if !strings.EqualFold(t.Name, p.Planet.Production) {
				out = append(out, snippet{Order: "p " + name + " " + orderName(t.Name), What: "build " + t.Name + " ships", Group: snipProduction})
			}
		}
		out = append(out, snippet{Order: "n " + name + " New_name", What: "rename the planet (edit the new name)", Group: snipProduction})
	}

	// Groups in orbit here: load, unload, upgrade.
	for _, g := range p.Mine {
		if g.Number == nil {
			continue
		}
		num := fmt.Sprint(*g.Number)
		hold := false
		for _, t := range d.ShipTypes {
			if t.Name == g.Type && t.Cargo > 0 {
				hold = true
			}
		}
		if g.Load > 0 && g.CargoType != "" && g.CargoType != "-" {
			out = append(out, snippet{Order: "u " + num, What: fmt.Sprintf("unload group %s's %s here", num, g.CargoType), Group: snipHere})
		} else if hold && p.Kind == svg.KindMine {
			out = append(out, snippet{Order: "l " + num + " COL", What: "load colonists onto group " + num, Group: snipHere})
		}
		if p.Kind == svg.KindMine && (g.Drive < d.Tech.Drive || g.Weapons < d.Tech.Weapons || g.Shields < d.Tech.Shields || g.Cargo < d.Tech.Cargo) {
			out = append(out, snippet{Order: "g " + num, What: "upgrade group " + num + " to your current technology", Group: snipHere})
		}
	}

	// Send groups in orbit elsewhere, nearest first.
	type cand struct {
		g    apiclient.ReportGroup
		dist float64
	}
	var cands []cand
	for _, g := range d.Groups {
		if g.Number == nil || g.Location == "" || g.Location == p.Planet.Name || g.Speed <= 0 {
			continue
		}
		cands = append(cands, cand{g, galaxyDistance(d, g.X, g.Y, p.Planet.X, p.Planet.Y)})
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(a.dist, b.dist) })
	for i, c := range cands {
		if i == maxSendSnippets {
			break
		}
		turns := int(math.Ceil(c.dist / float64(c.g.Speed)))
		out = append(out, snippet{
			Order: fmt.Sprintf("s %d %s", *c.g.Number, name),
			What: fmt.Sprintf("send group %d (%d %s at %s): %.2f ly, %d %s", *c.g.Number, c.g.Ships, c.g.Type, c.g.Location,
				c.dist, turns, playPlural(turns, "turn", "turns")),
			Group: snipSend,
		})
	}
	for _, f := range d.Fleets {
		if f.Location == "" || f.Location == p.Planet.Name {
			continue
		}
		out = append(out, snippet{Order: "s " + orderName(f.Name) + " " + name, What: "send fleet " + f.Name + " from " + f.Location, Group: snipSend})
	}

	if p.Kind == svg.KindOther {
		owner := orderName(p.Planet.Owner)
		if p.Relation == "war" {
			out = append(out, snippet{Order: "a " + owner, What: "make peace: ally with " + p.Planet.Owner, Group: snipRelations})
		} else if p.Relation != "" && p.Relation != "-" {
			out = append(out, snippet{Order: "w " + owner, What: "declare war on " + p.Planet.Owner, Group: snipRelations})
		}
	}
	return out
}

func playPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// legendEntry is one line of the map's legend: a small picture in the
// map's own classes (so the colours come from the map's stylesheet) and
// its meaning.
type legendEntry struct {
	// Shape is "planet", "hollow" (a planet only seen) or "ship".
	Shape string
	// Class is the CSS class of the picture (as the map draws it).
	Class string
	Label string
}

// mapLegend explains the map's colours: the race's own, each other race's
// it knows, and the kinds of planets and groups.
func mapLegend(d *apiclient.ReportData) []legendEntry {
	out := []legendEntry{{Shape: "planet", Class: "planet mine", Label: "Your planets"}}
	races := map[string]bool{}
	add := func(race string) {
		if race == "" || strings.EqualFold(race, d.Race) || races[race] {
			return
		}
		races[race] = true
		out = append(out, legendEntry{Shape: "planet", Class: "planet other " + svg.OwnerClass(race), Label: race})
	}
	for _, p := range d.OtherPlanets {
		add(p.Owner)
	}
	for _, g := range d.OtherGroups {
		if g.Race != nil {
			add(*g.Race)
		}
	}
	out = append(out,
		legendEntry{Shape: "planet", Class: "planet uninhabited", Label: "Uninhabited"},
		legendEntry{Shape: "hollow", Class: "planet unidentified", Label: "Unidentified (position only)"},
		legendEntry{Shape: "ship", Class: "fleet mine", Label: "Your ships"},
		legendEntry{Shape: "ship", Class: "fleet other", Label: "Other races' ships"},
		legendEntry{Shape: "ship", Class: "fleet incoming", Label: "Incoming"},
	)
	return out
}

// playTurns is how many turns a group needs to cover dist at speed, for
// the templates ("—" when it cannot move).
func playTurns(dist, speed float32) string {
	if speed <= 0 {
		return "—"
	}
	return fmt.Sprint(int(math.Ceil(float64(dist / speed))))
}
