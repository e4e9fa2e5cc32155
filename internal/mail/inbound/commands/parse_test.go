package commands

import (
	"reflect"
	"strings"
	"testing"
)

// lines joins test lines with "\n".
func lines(ls ...string) string { return strings.Join(ls, "\n") }

func TestParseCommands(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		text string
		want []Command
	}{
		{
			name: "orders",
			text: lines("#GALAXY Andromeda Orcs secret", "d Drone 1 0 0 0 0", "p 1 Drone", "#END"),
			want: []Command{{Kind: KindGalaxy, Line: 1, Game: "Andromeda", Race: "Orcs", Password: "secret",
				Body: "d Drone 1 0 0 0 0\np 1 Drone", BodyLine: 2}},
		},
		{
			name: "turn and FINALORDERS in either order, keywords in any case",
			text: lines("#galaxy g Orcs pw finalorders 7", "#End", "#Galaxy g Orcs pw 8 FinalOrders", "#end"),
			want: []Command{
				{Kind: KindGalaxy, Line: 1, Game: "g", Race: "Orcs", Password: "pw", Turn: 7, Final: true, BodyLine: 2},
				{Kind: KindGalaxy, Line: 3, Game: "g", Race: "Orcs", Password: "pw", Turn: 8, Final: true, BodyLine: 4},
			},
		},
		{
			name: "report with and without a turn",
			text: lines("#REPORT g Orcs pw", "#report g Orcs pw 12"),
			want: []Command{
				{Kind: KindReport, Line: 1, Game: "g", Race: "Orcs", Password: "pw"},
				{Kind: KindReport, Line: 2, Game: "g", Race: "Orcs", Password: "pw", Turn: 12},
			},
		},
		{
			name: "relay to a race and to all",
			text: lines("#RELAY g Orcs pw Elves", "Peace?", "", "  -- the Orcs", "#END", "#relay g Orcs pw all", "Hello all", "#END"),
			want: []Command{
				{Kind: KindRelay, Line: 1, Game: "g", Race: "Orcs", Password: "pw", To: "Elves", Body: "Peace?\n\n  -- the Orcs", BodyLine: 2},
				{Kind: KindRelay, Line: 6, Game: "g", Race: "Orcs", Password: "pw", To: ToAll, Body: "Hello all", BodyLine: 7},
			},
		},
		{
			name: "quoted arguments hold spaces; tabs separate",
			text: lines("#GALAXY \"Andromeda Rising\"\t\"Orc Horde\"  \"pass word\"\t3", "#END",
				"#RELAY “Andromeda Rising” Orcs pw \"Elven Kingdom\"", "hi", "#END"),
			want: []Command{
				{Kind: KindGalaxy, Line: 1, Game: "Andromeda Rising", Race: "Orc Horde", Password: "pass word", Turn: 3, BodyLine: 2},
				{Kind: KindRelay, Line: 3, Game: "Andromeda Rising", Race: "Orcs", Password: "pw", To: "Elven Kingdom", Body: "hi", BodyLine: 4},
			},
		},
		{
			name: "body keeps tabs, trailing spaces and lines starting with #",
			text: lines("#GALAXY g r p", "\tp 1 Drone  ", "#FOO stays for the game to judge", "#ENDING is not the end", "#END"),
			want: []Command{{Kind: KindGalaxy, Line: 1, Game: "g", Race: "r", Password: "p",
				Body: "\tp 1 Drone  \n#FOO stays for the game to judge\n#ENDING is not the end", BodyLine: 2}},
		},
		{
			name: "#END may be indented and followed by words",
			text: lines("#GALAXY g r p", "o", "   #END of my orders"),
			want: []Command{{Kind: KindGalaxy, Line: 1, Game: "g", Race: "r", Password: "p", Body: "o", BodyLine: 2}},
		},
		{
			name: "quoted lines inside a body become empty lines",
			text: lines("#GALAXY g r p", "a", "> quoted", "b", "#END"),
			want: []Command{{Kind: KindGalaxy, Line: 1, Game: "g", Race: "r", Password: "p", Body: "a\n\nb", BodyLine: 2}},
		},
		{
			name: "CRLF and lone CR end lines",
			text: "Hi\r\n#GALAXY g r p\r\na\rb\r\n#END\r\n",
			want: []Command{{Kind: KindGalaxy, Line: 2, Game: "g", Race: "r", Password: "p", Body: "a\nb", BodyLine: 3}},
		},
		{
			name: "free text around commands is ignored",
			text: lines("Hello GM,", "# Heading", "#1 priority: win", "here are my orders:", "#REPORT g r p", "thanks!"),
			want: []Command{{Kind: KindReport, Line: 5, Game: "g", Race: "r", Password: "p"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := Parse(c.text)
			if len(res.Mistakes) != 0 {
				t.Errorf("mistakes: %+v", res.Mistakes)
			}
			if !reflect.DeepEqual(res.Commands, c.want) {
				t.Errorf("commands\n got %+v\nwant %+v", res.Commands, c.want)
			}
		})
	}
}

func TestParseMistakes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		text     string
		commands int // commands still read
		line     int
		message  string // a part of the first mistake
	}{
		{"unknown keyword", lines("hi", "#FOO bar"), 0, 2, "unknown command #FOO"},
		{"unknown keyword in any case", lines("#Reprt g r p"), 0, 1, "unknown command #Reprt"},
		{"galaxy without arguments", "#GALAXY\n#END", 0, 1, "#GALAXY needs <game> <race> <password>: <game> <race> <password> are missing"},
		{"galaxy without password", "#GALAXY g r\n#END", 0, 1, "<password> is missing"},
		{"report without race", "#REPORT g", 0, 1, "#REPORT needs <game> <race> <password>: <race> <password> are missing"},
		{"relay without target", "#RELAY g r p\nhi\n#END", 0, 1, "#RELAY needs a target"},
		{"relay with too many words", "#RELAY g r p Elven Kingdom\nhi\n#END", 0, 1, "nothing may follow the target"},
		{"turn zero", "#GALAXY g r p 0\n#END", 0, 1, "turn 0 is not a positive whole number"},
		{"negative turn", "#REPORT g r p -3", 0, 1, "turn -3 is not a positive whole number"},
		{"fractional turn", "#REPORT g r p 2.5", 0, 1, "turn 2.5 is not"},
		{"huge turn", "#REPORT g r p 12345678901234567890", 0, 1, "turn 123456789012... is not"},
		{"two turns", "#GALAXY g r p 3 4\n#END", 0, 1, "only one turn"},
		{"a word that is no turn is not echoed", "#GALAXY g r p hunter2\n#END", 0, 1, "argument 4 is neither a turn"},
		{"FINALORDERS on a report", "#REPORT g r p FINALORDERS", 0, 1, "argument 4 is not a turn"},
		{"empty quoted argument", "#REPORT \"\" r p", 0, 1, "<game> is empty"},
		{"unclosed quote", "#REPORT \"Andromeda Rising r p", 0, 1, "no closing quote"},
		{"quote glued to a word", "#REPORT \"Andromeda\"Rising r p", 0, 1, "closing quote must be followed by a space"},
		{"stray #END", "hello\n#END", 0, 2, "#END without a #GALAXY or #RELAY"},
		{"no #END at the end", "#GALAXY g r p\no\n", 0, 1, "#GALAXY at line 1 has no #END"},
		{"no #END before the signature", "#RELAY g r p Elves\nhi\n-- \n#END", 0, 1, "#RELAY at line 1 has no #END before the signature at line 3"},
		{"a new header inside a block", "#GALAXY g r p\no\n#RELAY g r p x\nhi\n#END", 1, 1, "#GALAXY at line 1 has no #END"},
		{"a bad header still owns its #END", "#GALAXY g r p 0\no\n#END\n#REPORT g r p", 1, 1, "turn 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := Parse(c.text)
			if len(res.Commands) != c.commands {
				t.Errorf("%d commands, want %d: %+v", len(res.Commands), c.commands, res.Commands)
			}
			if len(res.Mistakes) == 0 {
				t.Fatalf("no mistake, want line %d %q", c.line, c.message)
			}
			m := res.Mistakes[0]
			if m.Line != c.line || !strings.Contains(m.Message, c.message) {
				t.Errorf("mistake %+v, want line %d with %q", m, c.line, c.message)
			}
			if len(res.Mistakes) != 1 {
				t.Errorf("want one mistake, got %+v", res.Mistakes)
			}
			if strings.Contains(m.Message, "hunter2") {
				t.Errorf("mistake %q echoes a word that may be a password", m.Message)
			}
		})
	}
}

func TestParseSignature(t *testing.T) {
	t.Parallel()
	for _, sig := range []string{"-- ", "--", "-- \r"} {
		res := Parse("#REPORT g r p\n" + sig + "\n#REPORT g r p2\n#FOO")
		if len(res.Commands) != 1 || len(res.Mistakes) != 0 {
			t.Errorf("signature %q: %+v", sig, res)
		}
	}
	// Not signatures: these are read on.
	for _, notSig := range []string{"---", "-- x", " -- ", "--  "} {
		res := Parse("#REPORT g r p\n" + notSig + "\n#REPORT g r p2")
		if len(res.Commands) != 2 {
			t.Errorf("line %q ended the mail: %+v", notSig, res)
		}
	}
	// A quoted signature (of the mail replied to) does not end this one.
	if res := Parse("> -- \n> GM\n#REPORT g r p"); len(res.Commands) != 1 {
		t.Errorf("quoted signature ended the mail: %+v", res)
	}
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	t.Run("at most MaxCommands commands", func(t *testing.T) {
		t.Parallel()
		text := strings.Repeat("#REPORT g r p\n", MaxCommands+5)
		res := Parse(text)
		if len(res.Commands) != MaxCommands {
			t.Errorf("%d commands", len(res.Commands))
		}
		if len(res.Mistakes) != 1 || res.Mistakes[0].Line != MaxCommands+1 {
			t.Errorf("mistakes %+v, want one at line %d", res.Mistakes, MaxCommands+1)
		}
	})
	t.Run("mistakes are bounded", func(t *testing.T) {
		t.Parallel()
		res := Parse(strings.Repeat("#END\n", 1000))
		if len(res.Mistakes) != maxMistakes+1 {
			t.Fatalf("%d mistakes", len(res.Mistakes))
		}
		if last := res.Mistakes[maxMistakes]; !strings.Contains(last.Message, "too many mistakes") {
			t.Errorf("last mistake %+v", last)
		}
	})
}

func TestParseRealisticMails(t *testing.T) {
	t.Parallel()
	t.Run("a reply quoting the previous report, with a signature", func(t *testing.T) {
		t.Parallel()
		text := strings.Join([]string{
			"Here are my orders for next turn.", // 1
			"",                                  // 2
			"#GALAXY \"Andromeda Rising\" Orcs s3cret FinalOrders", // 3
			"; build more drones", // 4
			"p Homeworld Drone",   // 5
			"s 3 Mars",            // 6
			"#END",                // 7
			"",                    // 8
			"#RELAY \"Andromeda Rising\" Orcs s3cret Elves", // 9
			"Shall we split the Mars system?",               // 10
			"#END",                                          // 11
			"",                                              // 12
			"On Tue, 3 Jun 2025, Galaxy wrote:",             // 13
			"> #GALAXY \"Andromeda Rising\" Orcs s3cret 4", // 14
			"> ", // 15
			">        Andromeda Rising Turn 4 Report for Orcs", // 16
			"> #END",                       // 17
			"",                             // 18
			"-- ",                          // 19
			"Grok, Warlord of the Orcs",    // 20
			"#GALAXY sig should not count", // 21
		}, "\r\n")
		res := Parse(text)
		if len(res.Mistakes) != 0 {
			t.Fatalf("mistakes %+v", res.Mistakes)
		}
		want := []Command{
			{Kind: KindGalaxy, Line: 3, Game: "Andromeda Rising", Race: "Orcs", Password: "s3cret", Final: true,
				Body: "; build more drones\np Homeworld Drone\ns 3 Mars", BodyLine: 4},
			{Kind: KindRelay, Line: 9, Game: "Andromeda Rising", Race: "Orcs", Password: "s3cret", To: "Elves",
				Body: "Shall we split the Mars system?", BodyLine: 10},
		}
		if !reflect.DeepEqual(res.Commands, want) {
			t.Errorf("got  %+v\nwant %+v", res.Commands, want)
		}
	})
	t.Run("orders ended by the client's signature", func(t *testing.T) {
		t.Parallel()
		text := "#GALAXY g Orcs pw\n\tp 1 Drone\n\n-- \nSent from my phone\n"
		res := Parse(text)
		if len(res.Commands) != 0 || len(res.Mistakes) != 1 || res.Mistakes[0].Line != 1 ||
			!strings.Contains(res.Mistakes[0].Message, "before the signature at line 4") {
			t.Errorf("%+v", res)
		}
	})
	t.Run("several commands in several games", func(t *testing.T) {
		t.Parallel()
		text := lines("#REPORT g1 Orcs a", "#GALAXY g2 Elves b 5", "p 1 Cruiser", "#END", "#REPORT g3 Men c 2", "#FOO", "#GALAXY g4 Dwarves d")
		res := Parse(text)
		var got []string
		for _, c := range res.Commands {
			got = append(got, c.Kind+":"+c.Game)
		}
		if strings.Join(got, ",") != "report:g1,galaxy:g2,report:g3" {
			t.Errorf("commands %v", got)
		}
		want := []Mistake{
			{Line: 6, Message: "unknown command #FOO; the commands are #GALAXY, #REPORT, #RELAY and #END"},
			{Line: 7, Message: "#GALAXY at line 7 has no #END"},
		}
		if !reflect.DeepEqual(res.Mistakes, want) {
			t.Errorf("mistakes %+v", res.Mistakes)
		}
	})
	t.Run("empty and blank mails hold nothing", func(t *testing.T) {
		t.Parallel()
		for _, text := range []string{"", "\n\n", "just words\n> quoted #GALAXY g r p\n"} {
			if res := Parse(text); len(res.Commands)+len(res.Mistakes) != 0 {
				t.Errorf("Parse(%q) = %+v", text, res)
			}
		}
	})
}
