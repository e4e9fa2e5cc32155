package svg

import (
	"html/template"
	"strconv"
)

// Map draws the galaxy as one inline <svg> element, in galaxy coordinates
// (viewBox "0 0 Size Size", y downwards as the reports print it), layered
// from the back: space, grid, routes, planets, groups, scale bar.
//
// Every planet is a <g data-planet="name"> (with data-owner when owned)
// holding a circle sized by the planet's size, a name label and a tooltip;
// the page's JavaScript may add pan and zoom by changing the viewBox, and
// the map works without it. Style it with MapCSS.
func Map(m MapView) template.HTML {
	side := mapSide(&m)
	g := newGeom(side)
	idx := indexPlanets(m.Planets)
	// Sized for a typical map so the buffer is seldom copied as it grows.
	w := newWriter(400*len(m.Planets) + 350*len(m.Groups) + 8192)

	label := m.Label
	if label == "" {
		label = defaultMapLabel(&m)
	}
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="galaxy-map" viewBox="0 0 `)
	w.f(side)
	w.raw(" ")
	w.f(side)
	w.raw(`" preserveAspectRatio="xMidYMid meet"`)
	// With links inside, role="img" would hide them from assistive
	// technology (an image has no interactive parts), so the map is then a
	// labelled group of links instead.
	if m.LinkFor != nil {
		w.raw(` role="group"`)
	} else {
		w.raw(` role="img"`)
	}
	w.attr("aria-label", label)
	w.fattr("data-size", side)
	w.raw(` data-wrap="` + strconv.FormatBool(m.Wrap) + `">`)
	w.raw("<title>")
	w.text(label)
	w.raw("</title>")
	writeDefs(w, g)
	w.raw(`<rect class="space" x="0" y="0"`)
	w.fattr("width", side)
	w.fattr("height", side)
	w.raw("/>")
	writeGrid(w, g)

	fl := collectGroups(&m, idx, side)
	writeRoutes(w, fl, g, m.Wrap)
	writePlanets(w, &m, g)
	writeGroups(w, fl, &m, g)
	writeScaleBar(w, g)
	w.raw("</svg>")
	return w.html()
}

// defaultMapLabel names the picture for screen readers and the tooltip of
// empty space.
func defaultMapLabel(m *MapView) string {
	mine := 0
	for i := range m.Planets {
		if planetKind(&m.Planets[i], m.Me) == KindMine {
			mine++
		}
	}
	s := "Galaxy map"
	if m.Me != "" {
		s += " of " + m.Me
	}
	s += ": " + strconv.Itoa(len(m.Planets)) + " planets known, " + strconv.Itoa(mine) + " yours"
	if m.Wrap {
		s += "; the map wraps around at its edges"
	}
	return s
}

// planetIndex finds planets by name, for group routes and orbits.
type planetIndex map[string]*Planet

func indexPlanets(ps []Planet) planetIndex {
	idx := make(planetIndex, len(ps))
	for i := range ps {
		if _, dup := idx[ps[i].Name]; !dup {
			idx[ps[i].Name] = &ps[i]
		}
	}
	return idx
}

// writeDefs defines the arrowheads of routes, one per kind of group, sized
// in galaxy units so they scale with the map like everything else.
func writeDefs(w *writer, g geom) {
	w.raw("<defs>")
	for _, kind := range [...]string{"mine", "other", "incoming"} {
		w.raw(`<marker id="galaxy-arrow-` + kind + `" class="arrow ` + kind + `" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse"`)
		w.fattr("markerWidth", g.mark*3)
		w.fattr("markerHeight", g.mark*3)
		w.raw(` orient="auto"><path d="M0 0L10 5L0 10z"/></marker>`)
	}
	w.raw("</defs>")
}
