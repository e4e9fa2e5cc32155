package racenames

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestSkeletonTable(t *testing.T) {
	t.Parallel()
	for k, v := range skeleton {
		if caseless(k) != k {
			t.Errorf("%q (%U) is not in caseless form: fold never looks it up", k, k)
		}
		if norm.NFD.String(string(k)) != string(k) || norm.NFKC.String(string(k)) != string(k) {
			t.Errorf("%q (%U) does not survive NFKC and NFD: fold never sees it", k, k)
		}
		if !unicode.IsLetter(k) && (k < '0' || k > '9') {
			t.Errorf("%q (%U) can never appear in a valid name", k, k)
		}
		if v < 'a' || v > 'z' {
			t.Errorf("%q maps to %q, not a lowercase ASCII letter", k, v)
		}
		if w, ok := skeleton[v]; ok {
			t.Errorf("%q maps to %q, which maps on to %q: the table is not one step", k, v, w)
		}
	}
	// Two cases of a letter listed apart must agree.
	seen := map[rune]rune{}
	for k, v := range homoglyphs {
		if w, ok := lookalikes[v]; ok {
			v = w
		}
		if prev, ok := seen[caseless(k)]; ok && prev != v {
			t.Errorf("%q (%U) maps to %q, but another case of it to %q", k, k, v, prev)
		}
		seen[caseless(k)] = v
	}
}

// foldSamples are names in many scripts and forms.
var foldSamples = []string{
	"Vogons", "VOGONS", "V0gons", "Vоgоns", "ＶＯＧＯＮＳ", "𝐕𝐨𝐠𝐨𝐧𝐬", "Straße", "Straẞe", "VİGİS",
	"Rnurnaks", "vvvv", "rrnn", "Ꭺꮃꮿ", "ᎪᏃᏯ", "Дракон", "Ωμέγα", "नमस्ते", "火星人们", "한국인",
	"Star-_-Lords", "Zoë", "ǅemals", "ﬃcient", "Ǉudi", "Hurnans", "ꓦꓳꓖꓳꓠꓢ", "Հայեր", "ΐΰΐ",
}

func TestFoldIsIdempotent(t *testing.T) {
	t.Parallel()
	for _, name := range foldSamples {
		_, compat, err := prepare(name)
		if err != nil {
			t.Fatalf("prepare(%q): %v", name, err)
		}
		key := fold(compat)
		if again := fold(norm.NFKC.String(key)); again != key {
			t.Errorf("%q: key %q folds again to %q", name, key, again)
		}
	}
}

// FuzzCanonical checks, for any input, that Canonical does not panic, that
// a valid name has a non-empty key without separators runs, that the key is
// stable under folding again, and that upper and lower case agree.
func FuzzCanonical(f *testing.F) {
	for _, s := range foldSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		key, err := Canonical(name)
		if err != nil {
			return
		}
		if key == "" || strings.Contains(key, "__") || strings.ContainsRune(key, '-') {
			t.Fatalf("Canonical(%q) = %q", name, key)
		}
		if again := fold(norm.NFKC.String(key)); again != key {
			t.Fatalf("Canonical(%q) = %q, which folds again to %q", name, key, again)
		}
		if upper, err := Canonical(strings.ToUpper(name)); err == nil && upper != key {
			t.Fatalf("Canonical(%q) = %q but its upper case gives %q", name, key, upper)
		}
		if lower, err := Canonical(strings.ToLower(name)); err == nil && lower != key {
			t.Fatalf("Canonical(%q) = %q but its lower case gives %q", name, key, lower)
		}
	})
}
