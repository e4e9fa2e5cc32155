package game

// The @ order: messages between races.

import (
	"slices"
	"strings"
)

// pendingMessage collects the lines of an @ message.
type pendingMessage struct {
	line int // of the @ that started it
	raw  string
	to   []int
	text strings.Builder
	cut  bool
}

// startMessage handles @: the lines up to a line holding only "@" are sent to
// the races named, or to everyone when none is named.
func (c *orderCtx) startMessage(ol orderLine) *pendingMessage {
	m := &pendingMessage{line: ol.num, raw: ol.raw}
	names := ol.args
	if rest := strings.TrimPrefix(ol.word, "@"); rest != "" {
		names = append([]string{rest}, names...)
	}
	for _, n := range names {
		o := c.st.raceByName(n)
		switch {
		case o < 0:
			c.fail(ol.num, ol.raw, "there is no race %q to send a message to", n)
		case o != c.ri && !slices.Contains(m.to, o):
			m.to = append(m.to, o)
		}
	}
	if len(names) == 0 {
		for i := range c.st.Races {
			if i != c.ri {
				m.to = append(m.to, i)
			}
		}
	}
	return m
}

// add appends one line of message text.
func (m *pendingMessage) add(line string) {
	if m.cut {
		return
	}
	if m.text.Len()+len(line) > maxMessageLen {
		m.cut = true
		return
	}
	if m.text.Len() > 0 {
		m.text.WriteByte('\n')
	}
	m.text.WriteString(strings.TrimRight(line, " \t"))
}

// deliver puts a message into the recipients' reports.
func (c *orderCtx) deliver(m *pendingMessage, sent *int) {
	if m.cut {
		c.fail(m.line, m.raw, "the message is longer than %d characters and was cut", maxMessageLen)
	}
	if m.text.Len() == 0 {
		return
	}
	if *sent >= maxMessages {
		c.fail(m.line, m.raw, "at most %d messages are sent per turn", maxMessages)
		return
	}
	*sent++
	for _, o := range m.to {
		r := c.st.Races[o]
		if r.Status == statusRemoved {
			continue
		}
		r.Events.Messages = append(r.Events.Messages, Message{From: c.r.Name, Text: m.text.String()})
	}
}
