package svg

// maxGridLines bounds the grid should a tiny step and a huge side ever
// meet; niceStep keeps it near 10 lines per axis.
const maxGridLines = 50

// writeGrid draws faint lines every g.step light years, labelled with their
// coordinate along the top and left edges, so a player can read a planet's
// position off the map as the report prints it.
func writeGrid(w *writer, g geom) {
	w.raw(`<g class="grid"><path class="grid-lines" d="`)
	// Multiplying rather than adding keeps 0.1-steps from drifting.
	for k := 1; k <= maxGridLines; k++ {
		v := float64(k) * g.step
		if v >= g.side-g.step*0.01 {
			break
		}
		w.raw("M")
		w.f(v)
		w.raw(" 0V")
		w.f(g.side)
		w.raw("M0 ")
		w.f(v)
		w.raw("H")
		w.f(g.side)
	}
	w.raw(`"/><g class="axis"`)
	w.fattr("font-size", g.small)
	w.raw(">")
	for k := 1; k <= maxGridLines; k++ {
		v := float64(k) * g.step
		if v >= g.side-g.step*0.5 {
			break // no label crowding the far corner
		}
		// x along the top edge, y along the left edge, just inside the map.
		w.raw(`<text class="axis-x" text-anchor="middle"`)
		w.fattr("x", v)
		w.fattr("y", g.small*1.1)
		w.raw(">")
		w.f(v)
		w.raw(`</text><text class="axis-y"`)
		w.fattr("x", g.small*0.3)
		w.fattr("y", v+g.small*0.35)
		w.raw(">")
		w.f(v)
		w.raw("</text>")
	}
	w.raw("</g></g>")
}

// writeScaleBar draws one grid step as a bar in the bottom-left corner with
// its length in light years: distances decide travel times, and a bar is
// easier to hold against two planets than grid lines.
func writeScaleBar(w *writer, g geom) {
	x0, y0 := g.small*1.5, g.side-g.small*1.2
	tick := g.small * 0.5
	w.raw(`<g class="scale-bar"`)
	w.fattr("font-size", g.small)
	w.raw(`><path d="M`)
	w.f(x0)
	w.raw(" ")
	w.f(y0 - tick)
	w.raw("V")
	w.f(y0)
	w.raw("H")
	w.f(x0 + g.step)
	w.raw("V")
	w.f(y0 - tick)
	w.raw(`"/><text text-anchor="middle"`)
	w.fattr("x", x0+g.step/2)
	w.fattr("y", y0-tick*1.3)
	w.raw(">")
	w.f(g.step)
	w.raw(" ly</text></g>")
}
