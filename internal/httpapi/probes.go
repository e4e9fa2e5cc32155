package httpapi

import (
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/api"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/health"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// Probes serves the liveness and readiness probes and the API document.
type Probes struct {
	Readiness *health.Readiness
}

// GetHealthz answers 200 while the process is alive.
func (p *Probes) GetHealthz(w http.ResponseWriter, _ *http.Request) {
	httpx.WriteJSON(w, http.StatusOK, apigen.Health{Status: apigen.HealthStatusOk})
}

// GetReadyz answers 200 when every readiness condition holds, else 503
// naming the ones that do not.
func (p *Probes) GetReadyz(w http.ResponseWriter, r *http.Request) {
	if missing := p.Readiness.NotReady(); len(missing) > 0 {
		httpx.WriteError(r.Context(), w, nil, errs.E(errs.Unavailable, "not ready: %s", strings.Join(missing, ", ")).
			WithDetail("not_ready", missing))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, apigen.Health{Status: apigen.HealthStatusReady})
}

// GetOpenAPI serves the OpenAPI document the server was generated from.
func (p *Probes) GetOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(api.OpenAPI)
}
