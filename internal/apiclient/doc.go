// Package apiclient is the typed client of the backend's HTTP API, generated
// from api/openapi.yaml by oapi-codegen (`make generate`; do not edit
// apiclient.gen.go). galaxy-gateway reaches the backend only through it, so
// every page proves that the public API offers what a client needs.
package apiclient
