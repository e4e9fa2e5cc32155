package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// MaxBodyBytes is the contract's limit on request bodies (1 MiB).
const MaxBodyBytes = 1 << 20

// DecodeJSON reads exactly one JSON object from r's body into dst, the
// strict door every body passes:
//
//   - a body over MaxBodyBytes is payload_too_large;
//   - an empty body, malformed JSON, trailing data, invalid UTF-8, a NUL
//     character in any string, an unknown field, a value of the wrong type
//     and a missing required field are invalid_argument, naming the field
//     (details.field) and saying why (details.reason) in words a person
//     understands.
//
// Required fields are those of dst's struct types without `omitempty` in
// their json tag: the generated API models mark optional fields so.
func DecodeJSON(r *http.Request, dst any) error {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBodyBytes))
	if err != nil {
		if maxErr := (*http.MaxBytesError)(nil); errors.As(err, &maxErr) {
			return errs.E(errs.PayloadTooLarge, "the request body exceeds %d bytes", MaxBodyBytes).
				WithDetail("limit_bytes", MaxBodyBytes)
		}
		return errs.E(errs.InvalidArgument, "the request body could not be read")
	}
	return DecodeJSONBytes(raw, dst)
}

// DecodeJSONBytes is DecodeJSON over a body already read.
func DecodeJSONBytes(raw []byte, dst any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return errs.E(errs.InvalidArgument, "the request body is empty; a JSON object is required").WithDetail("reason", "empty")
	}
	if err := checkStrings(raw); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, raw, dst)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errs.E(errs.InvalidArgument, "the body must hold a single JSON object, with nothing after it").
			WithDetail("reason", "trailing_data")
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) == nil {
		if missing := missingRequired(reflect.TypeOf(dst), fields, ""); missing != "" {
			return errs.E(errs.InvalidArgument, "%s is required", missing).
				WithDetail("field", missing).WithDetail("reason", "required")
		}
	}
	return nil
}

// checkStrings refuses invalid UTF-8 and NUL characters (raw or escaped as
// \u0000) in any key or string value, naming the field: PostgreSQL cannot
// store either in text, and neither belongs in a name or an order.
func checkStrings(raw []byte) error {
	bad := -1 // offset of the first invalid UTF-8 sequence
	if !utf8.Valid(raw) {
		for i := 0; i < len(raw); {
			r, n := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && n <= 1 {
				bad = i
				break
			}
			i += n
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var path []string // keys and array positions down to the current value
	var inObject []bool
	expectKey := false
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil //nolint:nilerr // malformed JSON: the decoder proper says so, with its offset
		}
		after := dec.InputOffset()
		field := joinPath(path)
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				inObject = append(inObject, t == '{')
				path = append(path, "")
				expectKey = t == '{'
				continue
			default:
				inObject = inObject[:len(inObject)-1]
				path = path[:len(path)-1]
			}
		case string:
			if expectKey {
				path[len(path)-1] = t
				if bad >= int(before) && bad < int(after) || strings.ContainsRune(t, 0) {
					return stringError(field+keySep(field)+"(a key)", bad >= 0)
				}
				expectKey = false
				continue
			}
			if bad >= int(before) && bad < int(after) {
				return stringError(field, true)
			}
			if strings.ContainsRune(t, 0) {
				return stringError(field, false)
			}
		}
		// A value ended: the next token of an object is a key.
		if n := len(inObject); n > 0 {
			expectKey = inObject[n-1]
		} else {
			return nil
		}
	}
}

// joinPath names a field by its keys, skipping array levels.
func joinPath(path []string) string {
	parts := make([]string, 0, len(path))
	for _, p := range path {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ".")
}

func keySep(field string) string {
	if field == "" {
		return ""
	}
	return " "
}

func stringError(field string, utf bool) error {
	if field == "" {
		field = "the body"
	}
	if utf {
		return errs.E(errs.InvalidArgument, "%s is not valid UTF-8 text", field).
			WithDetail("field", field).WithDetail("reason", "invalid_utf8")
	}
	return errs.E(errs.InvalidArgument, "%s contains a NUL character, which is not allowed", field).
		WithDetail("field", field).WithDetail("reason", "nul_character")
}

// missingRequired returns the first required field of t (a struct, or a
// pointer to one) absent from fields, as a dotted path under prefix.
func missingRequired(t reflect.Type, fields map[string]json.RawMessage, prefix string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return ""
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			// An embedded struct's fields are the outer object's own.
			if m := missingRequired(f.Type, fields, prefix); m != "" {
				return m
			}
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		v, present := fields[name]
		if !present {
			if !strings.Contains(opts, "omitempty") {
				return prefix + name
			}
			continue
		}
		var nested map[string]json.RawMessage
		if json.Unmarshal(v, &nested) == nil {
			if m := missingRequired(f.Type, nested, prefix+name+"."); m != "" {
				return m
			}
		}
	}
	return ""
}

func decodeError(err error, raw []byte, dst any) error {
	var (
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntaxErr):
		return errs.E(errs.InvalidArgument, "the body is not valid JSON (near byte %d)", syntaxErr.Offset).
			WithDetail("reason", "malformed_json").WithDetail("offset", syntaxErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errs.E(errs.InvalidArgument, "the body is not valid JSON (it ends too early)").WithDetail("reason", "malformed_json")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return errs.E(errs.InvalidArgument, "the body must be a JSON object").WithDetail("reason", "wrong_type")
		}
		return errs.E(errs.InvalidArgument, "%s must be %s, not %s", field, jsonKind(typeErr.Type), typeErr.Value).
			WithDetail("field", field).WithDetail("reason", "wrong_type")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.E(errs.InvalidArgument, "%s is not a field of this request", field).
			WithDetail("field", field).WithDetail("reason", "unknown_field")
	}
	// Values the models refuse themselves (a time that is not RFC 3339, …):
	// the error does not say which field, so find it by decoding each.
	if field, t := badField(raw, dst); field != "" {
		return errs.E(errs.InvalidArgument, "%s must be %s", field, jsonKind(t)).
			WithDetail("field", field).WithDetail("reason", "invalid_value")
	}
	return errs.E(errs.InvalidArgument, "the body has a value of the wrong form: %s", humanJSONError(err)).
		WithDetail("reason", "invalid_value")
}

// badField finds the top-level field of raw that dst's struct type refuses,
// and the type it wants.
func badField(raw []byte, dst any) (string, reflect.Type) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return "", nil
	}
	t := reflect.TypeOf(dst)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return "", nil
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if v, ok := fields[name]; ok && f.IsExported() {
			if json.Unmarshal(v, reflect.New(f.Type).Interface()) != nil {
				return name, f.Type
			}
		}
	}
	return "", nil
}

// jsonKind names a Go type the way a JSON client thinks of it.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		if t.PkgPath() == "time" {
			return "an RFC 3339 time"
		}
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map:
		return "an object"
	case reflect.Struct:
		if t.PkgPath() == "time" && t.Name() == "Time" {
			return "an RFC 3339 time"
		}
		return "an object"
	}
	return "a different kind of value"
}

// humanJSONError keeps what a client can act on from an error a model's
// UnmarshalJSON returned, without Go's package and type names.
func humanJSONError(err error) string {
	msg := err.Error()
	if strings.Contains(msg, "parsing time") || strings.Contains(msg, "Time.UnmarshalJSON") {
		return "times must be RFC 3339, e.g. 2026-12-06T18:00:00Z"
	}
	return fmt.Sprintf("%.80s", strings.TrimPrefix(msg, "json: "))
}
