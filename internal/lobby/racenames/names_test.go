package racenames_test

import (
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
)

func canonical(t *testing.T, name string) string {
	t.Helper()
	key, err := racenames.Canonical(name)
	if err != nil {
		t.Fatalf("Canonical(%q): %v", name, err)
	}
	return key
}

func TestCanonicalCollisions(t *testing.T) {
	t.Parallel()
	// Every name of a group must have the group's key.
	groups := []struct {
		behaviour string
		key       string
		names     []string
	}{
		{"case and digit look-alikes", "vogons", []string{
			"Vogons", "VOGONS", "vogons", "V0gons", "VOG0NS", "Vogon5", "V0G0N5", "vOgOnS",
		}},
		{"Cyrillic and Greek homoglyphs", "vogons", []string{
			"Vоgоns", // Cyrillic о
			"VОGОNS", // Cyrillic О
			"Vοgοns", // Greek ο
			"VΟGΟΝS", // Greek Ο and Ν
			"Ѵogons", // Cyrillic izhitsa
			"Vogonѕ", // Cyrillic dze
			"ꓦꓳꓖꓳꓠꓢ", // Lisu
		}},
		{"compatibility forms", "vogons", []string{
			"ＶＯＧＯＮＳ", // full-width
			"𝐕𝐨𝐠𝐨𝐧𝐬", // mathematical bold
			"𝖵𝗈𝗀𝗈𝗇𝗌", // mathematical sans-serif
		}},
		{"accents and decomposed input", "vogons", []string{
			"Vogöns", "Vógóns", "Vogo\u0308ns", "VOGÖNS", "Vøgøns",
		}},
		{"one, ell, capital i, small i and their homoglyphs", "kiingons", []string{
			"Klingons", "KLINGONS", "K1ingons", "KI1ngons", "Kl1ngons", "Kιingons", "Kӏingons", "Kіingons", "Kǀingons", "Kłingons",
		}},
		{"underscore and hyphen", "star_iords", []string{
			"Star_Lords", "Star-Lords", "star__lords", "STAR-_-LORDS", "5tar_Lord5",
		}},
		{"letter pairs", "mumaks", []string{"Mumaks", "Rnurnaks", "rnumaks", "MUMAKS", "Mumakѕ"}},
		{"rn reads as m", "humans", []string{"Humans", "Hurnans", "HURNANS"}},
		{"Greek capitals", "hexapod", []string{"HEXAPOD", "ΗΕΧΑΡΟD", "hexapod", "Нехаpod"}},
		{"Cyrillic", "cpacex", []string{"Cpacex", "Срасех", "СРАСЕХ", "срасех"}},
		{"vv and w", "wasps", []string{"Wasps", "VVasps", "vvasps", "Ԝasps"}},
		{"sharp s", "strasse", []string{"Straße", "STRASSE", "Strasse", "Straẞe"}},
		{"dotted and dotless i", "vigis", []string{"Vigis", "VİGİS", "Vıgıs", "Vigis"}},
		{"eight and b", "bob", []string{"Bob", "8ob", "BO8", "ВОВ"}},
		{"non-Latin names fold case, and their look-alikes", "дpakoh", []string{"Дракон", "ДРАКОН", "дракон", "ДPAKOH"}},
	}
	for _, g := range groups {
		t.Run(g.behaviour, func(t *testing.T) {
			t.Parallel()
			for _, name := range g.names {
				if got := canonical(t, name); got != g.key {
					t.Errorf("Canonical(%q) = %q, want %q", name, got, g.key)
				}
			}
		})
	}
}

func TestCanonicalDistinct(t *testing.T) {
	t.Parallel()
	// Each pair looks different enough to be two names.
	pairs := [][2]string{
		{"Vogons", "Vogon"},
		{"Vogons", "Vogans"},
		{"Vogons", "Vogonz"},
		{"Vogons", "Vo_gons"},
		{"Vogons", "_Vogons"},
		{"Vogons", "Vogons2"},
		{"Klingons", "Klingon"},
		{"Zorgs", "2orgs"},   // 2 is not folded
		{"Gorgs", "6orgs"},   // nor 6
		{"Borgs", "Bergs"},   // different vowel
		{"Mumaks", "Mumak"},  // length
		{"Дракон", "Драков"}, // Cyrillic names differ by a letter
		{"नमस्ते", "नमस्त"},  // Devanagari marks are kept
		{"Γάτα", "Γατα_"},    // separator counts
		{"Rnnn", "Mmm"},      // "rnnn" is "mnn", not "mmm"
	}
	for _, p := range pairs {
		a, b := canonical(t, p[0]), canonical(t, p[1])
		if a == b {
			t.Errorf("%q and %q share the key %q", p[0], p[1], a)
		}
	}
}

func TestCanonicalIgnoresCase(t *testing.T) {
	t.Parallel()
	for _, name := range []string{
		"Vogons", "Ηλιος", "Дракон", "Ωμέγα", "Γάτα", "Հայեր", "Klingons", "Ѵогонс", "Straße_Kids", "Ꭺꮃꮿ",
	} {
		upper, lower := canonical(t, strings.ToUpper(name)), canonical(t, strings.ToLower(name))
		if upper != lower {
			t.Errorf("%q: upper case key %q, lower case key %q", name, upper, lower)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	valid := []string{
		"Vogons", "abc", "Star_Lords", "star-lords", "R2D2", "ΗΕΧΑΡΟD", "Дракон", "नमस्ते", "火星人们", "한국인",
		"ＶＯＧＯＮＳ", "Zoë", "12345678901234567_x", "Abcdefghijklmnopqrst", "Vogo\u0308ns",
	}
	for _, name := range valid {
		if err := racenames.Validate(name); err != nil {
			t.Errorf("Validate(%q): %v", name, err)
		}
	}
	invalid := []struct {
		behaviour, name, message string
	}{
		{"too short", "ab", "3 to 20 characters"},
		{"empty", "", "3 to 20 characters"},
		{"too long", "Abcdefghijklmnopqrstu", "3 to 20 characters"},
		{"very long", strings.Repeat("a", 10000), "3 to 20 characters"},
		{"space", "Star Lords", "only letters"},
		{"punctuation", "Vogons!", "only letters"},
		{"dot", "Vog.ons", "only letters"},
		{"emoji", "Vogons🚀", "only letters"},
		{"zero-width joiner", "Vog\u200dons", "only letters"},
		{"control character", "Vog\nons", "only letters"},
		{"ideographic space", "Vog\u3000ons", "only letters"},
		{"non-ASCII digits", "Vogons٣", "only letters"},
		{"letter expanding to a space", "\ufc5eabc", "only letters"},
		{"no letter", "12345", "at least one letter"},
		{"separators only", "_-_", "at least one letter"},
		{"invalid UTF-8", "Vog\xffons", "UTF-8"},
		{"leading combining mark", "\u0301abc", "only letters"},
	}
	for _, c := range invalid {
		t.Run(c.behaviour, func(t *testing.T) {
			t.Parallel()
			err := racenames.Validate(c.name)
			e := wantCode(t, err, errs.InvalidArgument)
			if !strings.Contains(e.Message, c.message) {
				t.Errorf("message %q does not say %q", e.Message, c.message)
			}
			if _, err := racenames.Canonical(c.name); errs.CodeOf(err) != errs.InvalidArgument {
				t.Errorf("Canonical accepted what Validate refused: %v", err)
			}
		})
	}
}

func TestDisplayNameIsNFC(t *testing.T) {
	t.Parallel()
	got, err := racenames.DisplayName("Vogo\u0308ns")
	if err != nil {
		t.Fatal(err)
	}
	if got != "Vogöns" {
		t.Fatalf("DisplayName = %q, want the precomposed %q", got, "Vogöns")
	}
}
