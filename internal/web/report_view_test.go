package web

import (
	"slices"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web/svg"
)

func ptr[T any](v T) *T { return &v }

// sampleReport is a small turn of the Vogons: three planets of their own
// (one called "New Home", with a space), a Klingon world, an uninhabited
// and an unidentified planet, groups at home and in flight, a Klingon group
// and an incoming one.
func sampleReport() *apiclient.ReportData {
	return &apiclient.ReportData{
		Race: "Vogons", MapSize: 100, Turn: 4,
		Tech: apiclient.ReportTech{Drive: 1.2, Weapons: 1, Shields: 1, Cargo: 1},
		Planets: []apiclient.ReportPlanet{
			{Number: 20, Name: "New Home", X: 10, Y: 10, Size: 1000, Owner: "Vogons", Production: "DRIVE", Population: 1000, Industry: 1000},
			{Number: 7, Name: "7", X: 14, Y: 13, Size: 500, Owner: "Vogons", Production: "Scout"},
			{Number: 9, Name: "9", X: 90, Y: 90, Size: 250, Owner: "Vogons", Production: "CAP"},
		},
		OtherPlanets:        []apiclient.ReportPlanet{{Number: 19, Name: "19", X: 50, Y: 10, Size: 1000, Owner: "Klingons"}},
		UninhabitedPlanets:  []apiclient.ReportPlanet{{Number: 2, Name: "2", X: 30, Y: 40, Size: 700}},
		UnidentifiedPlanets: []apiclient.ReportPlanetRef{{Number: 3, Name: "3", X: 70, Y: 70}, {Number: 2, Name: "2", X: 30, Y: 40}},
		ShipTypes: []apiclient.ReportShipType{
			{Name: "Scout", Drive: 1, Speed: 24},
			{Name: "Hauler", Drive: 2, Cargo: 2, Speed: 12},
		},
		Groups: []apiclient.ReportGroup{
			{Number: ptr(1), Ships: 5, Type: "Scout", Location: "New Home", X: 10, Y: 10, Speed: 24, Drive: 1, Weapons: 1, Shields: 1, Cargo: 1, CargoType: "-"},
			{Number: ptr(2), Ships: 3, Type: "Hauler", Location: "7", X: 14, Y: 13, Speed: 12, Drive: 1, Weapons: 1, Shields: 1, Cargo: 1, CargoType: "COL", Load: 2.4},
			{Number: ptr(3), Ships: 9, Type: "Scout", Origin: "New Home", Destination: "19", Distance: 20, X: 30, Y: 10, Speed: 24, Drive: 1.2, Weapons: 1, Shields: 1, Cargo: 1},
			{Number: ptr(4), Ships: 1, Type: "Scout", Location: "9", X: 90, Y: 90, Speed: 24, Drive: 1.2, Weapons: 1, Shields: 1, Cargo: 1},
		},
		OtherGroups:    []apiclient.ReportGroup{{Race: ptr("Klingons"), Ships: 4, Type: "Cruiser", Location: "19", X: 50, Y: 10}},
		IncomingGroups: []apiclient.ReportIncoming{{Origin: "19", Destination: "New Home", Distance: 12.5, Speed: 8, Mass: 37.5}},
		Fleets:         []apiclient.ReportFleet{{Name: "Home Guard", Location: "7", Groups: 1, Ships: 3}},
		Players: []apiclient.ReportPlayer{
			{Name: "Klingons", Relation: "war"}, {Name: "Vogons", Relation: "-"},
		},
		ShipsInProduction: []apiclient.ReportProduction{{Planet: "7", Type: "Scout", Cost: 10, Progress: 4}},
		Routes:            []apiclient.ReportRoute{{From: "7", Cargo: "COL", To: "9"}},
	}
}

func TestMapViewDrawsEveryKnownPlanetOnce(t *testing.T) {
	m := mapView(sampleReport(), "19", func(p string) string { return "/x?planet=" + p })
	if m.Size != 100 || m.Me != "Vogons" || m.Selected != "19" || m.LinkFor == nil {
		t.Fatalf("view: %+v", m)
	}
	kinds := map[string]string{}
	for _, p := range m.Planets {
		if _, dup := kinds[p.Name]; dup {
			t.Errorf("planet %q twice", p.Name)
		}
		kinds[p.Name] = p.Kind
	}
	want := map[string]string{
		"New Home": svg.KindMine, "7": svg.KindMine, "9": svg.KindMine, "19": svg.KindOther,
		"2": svg.KindUninhabited, "3": svg.KindUnidentified,
	}
	for name, kind := range want {
		if kinds[name] != kind {
			t.Errorf("planet %q is %q, want %q", name, kinds[name], kind)
		}
	}
	if len(kinds) != len(want) {
		t.Errorf("planets: %v", kinds)
	}
	for _, p := range m.Planets {
		if p.Name == "19" && p.Owner != "Klingons" {
			t.Errorf("the Klingon world's owner: %q", p.Owner)
		}
	}
}

func TestMapViewGroups(t *testing.T) {
	m := mapView(sampleReport(), "", nil)
	if len(m.Groups) != 6 {
		t.Fatalf("groups: %+v", m.Groups)
	}
	byNum := map[int]svg.Group{}
	var other, incoming []svg.Group
	for _, g := range m.Groups {
		switch {
		case g.Incoming:
			incoming = append(incoming, g)
		case g.Race != "":
			other = append(other, g)
		default:
			byNum[g.Number] = g
		}
	}
	if g := byNum[1]; g.InFlight || g.Ships != 5 || g.X != 10 {
		t.Errorf("group 1 in orbit: %+v", g)
	}
	if g := byNum[3]; !g.InFlight || g.Destination != "19" || g.Origin != "New Home" || g.Distance != 20 || g.X != 30 {
		t.Errorf("group 3 in flight: %+v", g)
	}
	if len(other) != 1 || other[0].Race != "Klingons" || other[0].InFlight {
		t.Errorf("other races' groups: %+v", other)
	}
	if len(incoming) != 1 || !incoming[0].Unplaced || incoming[0].Destination != "New Home" || incoming[0].Origin != "19" || incoming[0].Distance != 12.5 {
		t.Errorf("incoming: %+v", incoming)
	}
	// The svg package draws it: the markup names the planet and no planet
	// is left out.
	out := string(svg.Map(m))
	for _, name := range []string{"New Home", "19", "3"} {
		if !strings.Contains(out, `data-planet="`+name+`"`) {
			t.Errorf("%q is not on the map", name)
		}
	}
}

func orders(ss []snippet) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Order
	}
	return out
}

func TestSnippetsOfAnOwnPlanet(t *testing.T) {
	d := sampleReport()
	p := findPlanet(d, "New Home")
	if p == nil || p.Kind != svg.KindMine {
		t.Fatalf("panel: %+v", p)
	}
	got := orders(p.Snippets)
	for _, want := range []string{
		"p New_Home CAP", "p New_Home MAT", "p New_Home WEAPONS", "p New_Home CARGO",
		"p New_Home Scout", "p New_Home Hauler", "n New_Home New_name",
		"g 1",                   // group 1 here is behind the race's drive tech
		"s 2 New_Home",          // the hauler at 7
		"s 4 New_Home",          // the scout at 9
		"s Home_Guard New_Home", // the fleet at 7
	} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
	for _, bad := range []string{"p New_Home DRIVE", "s 1 New_Home", "s 3 New_Home"} {
		if slices.Contains(got, bad) {
			t.Errorf("offers %q (already producing, already there, or in flight): %q", bad, got)
		}
	}
	// Nearest first: the hauler at 7 (5 ly) before the scout at 9.
	if slices.Index(got, "s 2 New_Home") > slices.Index(got, "s 4 New_Home") {
		t.Errorf("send orders are not nearest first: %q", got)
	}
	if len(p.Incoming) != 1 || len(p.Mine) != 1 || !p.HasNearest || p.Nearest != 5 {
		t.Errorf("panel facts: %+v", p)
	}
	groups := p.SnippetGroups()
	if len(groups) != 3 || groups[0].Name != snipProduction || groups[1].Name != snipHere || groups[2].Name != snipSend {
		t.Errorf("headings: %+v", groups)
	}
}

func TestSnippetsOfGroupsInOrbit(t *testing.T) {
	p := findPlanet(sampleReport(), "7")
	got := orders(p.Snippets)
	// The hauler carries colonists: unload, not load.
	if !slices.Contains(got, "u 2") || slices.Contains(got, "l 2 COL") {
		t.Errorf("hauler at 7: %q", got)
	}
	if p.Building == nil || p.Building.Type != "Scout" || len(p.Routes) != 1 {
		t.Errorf("production and routes of 7: %+v", p)
	}
	if slices.Contains(got, "p 7 Scout") {
		t.Errorf("offers the ship type the planet builds: %q", got)
	}

	d := sampleReport()
	d.Groups[1].CargoType, d.Groups[1].Load = "-", 0
	got = orders(findPlanet(d, "7").Snippets)
	if !slices.Contains(got, "l 2 COL") {
		t.Errorf("an empty hauler at its own planet: %q", got)
	}
}

func TestSnippetsOfOtherPlanets(t *testing.T) {
	d := sampleReport()
	p := findPlanet(d, "19")
	if p.Kind != svg.KindOther || p.Relation != "war" || p.OwnerClass != svg.OwnerClass("Klingons") {
		t.Fatalf("panel: %+v", p)
	}
	got := orders(p.Snippets)
	if !slices.Contains(got, "a Klingons") || slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "p ") }) {
		t.Errorf("another race's planet: %q", got)
	}
	if len(p.Others) != 1 || len(p.Heading) != 1 {
		t.Errorf("ships at and heading for 19: %+v", p)
	}
	u := findPlanet(d, "3")
	if u == nil || u.Kind != svg.KindUnidentified || u.Known() || !slices.Contains(orders(u.Snippets), "s 1 3") {
		t.Errorf("an unidentified planet: %+v", u)
	}
	if findPlanet(d, "nowhere") != nil || findPlanet(d, "") != nil {
		t.Error("a planet the report does not know has a panel")
	}
}

func TestDistanceWraps(t *testing.T) {
	d := &apiclient.ReportData{MapSize: 100}
	if got := galaxyDistance(d, 5, 50, 95, 50); got != 90 {
		t.Errorf("flat galaxy: %v", got)
	}
	d.Wrap = true
	if got := galaxyDistance(d, 5, 50, 95, 50); got != 10 {
		t.Errorf("wrapping galaxy: %v", got)
	}
}

func TestMapLegendNamesEachOtherRace(t *testing.T) {
	d := sampleReport()
	d.OtherGroups = append(d.OtherGroups, apiclient.ReportGroup{Race: ptr("Romulans")}, apiclient.ReportGroup{Race: ptr("Vogons")})
	var races []string
	for _, e := range mapLegend(d) {
		if strings.Contains(e.Class, "owner-") {
			races = append(races, e.Label)
		}
	}
	if !slices.Equal(races, []string{"Klingons", "Romulans"}) {
		t.Errorf("races in the legend: %q", races)
	}
}

func TestPlayTurns(t *testing.T) {
	for _, c := range []struct {
		dist, speed float32
		want        string
	}{{30.42, 8, "4"}, {8, 8, "1"}, {1, 0, "—"}} {
		if got := playTurns(c.dist, c.speed); got != c.want {
			t.Errorf("playTurns(%v, %v) = %q, want %q", c.dist, c.speed, got, c.want)
		}
	}
}
