package form

import (
	"strings"
	"testing"
)

func TestInviteEmail(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want, wantErr string }{
		{"player@example.com", "player@example.com", ""},
		{"  player@example.com ", "player@example.com", ""},
		{"", "", "Enter"},
		{"player", "player", "one email"},
		{"Player <player@example.com>", "Player <player@example.com>", "one email"},
		{"a@example.com, b@example.com", "a@example.com, b@example.com", "one email"},
	}
	for _, c := range cases {
		got, msg := InviteEmail(c.in)
		if got != c.want || (c.wantErr == "") != (msg == "") || !strings.Contains(msg, c.wantErr) {
			t.Errorf("InviteEmail(%q) = %q, %q; want %q and a message with %q", c.in, got, msg, c.want, c.wantErr)
		}
	}
}
