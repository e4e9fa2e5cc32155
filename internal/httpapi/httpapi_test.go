package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/galaxy-platform/galaxy/api"
	"github.com/galaxy-platform/galaxy/internal/health"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
)

// probesOnly serves the probes; the other operations are never called here
// (their nil interface sits one level deeper, so Probes' methods win).
type probesOnly struct {
	*Probes
	unimplemented
}

type unimplemented struct{ apigen.ServerInterface }

func TestHandler(t *testing.T) {
	t.Parallel()
	readiness := health.NewReadiness()
	cache := readiness.Flag("cache:auth")
	srv := httptest.NewServer(NewHandler(probesOnly{Probes: &Probes{Readiness: readiness}},
		slog.New(slog.NewTextHandler(io.Discard, nil)), Telemetry{}))
	t.Cleanup(srv.Close)

	get := func(t *testing.T, method, path string) (*http.Response, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		return resp, m
	}

	t.Run("readyz is 503 naming what is not ready, then 200", func(t *testing.T) {
		resp, body := get(t, http.MethodGet, "/readyz")
		errBody, _ := body["error"].(map[string]any)
		details, _ := errBody["details"].(map[string]any)
		if resp.StatusCode != http.StatusServiceUnavailable || errBody["code"] != "unavailable" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
		if nr, _ := details["not_ready"].([]any); len(nr) != 1 || nr[0] != "cache:auth" {
			t.Fatalf("not_ready = %v", details["not_ready"])
		}
		cache.Set(true)
		if resp, body := get(t, http.MethodGet, "/readyz"); resp.StatusCode != http.StatusOK || body["status"] != "ready" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
	t.Run("healthz answers while alive", func(t *testing.T) {
		t.Parallel()
		if resp, body := get(t, http.MethodGet, "/healthz"); resp.StatusCode != http.StatusOK || body["status"] != "ok" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
	t.Run("serves the OpenAPI document", func(t *testing.T) {
		t.Parallel()
		resp, err := http.Get(srv.URL + "/api/v1/openapi.yaml")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || string(b) != string(api.OpenAPI) {
			t.Fatalf("%d, %d bytes", resp.StatusCode, len(b))
		}
	})
	t.Run("unknown paths are not_found in the error format", func(t *testing.T) {
		t.Parallel()
		resp, body := get(t, http.MethodGet, "/api/v1/nothing")
		if errBody, _ := body["error"].(map[string]any); resp.StatusCode != http.StatusNotFound || errBody["code"] != "not_found" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
	t.Run("wrong methods are 405 method_not_allowed with Allow", func(t *testing.T) {
		t.Parallel()
		resp, body := get(t, http.MethodPost, "/healthz")
		e, _ := body["error"].(map[string]any)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" || e["code"] != "method_not_allowed" {
			t.Fatalf("%d %v %v", resp.StatusCode, resp.Header, body)
		}
	})
}
