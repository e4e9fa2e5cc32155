package main

import (
	"crypto/rand"
	"fmt"
)

// nameAlphabet spells run ids and race names. It leaves out the digits and
// letters the Race Name Directory folds together (0/o, 1/l/i, 5/s, 8/b,
// "rn"/m, "vv"/w), so two names built from it never collide.
const nameAlphabet = "acdefghjkptuxyz23479"

// newRunID returns four random letters that keep one run's accounts, race
// names and games apart from another's on a shared platform.
func newRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = nameAlphabet[int(b[i])%len(nameAlphabet)]
	}
	return string(b)
}

// spell writes n in nameAlphabet, at least three characters long.
func spell(n int) string {
	var out []byte
	for len(out) < 3 || n > 0 {
		out = append([]byte{nameAlphabet[n%len(nameAlphabet)]}, out...)
		n /= len(nameAlphabet)
	}
	return string(out)
}

// playerEmail is player i's address: example.com is reserved, so a
// misconfigured platform that really sends mail reaches nobody.
func playerEmail(runID string, i int) string {
	return fmt.Sprintf("loadtest-%s-%04d@example.com", runID, i)
}

// raceName is player i's race: "Ra", the run id and the player's number,
// within the directory's 20 characters for 8,000 players.
func raceName(runID string, i int) string {
	return "Ra" + runID + "x" + spell(i)
}

// gameName names game k of the run.
func gameName(runID string, k int) string {
	return fmt.Sprintf("Load test %s game %d", runID, k+1)
}
