package auth_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/auth"
	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/user"
)

// router serves the auth routes as the HTTP edge does: sign-in is public,
// /api/v1/user/* goes through the user guard.
func (e *env) router() http.Handler {
	h := &auth.Handlers{Service: e.svc, Logger: quiet, ClientIP: func(r *http.Request) netip.Addr {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		a, _ := netip.ParseAddr(host)
		return a
	}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/public/auth/login-codes", h.CreateLoginCode)
	mux.HandleFunc("POST /api/v1/public/auth/sessions", h.CreateSession)
	mux.HandleFunc("GET /api/v1/user/sessions", func(w http.ResponseWriter, r *http.Request) {
		var p apigen.ListMySessionsParams
		if v := r.URL.Query().Get("limit"); v != "" {
			n, _ := strconv.Atoi(v)
			p.Limit = &n
		}
		if v := r.URL.Query().Get("cursor"); v != "" {
			p.Cursor = &v
		}
		h.ListMySessions(w, r, p)
	})
	mux.HandleFunc("DELETE /api/v1/user/sessions/current", h.RevokeCurrentSession)
	mux.HandleFunc("DELETE /api/v1/user/sessions/{session_id}", func(w http.ResponseWriter, r *http.Request) {
		h.RevokeMySession(w, r, r.PathValue("session_id"))
	})
	mux.HandleFunc("POST /api/v1/internal/sessions/resolve", h.ResolveSession)
	return httpx.Guarded([]httpx.Guard{{Prefix: "/api/v1/user/", Check: e.svc.Guard}}, mux)
}

type response struct {
	code   int
	header http.Header
	body   map[string]any
}

func (r response) errorCode() string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// call sends one request from client address ip (a default when empty).
func call(t *testing.T, h http.Handler, method, path, token, ip string, body any) response {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if ip == "" {
		ip = "203.0.113.7"
	}
	req.RemoteAddr = net.JoinHostPort(ip, "40000")
	req.Header.Set("User-Agent", "http-test/2.0")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := response{code: rec.Code, header: rec.Header()}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &res.body); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
	}
	return res
}

// httpSignIn walks the flow over HTTP and returns the 201 body.
func httpSignIn(t *testing.T, e *env, h http.Handler, email string) map[string]any {
	t.Helper()
	r := call(t, h, http.MethodPost, "/api/v1/public/auth/login-codes", "", "", map[string]string{"email": email})
	if r.code != http.StatusAccepted {
		t.Fatalf("login-codes: %d %v", r.code, r.body)
	}
	id, _ := r.body["challenge_id"].(string)
	r = call(t, h, http.MethodPost, "/api/v1/public/auth/sessions", "", "",
		map[string]string{"challenge_id": id, "code": e.codeOf(t, id)})
	if r.code != http.StatusCreated {
		t.Fatalf("sessions: %d %v", r.code, r.body)
	}
	return r.body
}

func TestSignInOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Auth) { c.EmailBurst = 3 })
	h := e.router()

	var challengeID string
	t.Run("login-codes answers 202 with the challenge", func(t *testing.T) {
		r := call(t, h, http.MethodPost, "/api/v1/public/auth/login-codes", "", "", map[string]string{"email": "ann@example.com"})
		challengeID, _ = r.body["challenge_id"].(string)
		exp, _ := r.body["expires_at"].(string)
		at, err := time.Parse(time.RFC3339, exp)
		if r.code != http.StatusAccepted || challengeID == "" || err != nil || at.Location() != time.UTC {
			t.Fatalf("%d %v", r.code, r.body)
		}
	})
	for _, c := range []struct{ name, body string }{
		{"a malformed address", `{"email":"ann"}`},
		{"an unknown field", `{"email":"ann@example.com","admin":true}`},
		{"malformed JSON", `{"email":`},
	} {
		t.Run("login-codes answers 400 to "+c.name, func(t *testing.T) {
			r := call(t, h, http.MethodPost, "/api/v1/public/auth/login-codes", "", "", c.body)
			if r.code != http.StatusBadRequest || r.errorCode() != "invalid_argument" {
				t.Fatalf("%d %v", r.code, r.body)
			}
		})
	}
	t.Run("a wrong code answers 401 with the tries left", func(t *testing.T) {
		code := e.codeOf(t, challengeID)
		r := call(t, h, http.MethodPost, "/api/v1/public/auth/sessions", "", "",
			map[string]string{"challenge_id": challengeID, "code": wrongCode(code, 0)})
		details, _ := r.body["error"].(map[string]any)["details"].(map[string]any)
		if r.code != http.StatusUnauthorized || r.errorCode() != "unauthenticated" || details["attempts_left"] != float64(4) {
			t.Fatalf("%d %v", r.code, r.body)
		}
	})
	t.Run("the right code answers 201 with token, session and user", func(t *testing.T) {
		r := call(t, h, http.MethodPost, "/api/v1/public/auth/sessions", "", "",
			map[string]string{"challenge_id": challengeID, "code": e.codeOf(t, challengeID)})
		u, _ := r.body["user"].(map[string]any)
		tok, _ := r.body["token"].(string)
		if r.code != http.StatusCreated || !strings.HasPrefix(tok, auth.UserTokenPrefix) || r.body["session_id"] == nil ||
			r.body["expires_at"] == nil || u["email"] != "ann@example.com" || u["display_name"] != "ann" ||
			u["user_id"] == nil || u["created_at"] == nil {
			t.Fatalf("%d %v", r.code, r.body)
		}
		if n := e.count(t, "SELECT count(*) FROM sessions WHERE session_id = $1 AND client_ip = '203.0.113.7' AND user_agent = 'http-test/2.0'",
			r.body["session_id"]); n != 1 {
			t.Fatal("client address and agent not recorded")
		}
	})
	t.Run("the address's fourth request answers 429 with Retry-After", func(t *testing.T) {
		for i := range 3 {
			r := call(t, h, http.MethodPost, "/api/v1/public/auth/login-codes", "", "198.51.100.1",
				map[string]string{"email": "ben@example.com"})
			if r.code != http.StatusAccepted {
				t.Fatalf("request %d: %d %v", i+1, r.code, r.body)
			}
		}
		r := call(t, h, http.MethodPost, "/api/v1/public/auth/login-codes", "", "198.51.100.2",
			map[string]string{"email": "ben@example.com"})
		secs, err := strconv.Atoi(r.header.Get("Retry-After"))
		if r.code != http.StatusTooManyRequests || r.errorCode() != "rate_limited" || err != nil || secs < 1 || secs > 3600 {
			t.Fatalf("%d %v Retry-After %q", r.code, r.body, r.header.Get("Retry-After"))
		}
	})
	t.Run("a blocked user answers 403", func(t *testing.T) {
		first := httpSignIn(t, e, h, "cat@example.com")
		id, _ := first["user"].(map[string]any)["user_id"].(string)
		e.setStatus(t, id, user.StatusBlocked)
		r := call(t, h, http.MethodPost, "/api/v1/public/auth/login-codes", "", "", map[string]string{"email": "cat@example.com"})
		ch, _ := r.body["challenge_id"].(string)
		r = call(t, h, http.MethodPost, "/api/v1/public/auth/sessions", "", "",
			map[string]string{"challenge_id": ch, "code": e.codeOf(t, ch)})
		if r.code != http.StatusForbidden || r.errorCode() != "permission_denied" {
			t.Fatalf("%d %v", r.code, r.body)
		}
	})
}

func TestMySessionsOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	h := e.router()
	a1 := httpSignIn(t, e, h, "dora@example.com")
	a2 := httpSignIn(t, e, h, "dora@example.com")
	b := httpSignIn(t, e, h, "eli@example.com")
	tok := func(m map[string]any) string { s, _ := m["token"].(string); return s }
	sid := func(m map[string]any) string { s, _ := m["session_id"].(string); return s }

	t.Run("user routes need a user token", func(t *testing.T) {
		for _, token := range []string{"", "garbage", auth.AdminTokenPrefix + strings.TrimPrefix(tok(a1), auth.UserTokenPrefix)} {
			r := call(t, h, http.MethodGet, "/api/v1/user/sessions", token, "", nil)
			if r.code != http.StatusUnauthorized || r.errorCode() != "unauthenticated" {
				t.Fatalf("%.10q: %d %v", token, r.code, r.body)
			}
		}
	})
	t.Run("lists the caller's sessions and marks the current one", func(t *testing.T) {
		r := call(t, h, http.MethodGet, "/api/v1/user/sessions", tok(a1), "", nil)
		items, _ := r.body["items"].([]any)
		if r.code != http.StatusOK || len(items) != 2 {
			t.Fatalf("%d %v", r.code, r.body)
		}
		for _, it := range items {
			s, _ := it.(map[string]any)
			if (s["session_id"] == sid(a1)) != (s["current"] == true) || s["client_ip"] != "203.0.113.7" || s["user_agent"] != "http-test/2.0" {
				t.Fatalf("%v", s)
			}
		}
	})
	t.Run("refuses to revoke someone else's session with 404", func(t *testing.T) {
		r := call(t, h, http.MethodDelete, "/api/v1/user/sessions/"+sid(b), tok(a1), "", nil)
		if r.code != http.StatusNotFound || r.errorCode() != "not_found" {
			t.Fatalf("%d %v", r.code, r.body)
		}
		if r := call(t, h, http.MethodGet, "/api/v1/user/sessions", tok(b), "", nil); r.code != http.StatusOK {
			t.Fatalf("the other user's session suffered: %d", r.code)
		}
	})
	t.Run("revokes another of the caller's sessions by id with 204", func(t *testing.T) {
		r := call(t, h, http.MethodDelete, "/api/v1/user/sessions/"+sid(a2), tok(a1), "", nil)
		if r.code != http.StatusNoContent {
			t.Fatalf("%d %v", r.code, r.body)
		}
		if r := call(t, h, http.MethodGet, "/api/v1/user/sessions", tok(a2), "", nil); r.code != http.StatusUnauthorized {
			t.Fatalf("the revoked token still works: %d", r.code)
		}
	})
	t.Run("signs the caller out with 204", func(t *testing.T) {
		r := call(t, h, http.MethodDelete, "/api/v1/user/sessions/current", tok(a1), "", nil)
		if r.code != http.StatusNoContent {
			t.Fatalf("%d %v", r.code, r.body)
		}
		if r := call(t, h, http.MethodGet, "/api/v1/user/sessions", tok(a1), "", nil); r.code != http.StatusUnauthorized {
			t.Fatalf("the token still works after signing out: %d", r.code)
		}
	})
	t.Run("resolve tells a gateway whose token it is", func(t *testing.T) {
		r := call(t, h, http.MethodPost, "/api/v1/internal/sessions/resolve", "", "", map[string]string{"token": tok(b)})
		bu, _ := b["user"].(map[string]any)
		if r.code != http.StatusOK || r.body["user_id"] != bu["user_id"] || r.body["session_id"] != sid(b) {
			t.Fatalf("%d %v", r.code, r.body)
		}
		r = call(t, h, http.MethodPost, "/api/v1/internal/sessions/resolve", "", "", map[string]string{"token": tok(a1)})
		if r.code != http.StatusUnauthorized {
			t.Fatalf("a revoked token resolves: %d %v", r.code, r.body)
		}
	})
}
