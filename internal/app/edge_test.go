package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/galaxy-platform/galaxy/api"
	"github.com/galaxy-platform/galaxy/internal/errs"
)

// specSchema is the part of an OpenAPI schema the edge walk needs.
type specSchema struct {
	Ref        string                 `yaml:"$ref"`
	Type       string                 `yaml:"type"`
	Format     string                 `yaml:"format"`
	Enum       []string               `yaml:"enum"`
	Minimum    *float64               `yaml:"minimum"`
	Required   []string               `yaml:"required"`
	Properties map[string]*specSchema `yaml:"properties"`
	Items      *specSchema            `yaml:"items"`
	AllOf      []*specSchema          `yaml:"allOf"`
}

type specParam struct {
	Ref    string     `yaml:"$ref"`
	Name   string     `yaml:"name"`
	In     string     `yaml:"in"`
	Schema specSchema `yaml:"schema"`
}

type specOp struct {
	Method, Path string
	opID         string
	Params       []specParam
	Body         *specSchema // nil without a JSON body
}

type spec struct {
	ops        []specOp
	schemas    map[string]*specSchema
	parameters map[string]specParam
}

// readSpec reads every operation of api/openapi.yaml, so a new route is
// walked without anyone adding it here.
func readSpec(t testing.TB) *spec {
	t.Helper()
	var doc struct {
		Paths      map[string]map[string]yaml.Node `yaml:"paths"`
		Components struct {
			Schemas    map[string]*specSchema `yaml:"schemas"`
			Parameters map[string]specParam   `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	s := &spec{schemas: doc.Components.Schemas, parameters: doc.Components.Parameters}
	for path, ops := range doc.Paths {
		for method, node := range ops {
			var op struct {
				OperationID string      `yaml:"operationId"`
				Parameters  []specParam `yaml:"parameters"`
				RequestBody struct {
					Content map[string]struct {
						Schema specSchema `yaml:"schema"`
					} `yaml:"content"`
				} `yaml:"requestBody"`
			}
			if node.Decode(&op) != nil {
				continue
			}
			o := specOp{Method: strings.ToUpper(method), Path: path, opID: op.OperationID}
			for _, p := range op.Parameters {
				if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
					p = s.parameters[name]
				}
				o.Params = append(o.Params, p)
			}
			if c, ok := op.RequestBody.Content["application/json"]; ok {
				body := c.Schema
				o.Body = &body
			}
			s.ops = append(s.ops, o)
		}
	}
	slices.SortFunc(s.ops, func(a, b specOp) int { return strings.Compare(a.Path+a.Method, b.Path+b.Method) })
	return s
}

func (s *spec) resolve(sc *specSchema) *specSchema {
	for sc != nil && sc.Ref != "" {
		sc = s.schemas[strings.TrimPrefix(sc.Ref, "#/components/schemas/")]
	}
	return sc
}

// sample builds a value the schema accepts (for required fields only).
func (s *spec) sample(sc *specSchema) any {
	sc = s.resolve(sc)
	if sc == nil {
		return "x"
	}
	if len(sc.Enum) > 0 {
		return sc.Enum[0]
	}
	switch sc.Type {
	case "integer", "number":
		return 2
	case "boolean":
		return false
	case "array":
		return []any{s.sample(sc.Items)}
	case "object", "":
		out := map[string]any{}
		for _, name := range sc.Required {
			out[name] = s.sample(sc.Properties[name])
		}
		return out
	}
	switch sc.Format {
	case "date-time":
		return time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	case "email":
		return "someone@example.com"
	}
	return "x"
}

// internalMarkers are pieces of Go, SQL or library internals that must
// never reach a client's message.
var internalMarkers = regexp.MustCompile(`(?i)strconv|apigen|pgx|sqlstate|runtime error|goroutine|\.go:\d|go value|unmarshal|invalid character|nil pointer|panic|(?-i:json: )`)

// answer is one response of the walk.
type answer struct {
	status int
	code   string
	msg    string
	field  string
}

func (r *running) raw(t testing.TB, method, path, token string, body []byte) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, r.base+path, rd)
	if err != nil {
		t.Fatalf("%s %q: %v", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e struct {
		Error struct {
			Code    string         `json:"code"`
			Message string         `json:"message"`
			Details map[string]any `json:"details"`
		} `json:"error"`
	}
	_ = json.Unmarshal(raw, &e)
	f, _ := e.Error.Details["field"].(string)
	return answer{status: resp.StatusCode, code: e.Error.Code, msg: e.Error.Message, field: f}
}

// refused checks an answer is a clean refusal with one of the statuses.
func refused(t *testing.T, what string, a answer, statuses ...int) {
	t.Helper()
	if a.status == http.StatusInternalServerError || !slices.Contains(statuses, a.status) {
		t.Errorf("%s: %d %s %q, want %v", what, a.status, a.code, a.msg, statuses)
		return
	}
	if c := errs.Code(a.code); !c.Known() || c.HTTPStatus() != a.status {
		t.Errorf("%s: %d with code %q: not the contract's table", what, a.status, a.code)
	}
	if internalMarkers.MatchString(a.msg) {
		t.Errorf("%s: the message leaks internals: %q", what, a.msg)
	}
}

// TestEveryRouteRefusesBadInput walks every route of the spec with bad
// input of every kind and asserts a clean refusal: never a 500, the
// contract's code and status, no internal text, the field named.
func TestEveryRouteRefusesBadInput(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	sp := readSpec(t)
	user := r.signIn(t, "edge@example.com").Token
	revoked := r.signIn(t, "edge@example.com")
	r.call(t, http.MethodDelete, "/api/v1/user/sessions/current", revoked.Token, nil, nil)
	admin := r.adminToken(t)
	internal := r.cfg.InternalToken

	tokenFor := func(path string) string {
		switch {
		case strings.HasPrefix(path, "/api/v1/user/"):
			return user
		case strings.HasPrefix(path, "/api/v1/admin/") && path != "/api/v1/admin/auth/sessions":
			return admin
		case strings.HasPrefix(path, "/api/v1/internal/"):
			return internal
		}
		return ""
	}
	fill := func(op specOp, bad map[string]string) string {
		p := op.Path
		for _, prm := range op.Params {
			if prm.In != "path" {
				continue
			}
			v := "x"
			if s := sp.resolve(&prm.Schema); s != nil && s.Type == "integer" {
				v = "1"
			}
			if b, ok := bad[prm.Name]; ok {
				v = b
			}
			p = strings.ReplaceAll(p, "{"+prm.Name+"}", v)
		}
		return p
	}
	if len(sp.ops) < 50 {
		t.Fatalf("only %d operations read from the spec", len(sp.ops))
	}
	for _, op := range sp.ops {
		if !strings.HasPrefix(op.Path, "/api/v1/") || op.Path == "/api/v1/openapi.yaml" {
			continue
		}
		t.Run(op.Method+" "+op.Path, func(t *testing.T) {
			token := tokenFor(op.Path)
			var validBody []byte
			if op.Body != nil {
				validBody, _ = json.Marshal(sp.sample(op.Body))
			}
			// Path and query parameters: NUL, invalid UTF-8, wrong types, unknown enum values.
			for _, prm := range op.Params {
				s := sp.resolve(&prm.Schema)
				bads := map[string]string{"a NUL": "a%00b", "invalid UTF-8": "a%FFb"}
				if s != nil && s.Type == "integer" {
					bads["a word for a number"] = "abc"
					bads["a negative number"] = "-1"
				}
				if s != nil && len(s.Enum) > 0 {
					bads["an unknown value"] = "bogus"
				}
				for what, v := range bads {
					path := fill(op, nil)
					if prm.In == "path" {
						path = fill(op, map[string]string{prm.Name: v})
					} else {
						path += "?" + prm.Name + "=" + v
					}
					a := r.raw(t, op.Method, path, token, validBody)
					if what == "a negative number" {
						// Only where the spec sets a floor.
						if s.Type == "integer" && prmHasFloor(prm, sp) {
							refused(t, prm.Name+" "+what, a, http.StatusBadRequest)
						}
						continue
					}
					refused(t, prm.Name+" "+what, a, http.StatusBadRequest)
					if a.status == http.StatusBadRequest && a.field != prm.Name {
						t.Errorf("%s %s: field %q, want %q (%s)", prm.Name, what, a.field, prm.Name, a.msg)
					}
				}
			}
			if op.Body == nil {
				return
			}
			path := fill(op, nil)
			bodies := map[string][]byte{
				"malformed JSON":   []byte(`{"a":`),
				"an array":         []byte(`[1]`),
				"an unknown field": append(bytes.TrimSuffix(validBody, []byte("}")), []byte(`,"zz_unknown":1}`)...),
				"an empty body":    {},
			}
			if string(validBody) == "{}" {
				bodies["an unknown field"] = []byte(`{"zz_unknown":1}`)
			}
			for what, b := range bodies {
				refused(t, what, r.raw(t, op.Method, path, token, b), http.StatusBadRequest)
			}
			huge := append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), 2<<20)...)
			refused(t, "a 2 MiB body", r.raw(t, op.Method, path, token, append(huge, '"', '}')), http.StatusRequestEntityTooLarge)

			// Every string and number field of the body, spoiled one at a time.
			sc := sp.resolve(op.Body)
			for name, prop := range sc.Properties {
				ps := sp.resolve(prop)
				if ps == nil {
					continue
				}
				var base map[string]any
				_ = json.Unmarshal(validBody, &base)
				spoil := func(what string, v any) {
					m := map[string]any{}
					for k, x := range base {
						m[k] = x
					}
					m[name] = v
					b, _ := json.Marshal(m)
					a := r.raw(t, op.Method, path, token, b)
					refused(t, name+" "+what, a, http.StatusBadRequest)
					if a.status == http.StatusBadRequest && a.field != name {
						t.Errorf("%s %s: field %q, want %q (%s)", name, what, a.field, name, a.msg)
					}
				}
				switch ps.Type {
				case "string":
					spoil("with a NUL", "a\x00b")
					spoil("as a number", 7)
					// Raw invalid UTF-8 cannot be built with json.Marshal.
					m := map[string]any{}
					for k, x := range base {
						m[k] = x
					}
					m[name] = "INVALID"
					b, _ := json.Marshal(m)
					b = bytes.Replace(b, []byte(`"INVALID"`), []byte("\"a\xffb\""), 1)
					a := r.raw(t, op.Method, path, token, b)
					refused(t, name+" with invalid UTF-8", a, http.StatusBadRequest)
				case "integer", "number":
					spoil("as a string", "seven")
				case "boolean":
					spoil("as a string", "yes")
				}
			}
		})
	}

	t.Run("tokens: none, garbage, revoked, foreign and of the wrong kind", func(t *testing.T) {
		for _, op := range sp.ops {
			tok := tokenFor(op.Path)
			if tok == "" {
				continue
			}
			path := fill(op, nil)
			for what, bad := range map[string]string{
				"no token": "", "a garbage token": "gxu_" + strings.Repeat("z", 40), "a revoked token": revoked.Token,
				"a token of another kind": map[bool]string{true: admin, false: user}[tok == user],
			} {
				a := r.raw(t, op.Method, path, bad, []byte(`{}`))
				refused(t, fmt.Sprintf("%s %s with %s", op.Method, op.Path, what), a, http.StatusUnauthorized, http.StatusForbidden)
			}
		}
	})
}

// prmHasFloor tells whether the spec gives an integer parameter a minimum.
func prmHasFloor(p specParam, sp *spec) bool {
	s := sp.resolve(&p.Schema)
	return s != nil && s.Minimum != nil
}
