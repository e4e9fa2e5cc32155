package racenames

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Name length limits, in characters (Unicode code points of the NFC form,
// which is what a player sees as letters for every script we accept).
const (
	MinNameLength = 3
	MaxNameLength = 20
)

// maxNameBytes bounds the work done on hostile input before any
// normalisation: 20 characters of up to 4 bytes, plus room for combining
// marks typed in decomposed form.
const maxNameBytes = 256

// Validate reports whether name may be used as a race name: 3 to 20
// characters, each a letter (of any script, with its combining marks), a
// digit 0-9, '_' or '-', and at least one letter. Compatibility forms count
// as what they stand for, so full-width "Ｖｏｇｏｎｓ" is valid and so is
// "①" (as 1). Names in other scripts are welcome; they are folded like
// Latin ones (see Canonical). The error is an errs.InvalidArgument whose
// message a player can act on.
func Validate(name string) error {
	_, _, err := prepare(name)
	return err
}

// DisplayName returns the form of name the directory stores and shows: the
// name as typed, in Unicode NFC, so that the same letters typed precomposed
// or decomposed are stored alike. It fails like Validate.
func DisplayName(name string) (string, error) {
	display, _, err := prepare(name)
	return display, err
}

// Canonical returns the canonical key of name: the form under which names
// that a player could mistake for one another compare equal. It folds, in
// order:
//
//  1. Unicode compatibility forms (NFKC): full-width, mathematical and
//     circled letters and digits, ligatures;
//  2. case (full Unicode case folding: "ß" is "ss");
//  3. accents on Latin, Greek and Cyrillic letters, and on letters that
//     step 4 turns into Latin ones ("Vogöns" is "Vogons"); marks of other
//     scripts are kept, because there they tell letters apart;
//  4. Greek, Cyrillic, Armenian, Lisu, Cherokee and special Latin letters
//     that look like a Latin letter (see homoglyphs), and the digits and
//     letters told apart only by font: 0=o, 1=l=i (and so I), 5=s, 8=b (see
//     lookalikes);
//  5. the letter pairs "rn" (as m) and "vv" (as w);
//  6. '_' and '-', and runs of them, as one '_'.
//
// So "Vogons", "VOGONS", "V0gons" and "Vоgоns" (Cyrillic о) all have the key
// "vogons". The key is an internal skeleton, not a prettier name:
// "Klingons" has the key "kiingons". Canonical fails like Validate.
func Canonical(name string) (string, error) {
	_, compat, err := prepare(name)
	if err != nil {
		return "", err
	}
	return fold(compat), nil
}

// prepare validates name and returns its display (NFC) and compatibility
// (NFKC) forms.
func prepare(name string) (display, compat string, err error) {
	if len(name) > maxNameBytes {
		return "", "", lengthError()
	}
	if !utf8.ValidString(name) {
		return "", "", errs.E(errs.InvalidArgument, "a race name must be valid UTF-8 text")
	}
	display = norm.NFC.String(name)
	if n := utf8.RuneCountInString(display); n < MinNameLength || n > MaxNameLength {
		return "", "", lengthError()
	}
	// Characters are judged in their compatibility form, where full-width
	// and styled letters become the letters they are, and where the odd
	// "letter" that expands to a space or punctuation shows itself.
	compat = norm.NFKC.String(display)
	letters := 0
	for i, r := range compat {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r >= '0' && r <= '9', r == '_', r == '-':
		case i > 0 && unicode.Is(unicode.M, r):
			// Combining marks belong to the letter before them (accents,
			// Indic vowel signs).
		default:
			return "", "", errs.E(errs.InvalidArgument,
				"a race name may contain only letters, digits 0-9, '_' and '-', and not %q", r).
				WithDetail("character", string(r))
		}
	}
	if letters == 0 {
		return "", "", errs.E(errs.InvalidArgument, "a race name must contain at least one letter")
	}
	return display, compat, nil
}

func lengthError() *errs.Error {
	return errs.E(errs.InvalidArgument, "a race name must be %d to %d characters long", MinNameLength, MaxNameLength).
		WithDetail("min_length", MinNameLength).WithDetail("max_length", MaxNameLength)
}

// fold turns a valid name's NFKC form into its canonical key (steps 2-6 of
// Canonical). fold(fold(x)) == fold(x), so keys can be recomputed safely.
func fold(compat string) string {
	// A Caser keeps state: one per call, never shared between goroutines.
	s := cases.Fold().String(compat)
	var b strings.Builder
	b.Grow(len(s))
	// Decomposed, so that accents are runes of their own. An accent (a
	// nonspacing mark) is dropped after a Latin, Greek or Cyrillic letter,
	// where it is easy to miss and rarely tells two names apart; in other
	// scripts (Devanagari vowel signs, Hebrew points) marks are part of the
	// letters and stay. The script is the one the letter has after the
	// look-alike mapping, so that folding the key again drops nothing more.
	stripMarks := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			if !stripMarks {
				b.WriteRune(r)
			}
			continue
		}
		r = caseless(r)
		if m, ok := skeleton[r]; ok {
			r = m
		}
		stripMarks = unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic)
		b.WriteRune(r)
	}
	s = letterPairs.Replace(b.String())
	return norm.NFC.String(collapseSeparators(s))
}

// caseless returns the one case every case form of r shares. Full case
// folding already did the work for nearly every letter; this also covers
// Cherokee, which Unicode folds to capitals while the folding tables of
// golang.org/x/text turn capitals into small letters, so that the two cases
// of a Cherokee letter would otherwise not meet.
func caseless(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }

// collapseSeparators writes '_' for every run of '_' and '-'.
func collapseSeparators(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prevSep := false
	for _, r := range s {
		if r == '_' || r == '-' {
			if !prevSep {
				b.WriteByte('_')
			}
			prevSep = true
			continue
		}
		prevSep = false
		b.WriteRune(r)
	}
	return b.String()
}
