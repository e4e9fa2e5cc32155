package svg

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

const hostile = `<script>alert("x&y")</script>'`

func sampleView() MapView {
	return MapView{
		Size: 100,
		Me:   "Ants",
		Planets: []Planet{
			{Number: 1, Name: "Castle", X: 10, Y: 20, Size: 1000, Owner: "Ants", Population: 1000, Industry: 1000},
			{Number: 2, Name: hostile, X: 50, Y: 50, Size: 500, Owner: `Bee"s & <Co>`, Population: 10, Industry: 5},
			{Number: 3, Name: "Rock", X: 80, Y: 30, Size: 40},
			{Number: 4, Name: "4", X: 90, Y: 90},
			{Number: 5, Name: "bad\x01utf8\xff", X: 5, Y: 95, Size: 1, Owner: "Zed\x02"},
		},
		Groups: []Group{
			{Number: 1, Ships: 3, Type: "Cruiser", X: 10, Y: 20},
			{Number: 2, Ships: 1, Type: hostile, X: 30, Y: 35, Origin: "Castle", Destination: "Rock", InFlight: true, Distance: 20},
			{Race: `Bee"s & <Co>`, Ships: 5, Type: "Drone", X: 50, Y: 50},
			{Race: `Bee"s & <Co>`, Ships: 2, Type: "Raider", X: 40, Y: 40, Origin: hostile, Destination: "Castle", InFlight: true},
			{Incoming: true, Ships: 7, Origin: hostile, Destination: "Castle", Distance: 10, Unplaced: true},
		},
		Selected: "Rock",
		LinkFor:  func(p string) string { return "/games/g1/map?planet=" + p },
	}
}

func TestMapIsWellFormedWithHostileNames(t *testing.T) {
	out := string(Map(sampleView()))
	root := parse(t, out)
	if root.name != "svg" {
		t.Fatalf("root is %q", root.name)
	}
	if strings.Contains(out, "<script>") || strings.Contains(out, `"x&y"`) {
		t.Error("a name reached the output unescaped")
	}
	ps := planets(t, root)
	if ps[hostile] == nil {
		t.Errorf("hostile name did not round-trip; planets: %v", keys(ps))
	}
	if n := ps[hostile]; n != nil && n.attrs["data-owner"] != `Bee"s & <Co>` {
		t.Errorf("data-owner = %q", n.attrs["data-owner"])
	}
	if label := byClass(ps[hostile], "label"); len(label) != 1 || label[0].text != hostile {
		t.Errorf("label of the hostile planet: %+v", label)
	}
}

func keys(m map[string]*node) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	return k
}

func TestMapFrame(t *testing.T) {
	root := parse(t, string(Map(sampleView())))
	a := root.attrs
	if a["viewBox"] != "0 0 100 100" {
		t.Errorf("viewBox = %q", a["viewBox"])
	}
	if a["aria-label"] == "" || a["preserveAspectRatio"] == "" || root.child("title") == nil {
		t.Errorf("missing accessible name or aspect: %v", a)
	}
	if a["role"] != "group" { // it holds links
		t.Errorf("role = %q with links", a["role"])
	}
	v := sampleView()
	v.LinkFor = nil
	if r := parse(t, string(Map(v))).attrs["role"]; r != "img" {
		t.Errorf("role = %q without links", r)
	}
	if len(byClass(root, "grid-lines")) != 1 || len(byClass(root, "scale-bar")) != 1 {
		t.Error("grid or scale bar missing")
	}
	if len(byClass(root, "axis-x")) < 5 {
		t.Error("too few coordinate labels")
	}
}

func TestEveryPlanetOnceWithOwnerOnlyWhenOwned(t *testing.T) {
	v := sampleView()
	root := parse(t, string(Map(v)))
	ps := planets(t, root)
	if len(ps) != len(v.Planets) {
		t.Fatalf("%d planets drawn, want %d", len(ps), len(v.Planets))
	}
	for _, p := range v.Planets {
		// Names with bytes XML cannot carry come back with U+FFFD.
		want := strings.ToValidUTF8(p.Name, "\uFFFD")
		want = strings.Map(func(r rune) rune {
			if r < 0x20 {
				return '\uFFFD'
			}
			return r
		}, want)
		n := ps[want]
		if n == nil {
			t.Errorf("planet %q missing", p.Name)
			continue
		}
		owner, has := n.attrs["data-owner"]
		if has != (p.Owner != "") {
			t.Errorf("planet %q: data-owner present=%v, owner %q", p.Name, has, p.Owner)
		}
		if p.Owner != "" && !strings.HasPrefix(owner, p.Owner[:3]) {
			t.Errorf("planet %q: data-owner %q", p.Name, owner)
		}
		if n.child("title") == nil {
			t.Errorf("planet %q has no tooltip", p.Name)
		}
	}
	if !ps["Castle"].hasClass("mine") || !ps[hostile].hasClass("other") ||
		!ps["Rock"].hasClass("uninhabited") || !ps["4"].hasClass("unidentified") {
		t.Error("kinds not derived from owner and size")
	}
	if !ps[hostile].hasClass(OwnerClass(`Bee"s & <Co>`)) {
		t.Error("other owner lacks its colour class")
	}
	tip := ps["Castle"].child("title").text
	for _, s := range []string{"Castle (#1)", "Ants", "size 1000", "pop 1000", "ind 1000", "10, 20"} {
		if !strings.Contains(tip, s) {
			t.Errorf("tooltip %q lacks %q", tip, s)
		}
	}
}

func TestLinksAndSelection(t *testing.T) {
	v := sampleView()
	v.LinkFor = func(p string) string {
		if p == "Rock" {
			return "javascript:alert(1)"
		}
		return "/p?n=" + p
	}
	root := parse(t, string(Map(v)))
	ps := planets(t, root)
	a := ps["Castle"].child("a")
	if a == nil || a.attrs["href"] != "/p?n=Castle" {
		t.Fatalf("Castle link: %+v", a)
	}
	if _, ok := ps["Castle"].attrs["tabindex"]; ok {
		t.Error("a linked planet should have one tab stop, its link")
	}
	if ra := ps["Rock"].child("a"); ra == nil || ra.attrs["href"] != "#" {
		t.Errorf("javascript: URL not neutralised: %+v", ra)
	}
	rings := byClass(root, "selected-ring")
	if len(rings) != 1 || rings[0].parent != ps["Rock"] || !ps["Rock"].hasClass("selected") {
		t.Errorf("selected ring: %d, on Rock: %v", len(rings), len(rings) == 1 && rings[0].parent == ps["Rock"])
	}
	v.LinkFor = nil
	ps = planets(t, parse(t, string(Map(v))))
	if ps["Castle"].attrs["tabindex"] != "0" || ps["Castle"].child("a") != nil {
		t.Error("without links a planet takes the focus itself")
	}
}

func TestRadiiGrowWithSizeWithinBounds(t *testing.T) {
	sizes := []float64{0.01, 0.5, 1, 10, 50, 100, 250, 500, 999, 1000, 5000}
	v := MapView{Size: 200, Me: "Ants"}
	for i, s := range sizes {
		v.Planets = append(v.Planets, Planet{Number: i + 1, Name: "P" + strconv.Itoa(i), X: float64(i * 10), Y: 5, Size: s})
	}
	v.Planets = append(v.Planets, Planet{Number: 99, Name: "Dark", X: 100, Y: 100})
	ps := planets(t, parse(t, string(Map(v))))
	g := newGeom(200)
	prev := 0.0
	for i := range sizes {
		r, err := strconv.ParseFloat(body(t, ps["P"+strconv.Itoa(i)]).attrs["r"], 64)
		if err != nil {
			t.Fatal(err)
		}
		if r < prev {
			t.Errorf("size %v: radius %v smaller than for a smaller planet (%v)", sizes[i], r, prev)
		}
		if r < g.rMin-0.01 || r > g.rMax+0.01 {
			t.Errorf("size %v: radius %v outside [%v, %v]", sizes[i], r, g.rMin, g.rMax)
		}
		prev = r
	}
	if g.radius(1000) <= g.radius(250)*1.5 {
		t.Error("a home world should look clearly larger than a small world")
	}
	dark := ps["Dark"]
	if dark == nil || !dark.hasClass("unidentified") {
		t.Fatal("unidentified planet not drawn as such")
	}
	if r, _ := strconv.ParseFloat(body(t, dark).attrs["r"], 64); r <= 0 {
		t.Errorf("unidentified planet radius %v", r)
	}
}

// routes returns the route paths by class.
func routes(root *node, class string) []*node {
	return root.all(func(n *node) bool { return n.name == "path" && n.hasClass("route") && n.hasClass(class) })
}

func TestInFlightGroupDrawsRouteToDestination(t *testing.T) {
	root := parse(t, string(Map(sampleView())))
	mine := routes(root, "mine")
	if len(mine) != 1 {
		t.Fatalf("%d routes of mine, want 1", len(mine))
	}
	if d := mine[0].attrs["d"]; d != "M30 35L80 30" { // from the group to Rock
		t.Errorf("route d = %q", d)
	}
	if mine[0].attrs["marker-end"] != "url(#galaxy-arrow-mine)" {
		t.Error("route has no arrowhead")
	}
	if len(routes(root, "other")) != 1 {
		t.Error("other race's route missing")
	}
	in := routes(root, "incoming")
	if len(in) != 1 {
		t.Fatalf("%d incoming routes", len(in))
	}
	// Placed 10 ly short of Castle (10,20) on the way from (50,50): the way
	// is 50 long, so at 4/5 of it.
	if d := in[0].attrs["d"]; d != "M18 26L10 20" {
		t.Errorf("incoming route d = %q", d)
	}
	if len(byClass(root, "in-orbit")) != 2 {
		t.Errorf("%d groups in orbit, want 2", len(byClass(root, "in-orbit")))
	}
}

func TestWrapRouteCrossesTheEdge(t *testing.T) {
	v := MapView{
		Size: 100, Me: "Ants",
		Planets: []Planet{
			{Number: 1, Name: "East", X: 95, Y: 50, Size: 10, Owner: "Ants"},
			{Number: 2, Name: "West", X: 5, Y: 50, Size: 10},
		},
		Groups: []Group{{Number: 1, Ships: 1, X: 95, Y: 50, Origin: "East", Destination: "West", InFlight: true}},
	}
	flat := routes(parse(t, string(Map(v))), "mine")[0].attrs["d"]
	if flat != "M95 50L5 50" {
		t.Errorf("flat map route = %q, want straight across", flat)
	}
	v.Wrap = true
	wrapped := routes(parse(t, string(Map(v))), "mine")[0].attrs["d"]
	if wrapped != "M95 50L100 50M0 50L5 50" {
		t.Errorf("wrapped route = %q, want two pieces across the east edge", wrapped)
	}
}

func TestRouteSegments(t *testing.T) {
	const side = 100
	cases := []struct {
		name           string
		x1, y1, x2, y2 float64
		wrap           bool
		pieces         int
	}{
		{"flat", 95, 50, 5, 50, false, 1},
		{"short inside", 10, 10, 30, 40, true, 1},
		{"east edge", 95, 50, 5, 50, true, 2},
		{"north edge", 50, 3, 50, 90, true, 2},
		{"corner", 95, 98, 4, 3, true, 3},
		{"corner diagonal", 90, 90, 10, 10, true, 2}, // through the very corner
		{"same point", 40, 40, 40, 40, true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := routeSegments(c.x1, c.y1, c.x2, c.y2, side, c.wrap)
			segs := r.pieces()
			if c.pieces == 0 {
				return
			}
			if len(segs) != c.pieces {
				t.Fatalf("%d pieces, want %d: %v", len(segs), c.pieces, segs)
			}
			total := 0.0
			for _, s := range segs {
				for _, v := range []float64{s.x1, s.y1, s.x2, s.y2} {
					if v < -1e-9 || v > side+1e-9 {
						t.Errorf("piece %v leaves the map", s)
					}
				}
				total += math.Hypot(s.x2-s.x1, s.y2-s.y1)
			}
			want := math.Hypot(delta(c.x1, c.x2, side, c.wrap), delta(c.y1, c.y2, side, c.wrap))
			if math.Abs(total-want) > 1e-6 {
				t.Errorf("pieces add up to %v, route is %v", total, want)
			}
			first, last := segs[0], segs[len(segs)-1]
			if first.x1 != c.x1 || first.y1 != c.y1 || last.x2 != c.x2 || last.y2 != c.y2 {
				t.Errorf("pieces do not run from start to destination: %v", segs)
			}
		})
	}
}

func TestGroupsDoNotHideEachOther(t *testing.T) {
	v := MapView{
		Size: 100, Me: "Ants",
		Planets: []Planet{{Number: 1, Name: "Hub", X: 50, Y: 50, Size: 100}},
	}
	for i := 0; i < 3; i++ {
		v.Groups = append(v.Groups, Group{Number: i + 1, Ships: 2, Type: "Scout", X: 50, Y: 50})
	}
	for _, r := range []string{"Bees", "Cats", "Dogs", "Eels", "Fish", "Gnus", "Hens", "Ibis", "Jays", "Koi"} {
		v.Groups = append(v.Groups, Group{Race: r, Ships: 1, Type: "X", X: 50, Y: 50})
	}
	root := parse(t, string(Map(v)))
	fleets := byClass(root, "fleet")
	if len(fleets) != 11 { // mine in one marker, ten other races
		t.Fatalf("%d markers, want 11", len(fleets))
	}
	seen := map[string]bool{}
	for _, f := range fleets {
		d := f.child("path").attrs["d"]
		if seen[d] {
			t.Errorf("two markers at the same place: %s", d)
		}
		seen[d] = true
	}
	badge := byClass(fleets[0], "badge")
	if len(badge) != 1 || badge[0].text != "6" {
		t.Errorf("my three groups of two ships should show 6: %+v", badge)
	}
	if tip := fleets[0].child("title").text; !strings.Contains(tip, "3 groups") || !strings.Contains(tip, "Group 2: 2 × Scout") {
		t.Errorf("tooltip %q", tip)
	}
}

func TestOwnerClassIsStable(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		name := "Race" + strconv.Itoa(i)
		c := OwnerClass(name)
		if c != OwnerClass(name) || c != OwnerClass(strings.ToUpper(name)) {
			t.Fatalf("OwnerClass(%q) not stable", name)
		}
		n, err := strconv.Atoi(strings.TrimPrefix(c, "owner-"))
		if err != nil || n < 0 || n >= OwnerColours {
			t.Fatalf("OwnerClass(%q) = %q", name, c)
		}
		seen[c] = true
	}
	if len(seen) < OwnerColours/2 {
		t.Errorf("only %d colours used by 200 races", len(seen))
	}
	for i := range OwnerColours {
		if !strings.Contains(MapCSS, ".owner-"+strconv.Itoa(i)+" ") {
			t.Errorf("MapCSS has no colour for owner-%d", i)
		}
	}
}

func TestMapDegenerateInput(t *testing.T) {
	for _, v := range []MapView{
		{},
		{Size: math.NaN(), Planets: []Planet{{Name: "A", X: math.Inf(1), Y: math.NaN(), Size: math.NaN()}}},
		{Size: -5, Planets: []Planet{{Name: "A", X: 40, Y: 60}},
			Groups: []Group{{Ships: 1, InFlight: true, X: 1, Y: 1, Destination: "nowhere"}, {Unplaced: true, Incoming: true}}},
	} {
		out := string(Map(v))
		parse(t, out)
		if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
			t.Errorf("non-finite number in output: %s", out)
		}
	}
}

func TestSafeHref(t *testing.T) {
	for in, want := range map[string]string{
		"/games/1/map?planet=a": "/games/1/map?planet=a",
		"https://example.org/x": "https://example.org/x",
		"javascript:alert(1)":   "#",
		" JavaScript:alert(1)":  "#",
		"data:text/html,x":      "#",
		"?planet=a:b":           "?planet=a:b",
		"map#planet:x":          "map#planet:x",
		"":                      "",
	} {
		if got := safeHref(in); got != want {
			t.Errorf("safeHref(%q) = %q, want %q", in, got, want)
		}
	}
}
