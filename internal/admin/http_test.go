package admin_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/admin"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// router serves the admin routes as the HTTP edge does: sign-in is public,
// the rest goes through the admin guard and the audit middleware.
func (e *env) router() http.Handler {
	h := &admin.Handlers{Service: e.svc, Logger: quiet}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/admin/auth/sessions", h.CreateAdminSession)
	mux.HandleFunc("GET /api/v1/admin/users", func(w http.ResponseWriter, r *http.Request) {
		var p apigen.SearchUsersParams
		q := r.URL.Query()
		if q.Has("query") {
			p.Query = new(q.Get("query"))
		}
		if q.Has("limit") {
			n, _ := strconv.Atoi(q.Get("limit"))
			p.Limit = &n
		}
		if q.Has("cursor") {
			p.Cursor = new(q.Get("cursor"))
		}
		h.SearchUsers(w, r, p)
	})
	mux.HandleFunc("POST /api/v1/admin/users/{user_id}/block", func(w http.ResponseWriter, r *http.Request) {
		h.BlockUser(w, r, r.PathValue("user_id"))
	})
	mux.HandleFunc("POST /api/v1/admin/users/{user_id}/unblock", func(w http.ResponseWriter, r *http.Request) {
		h.UnblockUser(w, r, r.PathValue("user_id"))
	})
	return httpx.Guarded([]httpx.Guard{
		{Prefix: "/api/v1/admin/auth/"},
		{Prefix: "/api/v1/admin/", Check: e.svc.Guard, Wrap: e.svc.AuditActions},
	}, mux)
}

type response struct {
	code int
	body map[string]any
}

func (r response) errorCode() string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func call(t *testing.T, h http.Handler, method, path, token string, body any) response {
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
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := response{code: rec.Code}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &res.body); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
	}
	return res
}

func TestAdminOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	h := e.router()
	player := e.signIn(t, "uli@example.com")
	uid := player.User.UserID
	for _, email := range []string{"vera@example.com", "walt@example.com", "xena@example.com"} {
		e.signIn(t, email)
	}
	// Entries of the audit middleware, named for their route.
	audits := func(t *testing.T) int {
		t.Helper()
		return e.count(t, "SELECT count(*) FROM admin_audit_log WHERE action ~ '^[A-Z]+ /api/v1/admin/'")
	}

	var token string
	t.Run("sign-in answers 201 with an admin token", func(t *testing.T) {
		r := call(t, h, http.MethodPost, "/api/v1/admin/auth/sessions", "", map[string]string{"username": adminName, "password": adminPassword})
		token, _ = r.body["token"].(string)
		if r.code != http.StatusCreated || !strings.HasPrefix(token, "gxa_") || r.body["expires_at"] == nil {
			t.Fatalf("%d %v", r.code, r.body)
		}
	})
	t.Run("a wrong password answers 401", func(t *testing.T) {
		r := call(t, h, http.MethodPost, "/api/v1/admin/auth/sessions", "", map[string]string{"username": adminName, "password": "nope"})
		if r.code != http.StatusUnauthorized || r.errorCode() != "unauthenticated" {
			t.Fatalf("%d %v", r.code, r.body)
		}
	})
	t.Run("admin routes refuse no token and user tokens with 401", func(t *testing.T) {
		for _, tok := range []string{"", player.Token, "gxa_" + strings.TrimPrefix(player.Token, "gxu_")} {
			r := call(t, h, http.MethodGet, "/api/v1/admin/users", tok, nil)
			if r.code != http.StatusUnauthorized || r.errorCode() != "unauthenticated" {
				t.Fatalf("%.10q: %d %v", tok, r.code, r.body)
			}
			r = call(t, h, http.MethodPost, "/api/v1/admin/users/"+uid+"/block", tok, map[string]any{"reason": "x", "permanent": true})
			if r.code != http.StatusUnauthorized {
				t.Fatalf("%.10q: %d %v", tok, r.code, r.body)
			}
		}
		if n := e.count(t, "SELECT count(*) FROM users WHERE user_id = $1 AND status = 'active'", uid); n != 1 {
			t.Fatal("an unauthenticated block went through")
		}
	})
	t.Run("searches users by query and pages through them", func(t *testing.T) {
		r := call(t, h, http.MethodGet, "/api/v1/admin/users?query="+url.QueryEscape("ULI@"), token, nil)
		items, _ := r.body["items"].([]any)
		if r.code != http.StatusOK || len(items) != 1 || items[0].(map[string]any)["user_id"] != uid {
			t.Fatalf("%d %v", r.code, r.body)
		}
		seen := map[any]bool{}
		path := "/api/v1/admin/users?limit=3"
		for range 5 {
			r := call(t, h, http.MethodGet, path, token, nil)
			items, _ := r.body["items"].([]any)
			for _, it := range items {
				seen[it.(map[string]any)["user_id"]] = true
			}
			next, _ := r.body["next_cursor"].(string)
			if next == "" {
				break
			}
			path = "/api/v1/admin/users?limit=3&cursor=" + url.QueryEscape(next)
		}
		if len(seen) != 4 {
			t.Fatalf("paged through %d of 4 users", len(seen))
		}
		if r := call(t, h, http.MethodGet, "/api/v1/admin/users?cursor=bogus", token, nil); r.code != http.StatusBadRequest {
			t.Fatalf("a bogus cursor: %d", r.code)
		}
	})
	t.Run("reads are not audited", func(t *testing.T) {
		if n := audits(t); n != 0 {
			t.Fatalf("%d audit entries", n)
		}
	})
	t.Run("a refused block is not audited", func(t *testing.T) {
		for _, c := range []struct {
			path string
			body any
			code int
		}{
			{"/api/v1/admin/users/" + uid + "/block", map[string]any{"reason": "  "}, http.StatusBadRequest},
			{"/api/v1/admin/users/" + uid + "/block", `{"reason":"x","forever":true}`, http.StatusBadRequest},
			{"/api/v1/admin/users/usr_nobody/block", map[string]any{"reason": "x"}, http.StatusNotFound},
		} {
			if r := call(t, h, http.MethodPost, c.path, token, c.body); r.code != c.code {
				t.Fatalf("%s %v: %d %v", c.path, c.body, r.code, r.body)
			}
		}
		if n := audits(t); n != 0 {
			t.Fatalf("%d audit entries", n)
		}
	})
	t.Run("a permanent block answers 200 with the user and is audited", func(t *testing.T) {
		r := call(t, h, http.MethodPost, "/api/v1/admin/users/"+uid+"/block", token, map[string]any{"reason": "botting", "permanent": true})
		if r.code != http.StatusOK || r.body["status"] != "blocked_permanently" || r.body["block_reason"] != "botting" {
			t.Fatalf("%d %v", r.code, r.body)
		}
		n := e.count(t, `SELECT count(*) FROM admin_audit_log WHERE admin_id = $1
			AND action = 'POST /api/v1/admin/users/{user_id}/block' AND target_type = 'users' AND target_id = $2
			AND details->>'reason' = 'botting' AND (details->>'permanent')::bool`, e.adminID, uid)
		if n != 1 {
			t.Fatalf("%d matching audit entries", n)
		}
		if n := e.count(t, "SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL", uid); n != 0 {
			t.Fatalf("%d live sessions", n)
		}
	})
	t.Run("an unblock answers 200 and is audited", func(t *testing.T) {
		r := call(t, h, http.MethodPost, "/api/v1/admin/users/"+uid+"/unblock", token, nil)
		if r.code != http.StatusOK || r.body["status"] != "active" {
			t.Fatalf("%d %v", r.code, r.body)
		}
		n := e.count(t, `SELECT count(*) FROM admin_audit_log WHERE admin_id = $1
			AND action = 'POST /api/v1/admin/users/{user_id}/unblock' AND target_type = 'users' AND target_id = $2`, e.adminID, uid)
		if n != 1 {
			t.Fatalf("%d matching audit entries", n)
		}
		if n := audits(t); n != 2 {
			t.Fatalf("%d audit entries in all, want 2", n)
		}
	})
}

func TestAudit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	if err := e.svc.Audit(ctx, e.adminID, "game.cancel", "games", "gam_1", map[string]string{"why": "test"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Audit(ctx, "", "system.sweep", "", "", nil); err != nil {
		t.Fatal(err)
	}
	t.Run("records who did what to which target", func(t *testing.T) {
		n := e.count(t, `SELECT count(*) FROM admin_audit_log WHERE admin_id = $1 AND action = 'game.cancel'
			AND target_type = 'games' AND target_id = 'gam_1' AND details = '{"why":"test"}'`, e.adminID)
		if n != 1 {
			t.Fatalf("%d entries", n)
		}
	})
	t.Run("an action without an admin has none and empty details", func(t *testing.T) {
		n := e.count(t, `SELECT count(*) FROM admin_audit_log WHERE admin_id IS NULL AND action = 'system.sweep' AND details = '{}'`)
		if n != 1 {
			t.Fatalf("%d entries", n)
		}
	})
}
