package main

import (
	"fmt"
	"net/http"
	"strings"

	"go.yaml.in/yaml/v3"
)

// routeTable names a request by the operation of api/openapi.yaml it calls
// ("GET /api/v1/user/games/{game_id}"), so that figures add up per route
// rather than per game id. It reuses net/http's pattern matching, which
// prefers a literal segment (".../reports/latest") over a wildcard
// (".../reports/{turn}") exactly as the server's router does.
type routeTable struct {
	mux *http.ServeMux
}

// newRouteTable reads the operations of an OpenAPI document.
func newRouteTable(spec []byte) (*routeTable, error) {
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("read the OpenAPI document: %w", err)
	}
	mux := http.NewServeMux()
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "patch", "delete":
				mux.Handle(strings.ToUpper(method)+" "+path, http.NotFoundHandler())
			}
		}
	}
	return &routeTable{mux: mux}, nil
}

// name returns the route template of r, or its method and path marked as
// unknown when the API document has no such operation.
func (t *routeTable) name(r *http.Request) string {
	if _, pattern := t.mux.Handler(r); pattern != "" {
		return pattern
	}
	return r.Method + " " + r.URL.Path + " (not in api/openapi.yaml)"
}
