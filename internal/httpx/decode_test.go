package httpx

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// TestDecodeJSONNamesTheField pins the strict door: each bad body is
// invalid_argument with the field and the reason, in words, never Go's.
func TestDecodeJSONNamesTheField(t *testing.T) {
	t.Parallel()
	type inner struct {
		Label string `json:"label"`
		Note  string `json:"note,omitempty"`
	}
	type body struct {
		Name     string         `json:"name"`
		N        int            `json:"n"`
		When     *time.Time     `json:"when,omitempty"`
		Inner    *inner         `json:"inner,omitempty"`
		Tags     []string       `json:"tags,omitempty"`
		Settings map[string]any `json:"settings,omitempty"`
	}
	cases := []struct {
		name, in      string
		field, reason string
		notIn         []string // phrases of Go internals the message must not hold
	}{
		{"an escaped NUL in a value", `{"name":"a\u0000b","n":1}`, "name", "nul_character", nil},
		{"a NUL in a nested value", `{"name":"a","n":1,"inner":{"label":"x\u0000"}}`, "inner.label", "nul_character", nil},
		{"a NUL in a list", `{"name":"a","n":1,"tags":["ok","b\u0000"]}`, "tags", "nul_character", nil},
		{"a NUL in a free-form object", `{"name":"a","n":1,"settings":{"k":"\u0000"}}`, "settings.k", "nul_character", nil},
		{"a NUL in a key", `{"name":"a","n":1,"settings":{"k\u0000":1}}`, "settings (a key)", "nul_character", nil},
		{"invalid UTF-8 in a value", "{\"name\":\"a\xffb\",\"n\":1}", "name", "invalid_utf8", nil},
		{"invalid UTF-8 in a nested value", "{\"name\":\"a\",\"n\":1,\"inner\":{\"label\":\"\xc3\x28\"}}", "inner.label", "invalid_utf8", nil},
		{"a missing required field", `{"n":1}`, "name", "required", nil},
		{"a missing nested required field", `{"name":"a","n":1,"inner":{"note":"x"}}`, "inner.label", "required", nil},
		{"a string for a number", `{"name":"a","n":"one"}`, "n", "wrong_type", []string{"int", "Go"}},
		{"a bad time", `{"name":"a","n":1,"when":"tomorrow"}`, "when", "invalid_value", []string{"parsing time", "cannot parse"}},
		{"an unknown field", `{"name":"a","n":1,"extra":true}`, "extra", "unknown_field", []string{"json:"}},
		{"malformed JSON", `{"name":"a",`, "", "malformed_json", []string{"invalid character", "json:"}},
		{"not an object", `[1,2]`, "", "wrong_type", []string{"Go value"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var b body
			err := DecodeJSON(httptest.NewRequest(http.MethodPost, "/", strings.NewReader(c.in)), &b)
			var e *errs.Error
			if !errors.As(err, &e) || e.Code != errs.InvalidArgument {
				t.Fatalf("want invalid_argument, got %v", err)
			}
			if f, _ := e.Details["field"].(string); f != c.field {
				t.Errorf("field %q, want %q (%s)", f, c.field, e.Message)
			}
			if r, _ := e.Details["reason"].(string); r != c.reason {
				t.Errorf("reason %q, want %q (%s)", r, c.reason, e.Message)
			}
			for _, bad := range append(c.notIn, "apigen", "httpx", "reflect", "strconv") {
				if strings.Contains(e.Message, bad) {
					t.Errorf("message leaks %q: %s", bad, e.Message)
				}
			}
		})
	}
	t.Run("a well-formed body with every optional field absent", func(t *testing.T) {
		t.Parallel()
		var b body
		if err := DecodeJSON(httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"name":"ok","n":0}`)), &b); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("non-ASCII text passes untouched", func(t *testing.T) {
		t.Parallel()
		var b body
		if err := DecodeJSON(httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"name":"銀河帝国 ✦ \ud83d\ude80","n":1}`)), &b); err != nil || b.Name != "銀河帝国 ✦ 🚀" {
			t.Fatalf("%q %v", b.Name, err)
		}
	})
}

// FuzzDecodeJSON: whatever the body, the strict decoder answers nil or a
// contract error (never a panic, never a code outside the table), and a
// body it accepts holds no NUL.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"name":"a","n":1}`, `{"name":"a\u0000"}`, "{\"name\":\"\xff\"}", `[]`, `{"inner":{"label":"x"}}`, ``, `{"n":1e400}`} {
		f.Add([]byte(s))
	}
	type inner struct {
		Label string `json:"label"`
	}
	type body struct {
		Name  string            `json:"name"`
		N     int               `json:"n,omitempty"`
		Inner *inner            `json:"inner,omitempty"`
		Map   map[string]string `json:"map,omitempty"`
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var b body
		err := DecodeJSONBytes(raw, &b)
		if err != nil {
			var e *errs.Error
			if !errors.As(err, &e) || !e.Code.Known() {
				t.Fatalf("not a contract error: %v", err)
			}
			return
		}
		if strings.ContainsRune(b.Name, 0) || (b.Inner != nil && strings.ContainsRune(b.Inner.Label, 0)) {
			t.Fatalf("accepted a NUL: %q", raw)
		}
		for k, v := range b.Map {
			if strings.ContainsRune(k+v, 0) {
				t.Fatalf("accepted a NUL in the map: %q", raw)
			}
		}
	})
}

func TestDecodeJSONEmbeddedStructs(t *testing.T) {
	t.Parallel()
	type base struct {
		A int `json:"a,omitempty"`
		B int `json:"b"`
	}
	type outer struct {
		base
		C string `json:"c,omitempty"`
	}
	var o outer
	if err := DecodeJSONBytes([]byte(`{"b":1,"c":"x"}`), &o); err != nil || o.B != 1 || o.C != "x" {
		t.Fatalf("%+v %v", o, err)
	}
	if err := DecodeJSONBytes([]byte(`{"c":"x"}`), &o); errs.CodeOf(err) != errs.InvalidArgument || !strings.Contains(err.Error(), "b is required") {
		t.Fatalf("an embedded required field: %v", err)
	}
}
