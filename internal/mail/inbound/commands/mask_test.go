package commands

import "testing"

func TestMaskPasswords(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"galaxy", "#GALAXY g Orcs secret 5\np 1 x\n#END", "#GALAXY g Orcs ******** 5\np 1 x\n#END"},
		{"report in lower case", "#report g Orcs secret", "#report g Orcs ********"},
		{"relay", "#RELAY g Orcs secret Elves\nhi secret\n#END", "#RELAY g Orcs ******** Elves\nhi secret\n#END"},
		{"quoted arguments", "#GALAXY \"Andromeda Rising\" \"Orc Horde\" \"my pass\" FINALORDERS", "#GALAXY \"Andromeda Rising\" \"Orc Horde\" ******** FINALORDERS"},
		{"quoted reply lines", "> > #GALAXY g Orcs secret\n>>#REPORT g Orcs secret2", "> > #GALAXY g Orcs ********\n>>#REPORT g Orcs ********"},
		{"malformed headers with three arguments", "#GALAXY g Orcs secret 0 junk\n#RELAY g Orcs secret", "#GALAXY g Orcs ******** 0 junk\n#RELAY g Orcs ********"},
		{"unclosed quote masks the rest", "#REPORT \"g Orcs secret", "#REPORT ********"},
		{"glued quote masks the rest", "#REPORT \"g\"x Orcs secret", "#REPORT ********"},
		{"fewer than three arguments stay", "#GALAXY g Orcs\n#END", "#GALAXY g Orcs\n#END"},
		{"indented, tabs and CRLF kept", "  #GALAXY\tg\tOrcs\tsecret\r\n\tp 1\rx\r\n", "  #GALAXY\tg\tOrcs\t********\r\n\tp 1\rx\r\n"},
		{"inside bodies and after signatures too", "#RELAY g r p all\n#REPORT g r secret\n#END\n-- \n#REPORT g r secret", "#RELAY g r ******** all\n#REPORT g r ********\n#END\n-- \n#REPORT g r ********"},
		{"not a header", "#GALAXYX g r secret\nthe #GALAXY g r secret", "#GALAXYX g r secret\nthe #GALAXY g r secret"},
		{"no trailing newline, empty text", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := MaskPasswords(c.in); got != c.want {
				t.Errorf("MaskPasswords(%q)\n = %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}
