package engine

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// handlers serves the engine contract over one host.
type handlers struct {
	host     *host
	log      *slog.Logger
	tokenSum [sha256.Size]byte
	maxBody  int64
}

// routes builds the HTTP handler: /healthz is open, everything else needs the
// per-game bearer token.
func (s *handlers) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("POST /admin/init", s.auth(s.init))
	mux.Handle("POST /admin/turn", s.auth(s.turn))
	mux.Handle("POST /orders/check", s.auth(s.check))
	mux.Handle("/", s.auth(s.notFound))
	return s.logRequests(mux)
}

// healthz answers 200 as soon as the listener is up; it says nothing about
// the game, which may legitimately be uninitialised.
func (s *handlers) healthz(w http.ResponseWriter, _ *http.Request) {
	writeBody(w, http.StatusOK, []byte(`{"status":"ok"}`))
}

// init handles POST /admin/init.
func (s *handlers) init(w http.ResponseWriter, r *http.Request) {
	var req InitRequest
	if err := decodeJSON(w, r, s.maxBody, &req); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	body, err := s.host.Init(r.Context(), req)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeBody(w, http.StatusOK, body)
}

// turn handles POST /admin/turn.
func (s *handlers) turn(w http.ResponseWriter, r *http.Request) {
	var req TurnRequest
	if err := decodeJSON(w, r, s.maxBody, &req); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if req.Turn < 1 {
		writeError(w, r, s.log, errs.E(errs.InvalidArgument, "turn must be at least 1").WithDetail("field", "turn"))
		return
	}
	body, err := s.host.Turn(r.Context(), req)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeBody(w, http.StatusOK, body)
}

// check handles POST /orders/check.
func (s *handlers) check(w http.ResponseWriter, r *http.Request) {
	var req CheckRequest
	if err := decodeJSON(w, r, s.maxBody, &req); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if req.RaceID == "" {
		writeError(w, r, s.log, errs.E(errs.InvalidArgument, "race_id is required").WithDetail("field", "race_id"))
		return
	}
	resp, err := s.host.Check(r.Context(), req)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, s.log, http.StatusOK, resp)
}

// notFound answers every other route in the contract's error format.
func (s *handlers) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, s.log, errs.E(errs.NotFound, "no route %s %s", r.Method, r.URL.Path))
}

// auth requires the per-game bearer token. Both sides are hashed before the
// constant-time compare so that neither the content nor the length of the
// token leaks through timing.
func (s *handlers) auth(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
		if !ok || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(sum[:], s.tokenSum[:]) != 1 {
			writeError(w, r, s.log, errs.E(errs.Unauthenticated, "missing or invalid bearer token"))
			return
		}
		next(w, r)
	})
}

// statusRecorder captures the status code for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status before passing it on.
func (rec *statusRecorder) WriteHeader(code int) {
	rec.status = code
	rec.ResponseWriter.WriteHeader(code)
}

// logRequests writes one structured line per request; health probes, which
// arrive every few seconds, only at debug level.
func (s *handlers) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" {
			level = slog.LevelDebug
		}
		s.log.Log(r.Context(), level, "http request", "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "duration_ms", time.Since(start).Milliseconds(), "remote", r.RemoteAddr)
	})
}
