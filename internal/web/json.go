package web

import (
	"encoding/json"
	"net/http"
)

// writeJSON answers v as JSON, never cached: the small answers that page
// scripts ask for (a race name's availability, an orders check) change from
// one moment to the next.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
