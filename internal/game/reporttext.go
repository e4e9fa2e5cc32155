package game

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// renderReport writes the classic text report from its data, so that text
// and JSON never disagree. Names are written with '_' for spaces, ready to be
// copied into orders.
func renderReport(d *ReportData) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s Report for Galaxy Turn %d\n", displayName(d.Race), d.Turn)
	wrap := ""
	if d.Wrap {
		wrap = ", wrapping around its edges"
	}
	fmt.Fprintf(&b, "Galaxy size %s x %s%s\n", f2(d.MapSize), f2(d.MapSize), wrap)
	if d.Status != "active" {
		fmt.Fprintf(&b, "Your race is %s.\n", d.Status)
	}
	if d.Finished {
		fmt.Fprintf(&b, "The game is over.\n")
	}

	if len(d.Bulletins) > 0 {
		heading(&b, "Bulletins")
		for _, s := range d.Bulletins {
			b.WriteString(s + "\n")
		}
	}
	if len(d.Mistakes) > 0 {
		heading(&b, "Mistakes in your orders")
		for _, m := range d.Mistakes {
			fmt.Fprintf(&b, "line %d: %s\n", m.Line, m.Message)
		}
	}
	if len(d.Messages) > 0 {
		heading(&b, "Messages")
		for _, m := range d.Messages {
			fmt.Fprintf(&b, "From %s:\n", displayName(m.From))
			for _, l := range strings.Split(m.Text, "\n") {
				b.WriteString("  " + l + "\n")
			}
		}
	}

	writeOptions(&b, d.Options)

	heading(&b, fmt.Sprintf("Status of Players (total %d)", len(d.Players)))
	t := newTable("N", "D", "W", "S", "C", "Pop", "Ind", "#", "Relation", "Status")
	t.left(0, 8, 9)
	for _, p := range d.Players {
		t.name(p.Name).f(p.Drive).f(p.Weapons).f(p.Shields).f(p.Cargo).
			f(p.Population).f(p.Industry).i(p.Planets).s(p.Relation).s(p.Status)
	}
	t.write(&b)
	writeRealNames(&b, d)

	writeTech(&b, d.Tech)
	writeShipTypes(&b, "Your Ship Types", d.ShipTypes)
	for _, o := range d.OtherShipTypes {
		writeShipTypes(&b, displayName(o.Race)+" Ship Types", o.Types)
	}

	for _, bt := range d.Battles {
		heading(&b, fmt.Sprintf("Battle at %s (#%d) %s,%s", displayName(bt.Planet), bt.PlanetNumber, f2(bt.X), f2(bt.Y)))
		t := newTable("R", "G", "#", "T", "D", "W", "S", "C", "A", "Att", "Def", "Left")
		t.left(0, 3)
		for _, g := range bt.Groups {
			t.name(g.Race)
			if g.Group > 0 {
				t.i(g.Group)
			} else {
				t.s("-")
			}
			t.i(g.Ships).name(g.Type).f(g.Drive).f(g.Weapons).
				f(g.Shields).f(g.Cargo).i(g.Attacks).f(g.Attack).f(g.Defence).i(g.Left)
		}
		t.write(&b)
		end := "one side was destroyed"
		if bt.Standoff {
			end = "standoff: no shot could hurt anyone"
		}
		fmt.Fprintf(&b, "%d rounds, %d shots; %s.\n", bt.Rounds, bt.Shots, end)
		writeProtocol(&b, bt)
	}
	if len(d.Bombings) > 0 {
		heading(&b, "Bombings")
		t := newTable("Planet", "Owner", "Attackers", "Pop", "Ind", "New owner")
		t.left(0, 1, 2, 5)
		for _, bo := range d.Bombings {
			owner := "none"
			if bo.NewOwner != "" {
				owner = displayName(bo.NewOwner)
			} else if bo.Reason != "" {
				owner = "none (" + bo.Reason + ")"
			}
			att := make([]string, len(bo.Attackers))
			for i, a := range bo.Attackers {
				att[i] = displayName(a)
			}
			t.name(bo.Planet).name(bo.Owner).s(strings.Join(att, ",")).f(bo.Population).f(bo.Industry).s(owner)
		}
		t.write(&b)
	}

	writeMap(&b, d)
	writePlanets(&b, d.Planets, d.ShipsInProduction)
	writeRoutes(&b, d.Routes)
	if len(d.OtherPlanets) > 0 {
		heading(&b, "Other Planets")
		t := planetTable(true)
		for _, p := range d.OtherPlanets {
			planetRow(t, p, true)
		}
		t.write(&b)
	}
	if len(d.UninhabitedPlanets) > 0 {
		heading(&b, "Uninhabited Planets")
		t := newTable("N", "X", "Y", "S", "R", "P", "I", "$", "M", "C")
		t.left(0)
		for _, p := range d.UninhabitedPlanets {
			t.name(p.Name).f(p.X).f(p.Y).f(p.Size).f(p.Resources).f(p.Population).
				f(p.Industry).f(p.CAP).f(p.MAT).f(p.COL)
		}
		t.write(&b)
	}
	if len(d.UnidentifiedPlanets) > 0 {
		heading(&b, "Unidentified Planets")
		t := newTable("N", "X", "Y").sized(len(d.UnidentifiedPlanets))
		t.left(0)
		for _, p := range d.UnidentifiedPlanets {
			t.name(p.Name).f(p.X).f(p.Y)
		}
		t.write(&b)
	}

	writeGroups(&b, d.Groups, d.Fleets)
	if len(d.OtherGroups) > 0 {
		heading(&b, "Other Groups")
		t := newTable("R", "#", "T", "D", "W", "S", "C", "T", "Q", "L", "M").sized(len(d.OtherGroups))
		t.left(0, 2, 7, 9)
		for _, g := range d.OtherGroups {
			t.name(g.Race).i(g.Ships).name(g.Type).f(g.Drive).f(g.Weapons).
				f(g.Shields).f(g.Cargo).s(g.CargoType).f(g.Load).name(g.Location).f(g.Mass)
		}
		t.write(&b)
	}
	if len(d.IncomingGroups) > 0 {
		heading(&b, "Incoming Groups")
		t := newTable("Origin", "Destination", "Distance", "Speed", "Mass")
		t.left(0, 1)
		for _, g := range d.IncomingGroups {
			t.name(g.Origin).name(g.Destination).f(g.Distance).f(g.Speed).f(g.Mass)
		}
		t.write(&b)
	}
	heading(&b, "Production Status")
	fmt.Fprintf(&b, "So far you have built ships of %s mass in total and lost %s in battle.\n", f2(d.MassProduced), f2(d.MassLost))
	return b.String()
}

// writeOptions lists the race's options, as GalaxyNG's report does.
func writeOptions(b *strings.Builder, opts []OptionInfo) {
	heading(b, "Your Options")
	t := newTable("Option", "State", "Effect")
	t.left(0, 1, 2)
	for _, o := range opts {
		state := "OFF"
		if o.On {
			state = "ON"
		}
		t.s(o.Name).s(state).s(o.Does)
	}
	t.write(b)
}

// writeRealNames gives the real names you may see: yours, and the others'
// that they show.
func writeRealNames(b *strings.Builder, d *ReportData) {
	heading(b, "Real Names")
	t := newTable("Race", "Real name")
	t.left(0, 1)
	rows := 0
	for _, p := range d.Players {
		name := p.RealName
		if p.Relation == "-" {
			name = d.RealName
		}
		if name != "" {
			t.name(p.Name).s(name)
			rows++
		}
	}
	if rows > 0 {
		t.write(b)
	}
	if d.RealName == "" {
		if rows > 0 {
			b.WriteString("\n")
		}
		b.WriteString("Your real name is unknown; give it with the = order.\n")
	}
}

// writeProtocol lists a battle's shots, as GalaxyNG's battle protocol does.
func writeProtocol(b *strings.Builder, bt BattleInfo) {
	if len(bt.Protocol) == 0 {
		return
	}
	heading(b, "Battle Protocol")
	for _, s := range bt.Protocol {
		a, t := bt.Groups[s.Attacker], bt.Groups[s.Target]
		result := "Shields"
		if s.Destroyed {
			result = "Destroyed"
		}
		fmt.Fprintf(b, "%s %s fires on %s %s : %s\n", displayName(a.Race), displayName(a.Type), displayName(t.Race), displayName(t.Type), result)
	}
	if left := bt.Shots - len(bt.Protocol); left > 0 {
		fmt.Fprintf(b, "... and %d more shots.\n", left)
	}
}

// writeTech writes the tech section.
func writeTech(b *strings.Builder, t Tech) {
	heading(b, "Your Tech")
	tb := newTable("Drive", "Weapons", "Shields", "Cargo")
	tb.f(t.Drive).f(t.Weapons).f(t.Shields).f(t.Cargo)
	tb.write(b)
}

// writeShipTypes writes a race's designs under title.
func writeShipTypes(b *strings.Builder, title string, types []ShipTypeInfo) {
	if len(types) == 0 {
		return
	}
	heading(b, title)
	t := newTable("N", "D", "A", "W", "S", "C", "Mass", "Speed", "Cap", "Att", "Def")
	t.left(0)
	for _, s := range types {
		t.name(s.Name).f(s.Drive).i(s.Attacks).f(s.Weapons).f(s.Shields).f(s.Cargo).
			f(s.Mass).f(s.Speed).f(s.Capacity).f(s.Attack).f(s.Defence)
	}
	t.write(b)
}

// writePlanets writes your planets and ships in production.
func writePlanets(b *strings.Builder, planets []PlanetInfo, prod []ProductionInfo) {
	heading(b, "Your Planets")
	if len(planets) == 0 {
		b.WriteString("none\n")
	} else {
		t := planetTable(false).sized(len(planets))
		for _, p := range planets {
			planetRow(t, p, false)
		}
		t.write(b)
	}
	if len(prod) > 0 {
		heading(b, "Ships In Production")
		t := newTable("Planet", "Type", "Cost", "Progress", "Output")
		t.left(0, 1)
		for _, p := range prod {
			t.name(p.Planet).name(p.Type).f(p.Cost).f(p.Progress).f(p.Output)
		}
		t.write(b)
	}
}

// writeRoutes writes your routes.
func writeRoutes(b *strings.Builder, routes []RouteInfo) {
	if len(routes) > 0 {
		heading(b, "Your Routes")
		t := newTable("From", "Cargo", "To")
		t.left(0, 1, 2)
		for _, r := range routes {
			t.name(r.From).s(r.Cargo).name(r.To)
		}
		t.write(b)
	}
}

// writeGroups writes your groups and fleets.
func writeGroups(b *strings.Builder, groups []GroupInfo, fleets []FleetInfo) {
	heading(b, "Your Groups")
	if len(groups) == 0 {
		b.WriteString("none\n")
	} else {
		t := newTable("G", "#", "T", "D", "W", "S", "C", "T", "Q", "L", "From", "To", "R", "P", "M", "F").sized(len(groups))
		t.left(2, 7, 9, 10, 11, 15)
		for _, g := range groups {
			t.i(g.Number).i(g.Ships).name(g.Type).f(g.Drive).f(g.Weapons).
				f(g.Shields).f(g.Cargo).s(g.CargoType).f(g.Load)
			if g.Location == "" {
				t.s("-").name(g.Origin).name(g.Destination).f(g.Distance)
			} else {
				t.name(g.Location).s("-").s("-").s("-")
			}
			t.f(g.Speed).f(g.Mass)
			if g.Fleet != "" {
				t.name(g.Fleet)
			} else {
				t.s("-")
			}
		}
		t.write(b)
	}
	if len(fleets) > 0 {
		heading(b, "Your Fleets")
		t := newTable("N", "Groups", "Ships", "L", "To", "R", "P")
		t.left(0, 3, 4)
		for _, f := range fleets {
			t.name(f.Name).i(f.Groups).i(f.Ships)
			if f.Location == "" {
				t.s("-").name(f.Destination).f(f.Distance)
			} else {
				t.name(f.Location).s("-").s("-")
			}
			t.f(f.Speed)
		}
		t.write(b)
	}
}

// planetTable starts a table of owned planets.
func planetTable(owner bool) *table {
	if owner {
		t := newTable("N", "Owner", "X", "Y", "S", "P", "I", "R", "Prod", "$", "M", "C", "L")
		t.left(0, 1, 8)
		return t
	}
	t := newTable("N", "X", "Y", "S", "P", "I", "R", "Prod", "$", "M", "C", "L")
	t.left(0, 7)
	return t
}

// planetRow adds a planet to a planetTable.
func planetRow(t *table, p PlanetInfo, owner bool) {
	t.name(p.Name)
	if owner {
		t.name(p.Owner)
	}
	t.f(p.X).f(p.Y).f(p.Size).f(p.Population).f(p.Industry).f(p.Resources).
		name(p.Production).f(p.CAP).f(p.MAT).f(p.COL).f(p.Output)
}

// renderForecast writes what an order check predicts for the race's own
// planets and groups: the sections its forecast options ask for.
func renderForecast(d *ReportData, opts optionFlips) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s Forecast for Galaxy Turn %d (other races ignored)\n", displayName(d.Race), d.Turn)
	writeTech(&b, d.Tech)
	if opts.has(optShipTypeForecast) {
		writeShipTypes(&b, "Your Ship Types", d.ShipTypes)
	}
	if opts.has(optPlanetForecast) {
		writePlanets(&b, d.Planets, d.ShipsInProduction)
	}
	if opts.has(optRoutesForecast) {
		writeRoutes(&b, d.Routes)
	}
	if opts.has(optGroupForecast) {
		writeGroups(&b, d.Groups, d.Fleets)
	}
	return b.String()
}

// heading starts a section.
func heading(b *strings.Builder, title string) {
	fmt.Fprintf(b, "\n\t\t%s\n\n", title)
}

// f2 formats a number with two decimals, the precision of every report.
func f2(v float64) string { return string(appendF2(nil, v)) }

// appendF2 appends v with two decimals, as strconv would print r2(v), but
// through whole hundredths: number formatting is most of the cost of
// reports.
func appendF2(b []byte, v float64) []byte {
	c := math.Round(v * 100)
	if math.IsNaN(c) || math.IsInf(c, 0) {
		c = 0
	}
	if math.Abs(c) >= 1e15 {
		return strconv.AppendFloat(b, r2(v), 'f', 2, 64)
	}
	n := int64(c)
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/100, 10)
	r := n % 100
	return append(b, '.', byte('0'+r/10), byte('0'+r%10))
}

// table lays out columns: numbers right-aligned, chosen columns left-aligned.
// Cells are written into one byte buffer as they come, because reports of
// big games have tens of thousands of them and a string each would make the
// turn allocation-bound.
type table struct {
	head   []string
	isLeft []bool
	width  []int
	buf    []byte
	ends   []int32 // end of each cell in buf
}

// newTable starts a table with its column heads.
func newTable(head ...string) *table {
	t := &table{head: head, isLeft: make([]bool, len(head)), width: make([]int, len(head))}
	for i, h := range head {
		t.width[i] = displayWidth([]byte(h))
	}
	return t
}

// sized reserves room for rows rows.
func (t *table) sized(rows int) *table {
	t.ends = make([]int32, 0, rows*len(t.head))
	t.buf = make([]byte, 0, rows*len(t.head)*7)
	return t
}

// left marks columns as left-aligned.
func (t *table) left(cols ...int) {
	for _, c := range cols {
		t.isLeft[c] = true
	}
}

// end closes the cell just written and widens its column.
func (t *table) end(start int) *table {
	col := len(t.ends) % len(t.head)
	t.width[col] = max(t.width[col], displayWidth(t.buf[start:]))
	t.ends = append(t.ends, int32(len(t.buf)))
	return t
}

// displayWidth returns the columns b takes in a monospaced font, as
// terminals draw it: two for East Asian wide and full-width characters (CJK,
// most emoji), none for combining marks and invisible format characters, one
// for the rest. ASCII, where bytes are columns, takes the fast path.
func displayWidth(b []byte) int {
	i := 0
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	if i == len(b) {
		return i
	}
	n := i
	for _, r := range string(b[i:]) {
		n += runeWidth(r)
	}
	return n
}

// runeWidth is the display width of one character (see displayWidth).
func runeWidth(r rune) int {
	switch {
	case r < utf8.RuneSelf:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// s adds a text cell.
func (t *table) s(v string) *table {
	start := len(t.buf)
	t.buf = append(t.buf, v...)
	return t.end(start)
}

// name adds a name cell, with '_' for spaces as orders want it.
func (t *table) name(v string) *table {
	start := len(t.buf)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			c = '_'
		}
		t.buf = append(t.buf, c)
	}
	return t.end(start)
}

// f adds a number cell with two decimals.
func (t *table) f(v float64) *table {
	start := len(t.buf)
	t.buf = appendF2(t.buf, v)
	return t.end(start)
}

// i adds a whole-number cell.
func (t *table) i(v int) *table {
	start := len(t.buf)
	t.buf = strconv.AppendInt(t.buf, int64(v), 10)
	return t.end(start)
}

// spaces pads cells without allocating.
const spaces = "                                                                "

// pad writes n spaces.
func pad(b *strings.Builder, n int) {
	for n > len(spaces) {
		b.WriteString(spaces)
		n -= len(spaces)
	}
	if n > 0 {
		b.WriteString(spaces[:n])
	}
}

// write renders the table with one space between columns and no trailing
// blanks.
func (t *table) write(b *strings.Builder) {
	n := len(t.head)
	rows := len(t.ends) / n
	b.Grow((rows + 1) * (sum(t.width) + n))
	cell := func(i int, c []byte, last bool) {
		w := displayWidth(c)
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.isLeft[i] {
			b.Write(c)
			if !last {
				pad(b, t.width[i]-w)
			}
		} else {
			pad(b, t.width[i]-w)
			b.Write(c)
		}
	}
	for i, h := range t.head {
		cell(i, []byte(h), i == n-1)
	}
	b.WriteByte('\n')
	start := 0
	for k, e := range t.ends {
		col := k % n
		cell(col, t.buf[start:e], col == n-1)
		start = int(e)
		if col == n-1 {
			b.WriteByte('\n')
		}
	}
}

// sum adds up column widths.
func sum(v []int) int {
	s := 0
	for _, x := range v {
		s += x
	}
	return s
}
