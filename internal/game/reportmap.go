package game

import (
	"math"
	"strings"
)

// The text map's size in characters, as in GalaxyNG.
const (
	mapWidth  = 80
	mapHeight = 40
)

// mapInfo is race ri's map: its area (the whole galaxy until an m order
// says otherwise) and the groups in hyperspace inside it.
func (v *view) mapInfo(ri int) MapInfo {
	st := v.st
	m := MapInfo{Size: st.Side, Groups: []MapPoint{}}
	if a := st.Races[ri].Map; a != nil {
		m.X, m.Y, m.Size = a.X, a.Y, a.Size
	}
	for _, f := range v.flying {
		if _, _, ok := mapCell(m, st.Settings.Wrap, st.Side, f.x, f.y); ok {
			m.Groups = append(m.Groups, MapPoint{X: r2(f.x), Y: r2(f.y), Own: f.r == ri})
		}
	}
	m.X, m.Y, m.Size = r2(m.X), r2(m.Y), r2(m.Size)
	return m
}

// mapCell is the character cell of point x, y on map m, as GalaxyNG's
// putmap places it; ok is false outside the map. On a wrapping galaxy the
// map wraps too.
func mapCell(m MapInfo, wrap bool, side, x, y float64) (col, row int, ok bool) {
	dx, dy := x-m.X, y-m.Y
	if wrap && side > 0 {
		dx, dy = math.Mod(math.Mod(dx, side)+side, side), math.Mod(math.Mod(dy, side)+side, side)
	}
	if m.Size <= 0 {
		return 0, 0, false
	}
	// Go's conversion cuts towards zero like C's: as in GalaxyNG, a point
	// less than one cell left of (or above) the map lands in its first
	// column (row).
	col, row = int(dx/m.Size*mapWidth), int(dy/m.Size*mapHeight)
	return col, row, col >= 0 && col < mapWidth && row >= 0 && row < mapHeight
}

// writeMap draws the map as GalaxyNG does: o a free planet, + another
// race's, * yours, . your group in hyperspace, - another race's; a later
// mark wins a shared cell, in that order. A planet whose owner you cannot
// see is a ?, where GalaxyNG would give its owner away.
func writeMap(b *strings.Builder, d *ReportData) {
	heading(b, "Map")
	var grid [mapHeight][mapWidth]byte
	for i := range grid {
		for j := range grid[i] {
			grid[i][j] = ' '
		}
	}
	put := func(x, y float64, c byte) {
		if col, row, ok := mapCell(d.Map, d.Wrap, d.MapSize, x, y); ok {
			grid[row][col] = c
		}
	}
	for _, p := range d.UnidentifiedPlanets {
		put(p.X, p.Y, '?')
	}
	for _, p := range d.UninhabitedPlanets {
		put(p.X, p.Y, 'o')
	}
	for _, p := range d.OtherPlanets {
		put(p.X, p.Y, '+')
	}
	for _, p := range d.Planets {
		put(p.X, p.Y, '*')
	}
	for _, mark := range []struct {
		own bool
		c   byte
	}{{true, '.'}, {false, '-'}} {
		for _, g := range d.Map.Groups {
			if g.Own == mark.own {
				put(g.X, g.Y, mark.c)
			}
		}
	}
	x2, y2 := d.Map.X+d.Map.Size, d.Map.Y+d.Map.Size
	b.WriteString(f2(d.Map.X) + "," + f2(d.Map.Y) + "  " + f2(x2) + "," + f2(d.Map.Y) + "\n")
	b.WriteString(strings.Repeat("-", mapWidth) + "\n")
	for _, row := range grid {
		b.WriteString(strings.TrimRight(string(row[:]), " ") + "\n")
	}
	b.WriteString(strings.Repeat("-", mapWidth) + "\n")
	b.WriteString(f2(d.Map.X) + "," + f2(y2) + "  " + f2(x2) + "," + f2(y2) + "\n")
}
