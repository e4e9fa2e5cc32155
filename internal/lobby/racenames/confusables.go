package racenames

import "strings"

// The confusables tables: which letters a player could take for which. They
// are applied after NFKC, case folding and accent stripping (see
// Canonical), so keys are case-folded runes (skeleton re-keys them by
// caseless), and every value is a lowercase ASCII letter.
//
// The entries follow Unicode's confusables data (UTS #39) for letters that
// a race name may contain, with one decision of ours: a key has only one
// skeleton, while a Greek, Cyrillic or Armenian letter's two cases may look
// like two different Latin letters (Η is H, but η is nearly n). Case
// insensitivity comes first, so each pair gets one value: the Latin letter
// its capital is identical to when there is one (Η, η → h; Ν, ν → n;
// Μ, μ → m), otherwise the one its small letter looks like (γ → y, г → r,
// ω → w). The other resemblance is then not caught; that is the price of
// "VOGONS" and "vogons" always colliding.
//
// Not covered: scripts whose letters resemble Latin ones only rarely or
// that players do not type (Coptic, Warang Citi, Carian, ...), Latin letters
// with strokes or hooks beyond those listed, and look-alikes between two
// non-Latin scripts. Digits 2, 3, 4, 6, 7 and 9 are not folded: they look like
// letters only to leetspeak readers, and folding them would shrink the name
// space for no safety gain.

// homoglyphs maps letters of other scripts, and Latin letters with a
// distinguishing mark that does not decompose, to the Latin letter they
// look like.
var homoglyphs = map[rune]rune{
	// Latin letters that NFD does not split into a letter and an accent,
	// and Latin small capitals.
	'ı': 'i', 'ȷ': 'j', 'ɩ': 'i', 'ɨ': 'i', 'ǀ': 'l', 'ł': 'l',
	'ø': 'o', 'đ': 'd', 'ð': 'd', 'ħ': 'h', 'ŧ': 't', 'ƀ': 'b',
	'ʉ': 'u', 'ɡ': 'g', 'ɑ': 'a', 'ĸ': 'k',
	'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ɢ': 'g',
	'ʜ': 'h', 'ɪ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴍ': 'm',
	'ɴ': 'n', 'ᴏ': 'o', 'ᴘ': 'p', 'ʀ': 'r', 'ᴛ': 't', 'ᴜ': 'u',
	'ᴠ': 'v', 'ᴡ': 'w', 'ʏ': 'y', 'ᴢ': 'z',

	// Greek (case-folded: Α and α are both α).
	'α': 'a', // Α
	'β': 'b', // Β
	'ε': 'e', // Ε
	'ζ': 'z', // Ζ
	'η': 'h', // Η (η alone would be n)
	'ι': 'i', // Ι
	'κ': 'k', // Κ
	'μ': 'm', // Μ (μ alone would be u)
	'ν': 'n', // Ν (ν alone would be v)
	'ο': 'o', // Ο
	'ρ': 'p', // Ρ
	'τ': 't', // Τ
	'υ': 'y', // Υ (υ alone would be u)
	'χ': 'x', // Χ
	'γ': 'y', // γ; Γ resembles no Latin capital
	'ω': 'w', // ω; Ω resembles no Latin capital
	'ϳ': 'j', // Ϳ, ϳ (yot)
	'ϝ': 'f', // Ϝ (digamma)

	// Cyrillic (case-folded).
	'а': 'a', // А
	'в': 'b', // В
	'е': 'e', // Е (and Ё once its diaeresis is stripped)
	'к': 'k', // К
	'м': 'm', // М
	'н': 'h', // Н
	'о': 'o', // О
	'р': 'p', // Р
	'с': 'c', // С
	'т': 't', // Т
	'у': 'y', // У
	'х': 'x', // Х
	'ѕ': 's', // Ѕ (dze)
	'і': 'i', // І (and Ї)
	'ј': 'j', // Ј
	'ӏ': 'i', // Ӏ (palochka)
	'ԛ': 'q', // Ԛ
	'ԝ': 'w', // Ԝ
	'ѵ': 'v', // Ѵ (izhitsa)
	'ү': 'y', // Ү (straight u)
	'ԍ': 'g', // Ԍ (komi sje)
	'һ': 'h', // Һ (shha)
	'ь': 'b', // Ь (soft sign)
	'г': 'r', // г; Г resembles no Latin capital
	'ш': 'w', // ш
	'ԁ': 'd', // ԁ (komi de)
	'ѡ': 'w', // ѡ (omega)
	'ҽ': 'e', // ҽ (abkhasian che)
	'ꙇ': 'i', // ꙇ (iota)

	// Armenian (case-folded).
	'օ': 'o', // Օ
	'ս': 'u', // Ս
	'տ': 's', // Տ
	'լ': 'l', // Լ
	'հ': 'h',
	'ո': 'n',
	'ռ': 'n',
	'ց': 'g',
	'գ': 'q',
	'զ': 'q',
	'ւ': 'i',
	'ք': 'f',
	'ա': 'w',

	// Lisu, an uncased script of Latin-capital shapes.
	'ꓮ': 'a', 'ꓐ': 'b', 'ꓚ': 'c', 'ꓓ': 'd', 'ꓒ': 'd', 'ꓰ': 'e',
	'ꓝ': 'f', 'ꓖ': 'g', 'ꓧ': 'h', 'ꓲ': 'i', 'ꓙ': 'j', 'ꓗ': 'k',
	'ꓡ': 'l', 'ꓟ': 'm', 'ꓠ': 'n', 'ꓳ': 'o', 'ꓑ': 'p', 'ꓣ': 'r',
	'ꓢ': 's', 'ꓔ': 't', 'ꓴ': 'u', 'ꓦ': 'v', 'ꓪ': 'w', 'ꓫ': 'x',
	'ꓬ': 'y', 'ꓜ': 'z',

	// Cherokee, written as capitals (the letters the confusables data
	// lists); the table is keyed by caseless forms, see caseless.
	'Ꭺ': 'a', 'Ᏼ': 'b', 'Ꮟ': 'b', 'Ꮯ': 'c', 'Ꭰ': 'd', 'Ꮷ': 'd',
	'Ꭼ': 'e', 'Ꮐ': 'g', 'Ᏻ': 'g', 'Ꮋ': 'h', 'Ꮒ': 'h', 'Ꭵ': 'i',
	'Ꭻ': 'j', 'Ꮶ': 'k', 'Ꮮ': 'l', 'Ꮇ': 'm', 'Ꮲ': 'p', 'Ꭱ': 'r',
	'Ꮢ': 'r', 'Ꮪ': 's', 'Ꮥ': 's', 'Ꭲ': 't', 'Ꮩ': 'v', 'Ꮃ': 'w',
	'Ꮤ': 'w', 'Ꭹ': 'y', 'Ꮍ': 'y', 'Ꮓ': 'z',
}

// lookalikes merges Latin letters and digits that are told apart only by
// font: 0 and o; 1, l and i (I folds to i); 5 and s; 8 and b.
var lookalikes = map[rune]rune{
	'0': 'o',
	'1': 'i',
	'l': 'i',
	'5': 's',
	'8': 'b',
}

// skeleton is homoglyphs followed by lookalikes, in one table.
var skeleton = func() map[rune]rune {
	m := make(map[rune]rune, len(homoglyphs)+len(lookalikes))
	for k, v := range lookalikes {
		m[k] = v
	}
	for k, v := range homoglyphs {
		if w, ok := lookalikes[v]; ok {
			v = w
		}
		if k = caseless(k); k != v {
			m[k] = v
		}
	}
	return m
}()

// letterPairs folds pairs of Latin letters that read as one: "rn" as m and
// "vv" as w. It runs after the single letters have been folded, so "гn"
// (Cyrillic г) counts as "rn" too.
var letterPairs = strings.NewReplacer("rn", "m", "vv", "w")
