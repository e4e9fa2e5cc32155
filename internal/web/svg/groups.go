package svg

import "math"

// writeClass writes the class list a flock's marker and route share.
func (f *flock) writeClass(w *writer) {
	w.raw(f.kind)
	if f.kind == fleetOther {
		w.raw(" ")
		w.raw(OwnerClass(f.race))
	}
}

// writeRoutes draws a dashed line with an arrowhead from each flock in
// flight to its destination, under the planets so it never hides one.
// Several pieces of a route wrapping across edges are one path, so the
// arrowhead lands once, at the destination.
func writeRoutes(w *writer, fs *flocks, g geom, wrap bool) {
	w.raw(`<g class="routes">`)
	for i := range fs.list {
		f := &fs.list[i]
		if !f.inFlight || !f.hasDest {
			continue
		}
		w.raw(`<path class="route `)
		f.writeClass(w)
		w.raw(`" d="`)
		r := routeSegments(f.x, f.y, f.dx, f.dy, g.side, wrap)
		for _, s := range r.pieces() {
			w.raw("M")
			w.f(s.x1)
			w.raw(" ")
			w.f(s.y1)
			w.raw("L")
			w.f(s.x2)
			w.raw(" ")
			w.f(s.y2)
		}
		w.raw(`" marker-end="url(#galaxy-arrow-` + f.kind + `)"/>`)
	}
	w.raw("</g>")
}

// orbitAngles are the places around a planet for the markers of groups in
// orbit, starting top right and leaving the right side, where the planet's
// name is, for last.
var orbitAngles = [...]float64{-45, -90, -135, 180, 135, 90, 45, 0}

// writeGroups draws a marker per flock: in orbit, a diamond on a ring
// around the planet, one place per race; in flight, a triangle at the
// group's point, aimed at its destination. A badge gives the ship count
// and the tooltip lists the groups.
func writeGroups(w *writer, fs *flocks, m *MapView, g geom) {
	// Planet radii by position, so orbit rings clear the disc.
	radii := make(map[[2]int64]float64, len(m.Planets))
	for i := range m.Planets {
		p := &m.Planets[i]
		r := g.radius(p.Size)
		if planetKind(p, m.Me) == KindUnidentified {
			r = g.rMin
		}
		radii[[2]int64{round2i(p.X), round2i(p.Y)}] = r
	}
	slots := make(map[[2]int64]int)

	w.raw(`<g class="groups"`)
	w.fattr("font-size", g.small*0.85)
	w.raw(">")
	// Incoming groups go last so the warning is on top.
	for pass := 0; pass < 2; pass++ {
		for i := range fs.list {
			f := &fs.list[i]
			if (f.kind == fleetIncoming) != (pass == 1) {
				continue
			}
			x, y := f.x, f.y
			s := g.mark
			if !f.inFlight {
				pt := [2]int64{round2i(f.x), round2i(f.y)}
				k := slots[pt]
				slots[pt] = k + 1
				r, ok := radii[pt]
				if !ok {
					r = g.rMin
				}
				ring := r + s*2 + float64(k/len(orbitAngles))*s*2.5
				a := orbitAngles[k%len(orbitAngles)] * math.Pi / 180
				x, y = x+ring*math.Cos(a), y+ring*math.Sin(a)
			}
			writeFlock(w, fs, f, x, y, s, g, m.Wrap)
		}
	}
	w.raw("</g>")
}

func writeFlock(w *writer, fs *flocks, f *flock, x, y, s float64, g geom, wrap bool) {
	w.raw(`<g class="fleet `)
	f.writeClass(w)
	if f.inFlight {
		w.raw(` in-flight"`)
	} else {
		w.raw(` in-orbit"`)
	}
	if f.race != "" {
		w.attr("data-race", f.race)
	}
	w.raw("><title>")
	writeFlockTitle(w, fs, f)
	w.raw(`</title><path class="marker" d="`)
	if f.inFlight && f.hasDest {
		ux, uy := delta(x, f.dx, g.side, wrap), delta(y, f.dy, g.side, wrap)
		if n := math.Hypot(ux, uy); n > 0 {
			ux, uy = ux/n, uy/n
		} else {
			ux, uy = 1, 0
		}
		if f.kind == fleetIncoming {
			s *= 1.3
		}
		// A triangle pointing along the route.
		tx, ty := x+ux*s*1.4, y+uy*s*1.4
		bx, by := x-ux*s*0.9, y-uy*s*0.9
		w.raw("M")
		w.f(tx)
		w.raw(" ")
		w.f(ty)
		w.raw("L")
		w.f(bx - uy*s)
		w.raw(" ")
		w.f(by + ux*s)
		w.raw("L")
		w.f(bx + uy*s)
		w.raw(" ")
		w.f(by - ux*s)
		w.raw("Z")
	} else {
		w.raw("M")
		w.f(x)
		w.raw(" ")
		w.f(y - s)
		w.raw("L")
		w.f(x + s)
		w.raw(" ")
		w.f(y)
		w.raw("L")
		w.f(x)
		w.raw(" ")
		w.f(y + s)
		w.raw("L")
		w.f(x - s)
		w.raw(" ")
		w.f(y)
		w.raw("Z")
	}
	w.raw(`"/>`)
	if f.ships > 1 || f.count > 1 {
		w.raw(`<text class="badge"`)
		w.fattr("x", x+s*1.3)
		w.fattr("y", y-s*0.6)
		w.raw(">")
		w.i(f.ships)
		w.raw("</text>")
	}
	w.raw("</g>")
}

// maxTitleGroups bounds a tooltip; a stack of 300 groups at a home world
// would otherwise make one taller than the screen.
const maxTitleGroups = 8

// writeFlockTitle lists the flock's groups, one per line:
// "Group 5: 3 × Cruiser, from Castle, to Rock, 12.5 ly left".
func writeFlockTitle(w *writer, fs *flocks, f *flock) {
	switch f.kind {
	case fleetMine:
		w.raw("Your ships")
	case fleetIncoming:
		w.raw("Incoming")
		if f.race != "" {
			w.raw(": ")
			w.text(f.race)
		}
	default:
		w.text(f.race)
	}
	w.raw(" — ")
	w.i(f.ships)
	w.raw(plural(f.ships, " ship", " ships"))
	if f.count > 1 {
		w.raw(" in ")
		w.i(f.count)
		w.raw(" groups")
	}
	i := 0
	for gr := range fs.members(f) {
		if i == maxTitleGroups {
			w.raw("\n… and ")
			w.i(f.count - i)
			w.raw(" more")
			break
		}
		i++
		w.raw("\n")
		if gr.Number > 0 {
			w.raw("Group ")
			w.i(gr.Number)
			w.raw(": ")
		}
		w.i(gr.Ships)
		if gr.Type != "" {
			w.raw(" × ")
			w.text(gr.Type)
		}
		// In orbit the planet's own tooltip says where; in flight the
		// route is the news.
		if f.inFlight && gr.Origin != "" {
			w.raw(", from ")
			w.text(gr.Origin)
		}
		if f.inFlight && gr.Destination != "" {
			w.raw(", to ")
			w.text(gr.Destination)
		}
		if f.inFlight && gr.Distance > 0 {
			w.raw(", ")
			w.f(gr.Distance)
			w.raw(" ly left")
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
