package form

import (
	"strings"
	"testing"
)

func TestRaceName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want, wantErr string
	}{
		{"Vogons", "Vogons", ""},
		{"  Space_Elves-2 ", "Space_Elves-2", ""},
		{"Ｖｏｇｏｎｓ", "Ｖｏｇｏｎｓ", ""}, // full-width letters are letters
		{"Zoë", "Zoë", ""},
		{"Zoe\u0308", "Zoe\u0308", ""}, // a combining mark after its letter
		{"Элронды", "Элронды", ""},
		{"", "", "Choose"},
		{"   ", "", "Choose"},
		{"Vo", "Vo", "3 to 20"},
		{strings.Repeat("a", 21), strings.Repeat("a", 21), "3 to 20"},
		{"Space Elves", "Space Elves", "no spaces"},
		{"Vog;ons", "Vog;ons", "';'"},
		{"1234", "1234", "one letter"},
		{"__-", "__-", "one letter"},
	}
	for _, c := range cases {
		got, msg := RaceName(c.in)
		if got != c.want {
			t.Errorf("RaceName(%q) name = %q, want %q", c.in, got, c.want)
		}
		if (c.wantErr == "") != (msg == "") || !strings.Contains(msg, c.wantErr) {
			t.Errorf("RaceName(%q) message = %q, want it to mention %q", c.in, msg, c.wantErr)
		}
	}
}
