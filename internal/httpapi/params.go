package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/galaxy-platform/galaxy/api"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
)

// paramRule is what api/openapi.yaml says of one path or query parameter.
type paramRule struct {
	Name     string
	In       string // path or query
	Type     string // string, integer, boolean
	Enum     []string
	Min, Max *float64
}

// paramRules maps a route pattern ("GET /api/v1/...") to its parameters,
// read once from the embedded spec: the generated server binds parameters
// but does not check their enums and bounds, so this does, for every route,
// from the same document the server is generated from.
type paramRules map[string][]paramRule

func loadParamRules() (paramRules, error) {
	type schema struct {
		Ref     string   `yaml:"$ref"`
		Type    string   `yaml:"type"`
		Enum    []string `yaml:"enum"`
		Minimum *float64 `yaml:"minimum"`
		Maximum *float64 `yaml:"maximum"`
	}
	type param struct {
		Ref    string `yaml:"$ref"`
		Name   string `yaml:"name"`
		In     string `yaml:"in"`
		Schema schema `yaml:"schema"`
	}
	type operation struct {
		Parameters []param `yaml:"parameters"`
	}
	var doc struct {
		Paths      map[string]map[string]yaml.Node `yaml:"paths"`
		Components struct {
			Parameters map[string]param  `yaml:"parameters"`
			Schemas    map[string]schema `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		return nil, fmt.Errorf("read openapi.yaml: %w", err)
	}
	resolve := func(s schema) schema {
		if name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/"); ok {
			return doc.Components.Schemas[name]
		}
		return s
	}
	rules := paramRules{}
	for path, ops := range doc.Paths {
		for method, node := range ops {
			var op operation
			if node.Decode(&op) != nil {
				continue // not an operation (e.g. a path-level field)
			}
			key := strings.ToUpper(method) + " " + path
			for _, p := range op.Parameters {
				if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
					p = doc.Components.Parameters[name]
				}
				s := resolve(p.Schema)
				rules[key] = append(rules[key], paramRule{Name: p.Name, In: p.In, Type: s.Type, Enum: s.Enum, Min: s.Minimum, Max: s.Maximum})
			}
		}
	}
	return rules, nil
}

// check returns the error refusing the routed request's first path or query
// parameter that is not valid UTF-8, holds a NUL, is not of its type, is not
// one of its enum's values or is out of its bounds, naming the parameter;
// nil when all are valid.
func (rules paramRules) check(r *http.Request) error {
	var query url.Values // parsed only for a route with query parameters
	for _, p := range rules[r.Pattern] {
		var values []string
		switch p.In {
		case "path":
			values = []string{r.PathValue(p.Name)}
		case "query":
			if query == nil {
				query = r.URL.Query()
			}
			values = query[p.Name]
		}
		for _, v := range values {
			if err := p.check(v); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p paramRule) check(v string) error {
	bad := func(reason, format string, args ...any) error {
		return errs.E(errs.InvalidArgument, "parameter "+p.Name+" "+format, args...).
			WithDetail("field", p.Name).WithDetail("reason", reason)
	}
	switch {
	case !utf8.ValidString(v):
		return bad("invalid_utf8", "is not valid UTF-8 text")
	case strings.ContainsRune(v, 0):
		return bad("nul_character", "contains a NUL character, which is not allowed")
	case len(p.Enum) > 0 && !slices.Contains(p.Enum, v):
		return bad("not_allowed", "must be one of %s, not %q", strings.Join(p.Enum, ", "), v)
	}
	var n float64
	switch p.Type {
	case "integer":
		i, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return bad("wrong_type", "must be a whole number, not %q", v)
		}
		n = float64(i)
	case "boolean":
		if _, err := strconv.ParseBool(v); err != nil {
			return bad("wrong_type", "must be true or false, not %q", v)
		}
		return nil
	default:
		return nil
	}
	if p.Min != nil && n < *p.Min {
		return bad("out_of_range", "must be at least %v, not %s", *p.Min, v)
	}
	if p.Max != nil && n > *p.Max {
		return bad("out_of_range", "must be at most %v, not %s", *p.Max, v)
	}
	return nil
}

// paramError words the generated binder's refusals (which wrap strconv and
// friends) for a person.
func paramError(err error) error {
	name := ""
	switch e := err.(type) { //nolint:errorlint // the generated binder returns these unwrapped
	case *apigen.InvalidParamFormatError:
		name = e.ParamName
	case *apigen.RequiredParamError:
		return errs.E(errs.InvalidArgument, "parameter %s is required", e.ParamName).
			WithDetail("field", e.ParamName).WithDetail("reason", "required")
	case *apigen.TooManyValuesForParamError:
		return errs.E(errs.InvalidArgument, "parameter %s is given %d times; give it once", e.ParamName, e.Count).
			WithDetail("field", e.ParamName).WithDetail("reason", "repeated")
	case *apigen.UnmarshalingParamError:
		name = e.ParamName
	case *apigen.RequiredHeaderError:
		name = e.ParamName
	case *apigen.UnescapedCookieParamError:
		name = e.ParamName
	}
	if name == "" {
		return errs.E(errs.InvalidArgument, "a parameter has a value of the wrong form")
	}
	return errs.E(errs.InvalidArgument, "parameter %s has a value of the wrong form", name).
		WithDetail("field", name).WithDetail("reason", "wrong_type")
}
