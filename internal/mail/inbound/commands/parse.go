package commands

import (
	"fmt"
	"strings"
	"unicode"
)

// parser is the state of one Parse.
type parser struct {
	res  Result
	open *block // the #GALAXY or #RELAY waiting for its #END
	done bool   // the command limit was reached: nothing more is read
}

// block is an open #GALAXY or #RELAY and the body read so far. A block
// whose header was wrong still swallows its body up to #END, so that the
// player hears about the header once, not about a stray #END too.
type block struct {
	kw   string
	cmd  Command
	ok   bool
	body []string
}

// Parse reads the commands in the text of a mail. Commands come out in the
// order written; each problem is a Mistake, and a command with a problem
// in its header, or without its #END, is not returned.
func Parse(text string) Result {
	var p parser
	num := 0
	for i := 0; i < len(text) && !p.done; {
		var line string
		line, i = lineAt(text, i)
		num++
		if isQuoted(line) {
			if p.open != nil {
				p.open.body = append(p.open.body, "") // keeps body lines aligned with mail lines
			}
			continue
		}
		if isSignature(line) {
			p.unterminated(fmt.Sprintf(" before the signature at line %d", num))
			return p.res
		}
		p.line(num, line)
	}
	p.unterminated("")
	return p.res
}

// line reads one line that is neither quoted nor the signature.
func (p *parser) line(num int, line string) {
	kw := keyword(line)
	if p.open != nil {
		switch {
		case kw == kwEnd:
			p.close()
			return
		case isHeader(kw):
			p.unterminated("")
		default:
			p.open.body = append(p.open.body, line)
			return
		}
	}
	switch {
	case kw == kwEnd:
		p.mistake(num, "#END without a #GALAXY or #RELAY before it")
	case isHeader(kw):
		p.header(num, kw, line)
	default:
		if w, _ := firstWord(line); looksLikeKeyword(w) {
			p.mistake(num, fmt.Sprintf("unknown command %s; the commands are #GALAXY, #REPORT, #RELAY and #END", shorten(w)))
		}
	}
}

// header starts a command.
func (p *parser) header(num int, kw, line string) {
	c, problem := parseHeader(kw, line)
	if problem == "" && len(p.res.Commands) >= MaxCommands {
		p.mistake(num, fmt.Sprintf("only %d commands are read from one mail; this one and any after it are not", MaxCommands))
		p.done = true
		return
	}
	if problem != "" {
		p.mistake(num, problem)
	}
	c.Line = num
	if kw == kwReport {
		if problem == "" {
			p.res.Commands = append(p.res.Commands, c)
		}
		return
	}
	c.BodyLine = num + 1
	p.open = &block{kw: kw, cmd: c, ok: problem == ""}
}

// close ends the open block at its #END.
func (p *parser) close() {
	b := p.open
	p.open = nil
	if !b.ok {
		return
	}
	b.cmd.Body = strings.Join(b.body, "\n")
	p.res.Commands = append(p.res.Commands, b.cmd)
}

// unterminated reports an open block that will get no #END and drops it:
// orders cut short must not be stored as if complete.
func (p *parser) unterminated(where string) {
	b := p.open
	if b == nil {
		return
	}
	p.open = nil
	if b.ok {
		p.mistake(b.cmd.Line, fmt.Sprintf("%s at line %d has no #END%s", b.kw, b.cmd.Line, where))
	}
}

// mistake records a problem, bounded in number like the game's.
func (p *parser) mistake(line int, msg string) {
	n := len(p.res.Mistakes)
	switch {
	case n > maxMistakes:
	case n == maxMistakes:
		p.res.Mistakes = append(p.res.Mistakes, Mistake{Line: line, Message: "too many mistakes; the rest are not listed"})
	default:
		p.res.Mistakes = append(p.res.Mistakes, Mistake{Line: line, Message: msg})
	}
}

// looksLikeKeyword reports a word a player meant as a command: '#' and a
// letter. "#1" or "# Title" are ordinary text.
func looksLikeKeyword(w string) bool {
	if len(w) < 2 || w[0] != '#' {
		return false
	}
	r := []rune(w[1:])[0]
	return unicode.IsLetter(r)
}

// shorten keeps echoed words short.
func shorten(w string) string {
	if r := []rune(w); len(r) > 30 {
		return string(r[:30]) + "..."
	}
	return w
}
