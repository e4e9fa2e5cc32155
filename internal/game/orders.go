package game

import (
	"fmt"
	"strings"
)

// action is an order that runs in a later phase of the turn (loading,
// upgrades, sending, unloading). It holds the group itself, not its number:
// numbers only change at the end of the turn, but splits make new groups.
type action struct {
	line  int
	raw   string
	group *group
	fleet string
	n     int // ships to act on; 0 = the whole group
	cargo cargoKind
	to    int
	// intercept marks an i order: the group may turn after enemies leaving
	// its destination (see interceptPhase).
	intercept bool
}

// orderSet is one race's orders for the phases of the turn.
type orderSet struct {
	race      int
	loads     []action
	upgrades  []action
	sends     []action // s and i orders
	unloads   []action
	renames   []orderLine // n and t, run after every race's other orders
	raceNames []orderLine // c, run last
}

// orderLetters lists the orders, for the mistake about an unknown one.
const orderLetters = "@ = a b c d e f g h i j l m n o p q r s t u v w x y z"

// orderCtx carries what every order handler needs.
type orderCtx struct {
	st  *state
	ri  int
	r   *race
	set *orderSet
}

// applyOrders reads one race's order text: orders that take effect at once
// (designs, production, alliances, renames, routes, breaking, scrapping,
// fleets, claims, messages) are carried out in the order given; the others
// are queued for their phase. Every line that cannot be carried out becomes a
// mistake with its line number; the others still run.
func applyOrders(st *state, ri int, text string) *orderSet {
	c := &orderCtx{st: st, ri: ri, r: st.Races[ri], set: &orderSet{race: ri}}
	lines := splitLines(text)
	if len(lines) > maxOrderLines {
		c.fail(maxOrderLines+1, "", "only the first %d lines of orders are read", maxOrderLines)
		lines = lines[:maxOrderLines]
	}
	var msg *pendingMessage
	sent := 0
	for i, raw := range lines {
		num := i + 1
		if msg != nil {
			if closes, stop := closesMessage(raw); closes {
				c.deliver(msg, &sent)
				msg = nil
				if stop {
					break
				}
				continue
			}
			msg.add(raw)
			continue
		}
		ol, kind := parseLine(num, raw)
		switch kind {
		case lineBlank, lineHeader:
			continue
		case lineBadHash:
			c.fail(num, raw, "unknown line; only #GALAXY and #END may start with '#'")
			continue
		}
		if kind == lineEnd {
			break
		}
		switch ol.verb {
		case '@':
			msg = c.startMessage(ol)
		case 'a':
			c.relation(ol, true)
		case 'w':
			c.relation(ol, false)
		case 'b':
			c.breakGroup(ol)
		case 'd':
			c.design(ol)
		case 'e':
			c.eliminate(ol)
		case 'g':
			c.upgrade(ol)
		case 'j':
			c.joinFleet(ol)
		case 'l':
			c.load(ol)
		case 'p':
			c.production(ol)
		case 'r':
			c.route(ol)
		case 's':
			c.send(ol, false)
		case 'u':
			c.unload(ol)
		case 'v':
			c.claim(ol)
		case 'x':
			c.scrap(ol)
		case 'h':
			c.recall(ol)
		case 'i':
			c.send(ol, true)
		case 't', 'n':
			c.set.renames = append(c.set.renames, ol)
		case 'c':
			c.set.raceNames = append(c.set.raceNames, ol)
		case '=':
			c.realName(ol)
		case 'm':
			c.mapView(ol)
		case 'o':
			c.setOption(ol)
		case 'q':
			c.quit(ol)
		case 'y', 'z', 'f':
			c.platformOrder(ol)
		default:
			c.fail(num, raw, "unknown order %q; orders start with one of %s", ol.word, orderLetters)
		}
	}
	if msg != nil {
		// Everything after an unclosed @ went into the message, which is
		// rarely what the player meant: say so.
		c.fail(msg.line, msg.raw, "the message has no closing line holding only @; every line after it was read as message text")
		c.deliver(msg, &sent)
	}
	return c.set
}

// closesMessage reports whether raw ends an @ message: a line holding only
// @ closes it, #END closes it and stops the orders too.
func closesMessage(raw string) (closes, stop bool) {
	t := strings.TrimSpace(raw)
	if t == "@" {
		return true, false
	}
	if strings.EqualFold(t, "#END") {
		return true, true
	}
	return false, false
}

// forEachOrder calls fn for each order line of text, skipping message text,
// comments, blank lines and everything after #END.
func forEachOrder(text string, fn func(orderLine)) {
	lines := splitLines(text)
	inMessage := false
	for i, raw := range lines[:min(len(lines), maxOrderLines)] {
		if inMessage {
			closes, stop := closesMessage(raw)
			if stop {
				return
			}
			inMessage = !closes
			continue
		}
		ol, kind := parseLine(i+1, raw)
		if kind == lineEnd {
			return
		}
		if kind != lineOrder {
			continue
		}
		inMessage = ol.verb == '@'
		fn(ol)
	}
}

// fail records a mistake. raw, when given, is quoted so the player sees which
// order is meant.
func (c *orderCtx) fail(line int, raw, format string, args ...any) {
	addMistake(c.r, line, raw, fmt.Sprintf(format, args...))
}

// addMistake appends a mistake to a race's report, bounded in number.
func addMistake(r *race, line int, raw, msg string) {
	n := len(r.Events.Mistakes)
	if n > maxMistakes {
		return
	}
	if n == maxMistakes {
		r.Events.Mistakes = append(r.Events.Mistakes, Mistake{Line: line, Message: "too many mistakes; the rest are not listed"})
		return
	}
	if e := echo(raw); e != "" {
		msg = e + ": " + msg
	}
	r.Events.Mistakes = append(r.Events.Mistakes, Mistake{Line: line, Message: msg})
}

// need checks the number of words after the order letter.
func (c *orderCtx) need(ol orderLine, lo, hi int, usage string) bool {
	if len(ol.args) < lo || len(ol.args) > hi {
		c.fail(ol.num, ol.raw, "expected %s", usage)
		return false
	}
	return true
}

// groupArg finds one of the race's groups by the number typed.
func (c *orderCtx) groupArg(ol orderLine, word string) *group {
	n, ok := parseCount(word)
	if !ok {
		c.fail(ol.num, ol.raw, "%q is not a group number", word)
		return nil
	}
	g := c.r.group(n)
	if g == nil {
		c.fail(ol.num, ol.raw, "you have no group %d", n)
	}
	return g
}

// countArg reads the optional ship count at args[i]: 0 means the whole group.
func (c *orderCtx) countArg(ol orderLine, i int, g *group) (int, bool) {
	if i >= len(ol.args) {
		return 0, true
	}
	n, ok := parseCount(ol.args[i])
	if !ok || n == 0 {
		c.fail(ol.num, ol.raw, "%q is not a number of ships", ol.args[i])
		return 0, false
	}
	if g != nil && n > g.Ships {
		c.fail(ol.num, ol.raw, "group %d has only %d ships", g.Num, g.Ships)
		return 0, false
	}
	return n, true
}

// planetArg finds a planet by name or #number.
func (c *orderCtx) planetArg(ol orderLine, word string) int {
	p := c.st.planetByName(word)
	if p < 0 {
		c.fail(ol.num, ol.raw, "there is no planet %q", word)
	}
	return p
}

// ownPlanetArg finds a planet the race owns.
func (c *orderCtx) ownPlanetArg(ol orderLine, word string) int {
	p := c.planetArg(ol, word)
	if p < 0 {
		return p
	}
	if c.st.Planets[p].Owner != c.ri {
		c.fail(ol.num, ol.raw, "planet %s is not yours", displayName(c.st.Planets[p].Name))
		return noRace
	}
	return p
}

// cargoArg reads a cargo kind; emp allows EMP (routes only).
func (c *orderCtx) cargoArg(ol orderLine, word string, emp bool) cargoKind {
	switch strings.ToUpper(word) {
	case "COL":
		return cargoCOL
	case "CAP":
		return cargoCAP
	case "MAT":
		return cargoMAT
	case "EMP":
		if emp {
			return cargoEMP
		}
	}
	if emp {
		c.fail(ol.num, ol.raw, "%q is not a cargo; use COL, CAP, MAT or EMP", word)
	} else {
		c.fail(ol.num, ol.raw, "%q is not a cargo; use COL, CAP or MAT", word)
	}
	return cargoNone
}

// addNews adds a line to a race's own bulletins.
func addNews(r *race, s string) { r.Events.News = append(r.Events.News, s) }
