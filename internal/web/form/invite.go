package form

import (
	"net/mail"
	"strings"
)

// InviteEmail reads the email field of an invitation: the invitee's account
// address, bare (no display name). It returns the trimmed value and a
// message when it is not an address.
func InviteEmail(value string) (string, string) {
	email := strings.TrimSpace(value)
	if email == "" {
		return "", "Enter the player's email address."
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email {
		return email, "Enter one email address, like player@example.com."
	}
	return email, ""
}
