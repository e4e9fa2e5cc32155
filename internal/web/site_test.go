package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

// testUI builds the web client over a backend answering with backend, and
// an empty mux for the test to route its pages on (as routes.go does).
// These page tests check rendering and error paths against chosen
// answers; internal/app's tests run the same pages on a real backend.
func testUI(t *testing.T, backend http.Handler) (*UI, *http.ServeMux) {
	t.Helper()
	srv := httptest.NewServer(backend)
	t.Cleanup(srv.Close)
	api, err := apiclient.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ui, err := New(Options{API: api, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return ui, http.NewServeMux()
}

// testSite serves mux with the session middleware until the test ends.
func testSite(t *testing.T, mux *http.ServeMux) *httptest.Server {
	t.Helper()
	site := httptest.NewServer(session.Middleware(mux))
	t.Cleanup(site.Close)
	return site
}
