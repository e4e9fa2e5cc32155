package svg

import (
	"math"
	"testing"
)

func TestAppendNum(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", math.Copysign(0, -1): "0", -0.001: "0", 1: "1", 12.5: "12.5", 0.1: "0.1",
		0.05: "0.05", 3.14159: "3.14", 2.999: "3", -7.25: "-7.25", 1000: "1000",
		123456.789: "123456.79", math.NaN(): "0", math.Inf(-1): "0", 1e20: "100000000000000000000",
	} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestEscapeKeepsXMLValid(t *testing.T) {
	for in, want := range map[string]string{
		`a<b>&"c'`:    "a&lt;b&gt;&amp;&#34;c&#39;",
		"tab\tok":     "tab\tok",
		"bell\x07":    "bell\uFFFD",
		"bad\xffutf8": "bad\uFFFDutf8",
		"Ünïcødé ✓":   "Ünïcødé ✓",
		"\uFFFE":      "\uFFFD",
	} {
		if got := string(appendEscaped(nil, in)); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}
