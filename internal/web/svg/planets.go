package svg

import (
	"strconv"
)

// planetKind is the planet's Kind, or when the page left it empty (or
// misspelt it), the kind its owner and size imply.
func planetKind(p *Planet, me string) string {
	switch p.Kind {
	case KindMine, KindOther, KindUninhabited, KindUnidentified:
		return p.Kind
	}
	switch {
	case p.Owner != "" && p.Owner == me:
		return KindMine
	case p.Owner != "":
		return KindOther
	case p.Size > 0:
		return KindUninhabited
	}
	return KindUnidentified
}

// writePlanets draws every planet once, the selected one last so its ring
// is not hidden under a neighbour.
func writePlanets(w *writer, m *MapView, g geom) {
	w.raw(`<g class="planets"`)
	w.fattr("font-size", g.font)
	w.raw(">")
	sel := -1
	for i := range m.Planets {
		if m.Selected != "" && m.Planets[i].Name == m.Selected && sel < 0 {
			sel = i
			continue
		}
		writePlanet(w, m, &m.Planets[i], g, false)
	}
	if sel >= 0 {
		writePlanet(w, m, &m.Planets[sel], g, true)
	}
	w.raw("</g>")
}

func writePlanet(w *writer, m *MapView, p *Planet, g geom, selected bool) {
	kind := planetKind(p, m.Me)
	x, y := finite(p.X), finite(p.Y)
	r := g.radius(p.Size)
	if kind == KindUnidentified {
		r = g.rMin // a small hollow dot: only the position is known
	}

	w.raw(`<g class="planet `)
	w.raw(kind)
	if kind == KindOther {
		w.raw(" ")
		w.raw(OwnerClass(p.Owner))
	}
	if selected {
		w.raw(` selected" aria-current="true"`)
	} else {
		w.raw(`"`)
	}
	w.attr("data-planet", p.Name)
	if p.Owner != "" {
		w.attr("data-owner", p.Owner)
	}
	w.fattr("data-x", x)
	w.fattr("data-y", y)
	href := ""
	if m.LinkFor != nil {
		href = safeHref(m.LinkFor(p.Name))
	}
	if href == "" {
		// Without a link the group itself takes the focus, so keyboard users
		// still reach the tooltip; with one the link does, and a second tab
		// stop per planet would only double the way through 250 planets.
		w.raw(` tabindex="0"`)
	}
	w.raw("><title>")
	writePlanetTitle(w, p, kind)
	w.raw("</title>")
	labelAt := r // the label starts clear of the disc, or of the ring
	if selected {
		ring := r + g.rMax*0.6
		w.raw(`<circle class="selected-ring"`)
		w.fattr("cx", x)
		w.fattr("cy", y)
		w.fattr("r", ring)
		w.raw("/>")
		labelAt = ring
	}
	if href != "" {
		w.raw("<a")
		w.attr("href", href)
		w.raw(">")
	}
	w.raw(`<circle class="body"`)
	w.fattr("cx", x)
	w.fattr("cy", y)
	w.fattr("r", r)
	w.raw(`/><text class="label"`)
	w.fattr("x", x+labelAt+g.font*0.25)
	w.fattr("y", y+g.font*0.35)
	w.raw(">")
	w.text(p.Name)
	w.raw("</text>")
	if href != "" {
		w.raw("</a>")
	}
	w.raw("</g>")
}

// writePlanetTitle writes the tooltip: "Name (#12) — Owner, size 1000,
// pop 1000, ind 1000 — at 12.5, 40", saying only what the race knows.
func writePlanetTitle(w *writer, p *Planet, kind string) {
	w.text(p.Name)
	if p.Number > 0 && p.Name != strconv.Itoa(p.Number) {
		w.raw(" (#")
		w.i(p.Number)
		w.raw(")")
	}
	w.raw(" — ")
	switch kind {
	case KindUnidentified:
		w.raw("unidentified")
	case KindUninhabited:
		w.raw("uninhabited")
	default:
		if p.Owner != "" {
			w.text(p.Owner)
		} else {
			w.raw(kind)
		}
	}
	if p.Size > 0 {
		w.raw(", size ")
		w.f(p.Size)
	}
	if kind == KindMine || kind == KindOther {
		w.raw(", pop ")
		w.f(p.Population)
		w.raw(", ind ")
		w.f(p.Industry)
	}
	w.raw(" — at ")
	w.f(p.X)
	w.raw(", ")
	w.f(p.Y)
}
