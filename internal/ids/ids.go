// Package ids makes the platform's opaque identifiers: a short prefix that
// says what the id names ("usr_", "gam_" ...) and 96 random bits, hex-encoded.
package ids

import (
	"crypto/rand"
	"encoding/hex"
)

// New returns prefix followed by 96 random bits in hex.
func New(prefix string) string {
	var b [12]byte
	// crypto/rand.Read never fails on supported platforms (Go 1.24+).
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
