// Package httpapi is the HTTP edge of the backend: the router built from the
// generated OpenAPI server interface, the probes, and the listener component.
package httpapi

import (
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// NewHandler returns the complete HTTP handler: traces, metrics and request
// logs (with the process's own providers, given in tel, rather than the
// global ones another instance in the same process may have replaced), the
// body limit, the guards (authentication by path prefix), the generated
// routes of si, and contract-shaped answers for unknown paths and methods.
func NewHandler(si apigen.ServerInterface, logger *slog.Logger, tel Telemetry, guards ...httpx.Guard) http.Handler {
	mux := http.NewServeMux()
	rules, err := loadParamRules()
	if err != nil {
		panic(err) // the spec is embedded at build time; tests read it too
	}
	apigen.HandlerWithOptions(si, apigen.StdHTTPServerOptions{
		BaseRouter: mux,
		// Inside the mux the route pattern is known: the span, log line and
		// metrics are named after it, and the parameters are checked
		// against the spec. (The generated code builds the chain per
		// request, so it is one middleware, not two.)
		Middlewares: []apigen.MiddlewareFunc{routed(rules)},
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteError(r.Context(), w, logger, paramError(err))
		},
	})
	h := httpx.Guarded(guards, jsonFallbacks(mux, logger))
	h = httpx.LimitBody(h)
	o, err := newObserver(h, logger, tel)
	if err != nil {
		panic(err) // the instruments' names and options are constants
	}
	return o
}

// routed runs what needs the matched route: it tells the observer the
// route pattern (for the span name, the log line and the metrics), then
// refuses parameters the spec does not allow, before the handler runs.
func routed(rules paramRules) apigen.MiddlewareFunc {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ex, ok := r.Context().Value(exchangeKey{}).(*exchange); ok {
				ex.pattern = r.Pattern
			}
			if err := rules.check(r); err != nil {
				httpx.WriteError(r.Context(), w, nil, err)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// jsonFallbacks answers unmatched paths (404) and methods (405, with Allow)
// in the contract's error format instead of the mux's plain text.
func jsonFallbacks(mux *http.ServeMux, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// The mux's own answer tells 404 from 405 and carries Allow.
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		allow := rec.Header().Get("Allow")
		if allow != "" {
			w.Header().Set("Allow", allow)
		}
		if rec.Code == http.StatusMethodNotAllowed {
			httpx.WriteError(r.Context(), w, logger, errs.E(errs.MethodNotAllowed, "%s is not allowed on %s; use %s", r.Method, r.URL.Path, allow).
				WithDetail("allow", allow))
			return
		}
		httpx.WriteError(r.Context(), w, logger, errs.E(errs.NotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
}
