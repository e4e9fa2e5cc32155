package gateway

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// healthz answers while the process is alive.
func healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 once the backend answers its own /readyz and every
// push subscription is open; otherwise 503 naming what is not ready, in the
// contract's error shape.
func (g *Gateway) readyz(w http.ResponseWriter, r *http.Request) {
	var notReady []string
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if resp, err := g.api.GetReadyzWithResponse(ctx); err != nil || resp.StatusCode() != http.StatusOK {
		notReady = append(notReady, "backend")
	}
	for _, s := range g.subs {
		if !s.Open() {
			notReady = append(notReady, s.Name())
		}
	}
	if len(notReady) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": map[string]any{
			"code": "unavailable", "message": "the gateway is not ready", "details": map[string]any{"not_ready": notReady},
		}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
