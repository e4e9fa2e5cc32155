// Package api holds the machine-readable contracts of the backend: the
// OpenAPI document of the HTTP API (the source of truth for generated server
// code) and the protobuf definitions of the push stream (push/v1).
package api

import _ "embed"

// OpenAPI is the OpenAPI 3 document served at /api/v1/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

//go:generate go tool oapi-codegen -config oapi-codegen.yaml openapi.yaml
//go:generate go tool oapi-codegen -config oapi-codegen-client.yaml openapi.yaml
//go:generate buf generate
