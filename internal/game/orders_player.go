package game

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxRealNameLen bounds the real name set with =.
const maxRealNameLen = 60

// realName handles =: the player's real name, the rest of the line. Others
// see it in the status of players unless the race plays anonymously.
func (c *orderCtx) realName(ol orderLine) {
	name := strings.Join(ol.args, " ")
	if ol.word != "=" {
		// "=Arthur Dent": the name starts right after the order letter.
		name = strings.TrimSpace(strings.TrimPrefix(ol.word, "=") + " " + name)
	}
	// GalaxyNG players often quote it: = "Arthur Dent".
	if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
		name = strings.TrimSpace(name[1 : len(name)-1])
	}
	switch {
	case name == "":
		c.fail(ol.num, ol.raw, "expected = <your real name>")
	case utf8.RuneCountInString(name) > maxRealNameLen:
		c.fail(ol.num, ol.raw, "real names have at most %d characters", maxRealNameLen)
	case strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }):
		c.fail(ol.num, ol.raw, "real names may not contain control characters")
	default:
		c.r.RealName = name
	}
}

// mapArea is the square of the galaxy a race's report map shows.
type mapArea struct {
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	Size float64 `json:"size"`
}

// mapView handles m: the report's map shows the square with top left corner
// x, y and side size (at least 1).
func (c *orderCtx) mapView(ol orderLine) {
	if !c.need(ol, 3, 3, "m <x> <y> <size>") {
		return
	}
	var v [3]float64
	for i, w := range ol.args {
		f, err := strconv.ParseFloat(w, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > maxComponent {
			c.fail(ol.num, ol.raw, "%q is not a number", w)
			return
		}
		v[i] = f
	}
	if v[2] < 1 {
		c.fail(ol.num, ol.raw, "the map size must be at least 1")
		return
	}
	c.r.Map = &mapArea{X: v[0], Y: v[1], Size: v[2]}
}

// setOption handles o: "o [no|off] <option>" turns a report or play option
// on or off.
func (c *orderCtx) setOption(ol orderLine) {
	args, on := ol.args, true
	if len(args) > 0 && (strings.EqualFold(args[0], "no") || strings.EqualFold(args[0], "off")) {
		args, on = args[1:], false
	}
	if len(args) != 1 {
		c.fail(ol.num, ol.raw, "expected o [no] <option>; the options are %s", optionNames())
		return
	}
	if o, ok := optionByName(args[0]); ok {
		c.r.Options.set(o, on)
		return
	}
	for _, p := range platformOptions {
		if strings.EqualFold(p, args[0]) {
			c.fail(ol.num, ol.raw, "how your reports arrive (text, attachment, link) is set on your account page, not with o")
			return
		}
	}
	c.fail(ol.num, ol.raw, "unknown option %q; the options are %s", args[0], optionNames())
}

// optionNames lists the option names for mistakes.
func optionNames() string {
	names := make([]string, numOptions)
	for o := range numOptions {
		names[o] = options[o].name
	}
	return strings.Join(names, ", ")
}

// quit handles q: the race leaves the game at the end of the turn. The race
// must name itself, so that a stray q cannot end a game.
func (c *orderCtx) quit(ol orderLine) {
	if !c.need(ol, 1, 1, "q <your race name>") {
		return
	}
	if c.st.raceByName(ol.args[0]) != c.ri {
		c.fail(ol.num, ol.raw, "to leave the game, give your own race name: q %s", displayName(c.r.Name))
		return
	}
	c.r.quits = true
	addNews(c.r, "You gave the order to leave the game: your race leaves at the end of this turn.")
}

// platformOrder answers the GalaxyNG orders that the platform, not the
// engine, carries out: y (orders password), z (mail address) and f (a
// race's mail address).
func (c *orderCtx) platformOrder(ol orderLine) {
	switch ol.verb {
	case 'y':
		c.fail(ol.num, ol.raw, "your orders password is set on the game's page on the web site (Orders password); this order changes nothing")
	case 'z':
		c.fail(ol.num, ol.raw, "your mail address is your account's: change it on your account page on the web site; this order changes nothing")
	case 'f':
		c.fail(ol.num, ol.raw, "players' mail addresses are not given out: write to a race with an @ message, or by mail through the relay (#RELAY <game> <race> <password> <to-race>)")
	}
}

// leave removes the races that gave a q order, at the end of the turn: their
// planets are emptied and lose their owner and their ships vanish, as when
// GalaxyNG drops a dead race. GalaxyNG only marks the race with q and drops
// it later; the platform ends the player's membership with the turn, so the
// race goes at once.
func leave(st *state) {
	for ri, r := range st.Races {
		if !r.quits || !r.active() {
			continue
		}
		st.dropRace(ri)
		r.Status, r.LeftAt = statusQuit, st.Turn
		st.Bulletins = append(st.Bulletins, displayName(r.Name)+" left the game.")
	}
}

// dropRace frees race ri's planets and removes its ships, fleets and routes.
// As in GalaxyNG (removeDeadPlayer), its planets are left empty: no
// population, industry or stockpiles; only size and resources remain.
func (s *state) dropRace(ri int) {
	for _, p := range s.Planets {
		if p.Owner == ri {
			p.Owner = noRace
			p.Prod, p.ShipType, p.Progress = prodCAP, "", 0
			p.Pop, p.Ind, p.CAP, p.MAT, p.COL = 0, 0, 0, 0, 0
		}
	}
	r := s.Races[ri]
	r.Groups, r.Fleets, r.Routes = nil, nil, nil
}
