package user_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/user"
)

// serve runs one request through the handlers as the user guard leaves it:
// with the caller in the context (none when userID is empty).
func serve(t *testing.T, e *env, method, userID, body string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	h := &user.Handlers{Service: e.svc, Logger: quiet}
	req := httptest.NewRequest(method, "/api/v1/user/me", strings.NewReader(body))
	if userID != "" {
		req = req.WithContext(authctx.WithUser(req.Context(), authctx.User{UserID: userID, SessionID: "ses_x"}))
	}
	rec := httptest.NewRecorder()
	switch method {
	case http.MethodGet:
		h.GetMe(rec, req)
	case http.MethodPatch:
		h.UpdateMe(rec, req)
	default:
		t.Fatalf("no handler for %s", method)
	}
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%d %s: %v", rec.Code, rec.Body, err)
	}
	return rec, out
}

func errorCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestMeHandlers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.signUp(t, "kate@example.com")

	t.Run("GET answers the caller's profile", func(t *testing.T) {
		rec, out := serve(t, e, http.MethodGet, u.UserID, "")
		if rec.Code != http.StatusOK || out["user_id"] != u.UserID || out["email"] != "kate@example.com" ||
			out["display_name"] != "kate" || out["timezone"] != "UTC" || out["status"] != "active" {
			t.Fatalf("%d %v", rec.Code, out)
		}
	})
	t.Run("without a caller both answer 401", func(t *testing.T) {
		for _, m := range []string{http.MethodGet, http.MethodPatch} {
			rec, out := serve(t, e, m, "", `{"display_name":"x"}`)
			if rec.Code != http.StatusUnauthorized || errorCode(out) != "unauthenticated" {
				t.Fatalf("%s: %d %v", m, rec.Code, out)
			}
		}
	})
	t.Run("PATCH saves the change and answers the profile", func(t *testing.T) {
		rec, out := serve(t, e, http.MethodPatch, u.UserID, `{"display_name":" Kate ","timezone":"Asia/Tokyo"}`)
		if rec.Code != http.StatusOK || out["display_name"] != "Kate" || out["timezone"] != "Asia/Tokyo" {
			t.Fatalf("%d %v", rec.Code, out)
		}
		if _, out := serve(t, e, http.MethodGet, u.UserID, ""); out["display_name"] != "Kate" {
			t.Fatalf("%v", out)
		}
	})
	for _, c := range []struct{ name, body string }{
		{"an invalid time zone", `{"timezone":"Atlantis/Central"}`},
		{"a NUL in the name", `{"display_name":"a\u0000b"}`},
		{"an unknown field", `{"nickname":"k"}`},
		{"malformed JSON", `{"display_name":`},
	} {
		t.Run("PATCH answers 400 to "+c.name, func(t *testing.T) {
			rec, out := serve(t, e, http.MethodPatch, u.UserID, c.body)
			if rec.Code != http.StatusBadRequest || errorCode(out) != "invalid_argument" {
				t.Fatalf("%d %v", rec.Code, out)
			}
		})
	}
	t.Run("a caller whose account is gone gets 404", func(t *testing.T) {
		rec, out := serve(t, e, http.MethodGet, "usr_gone", "")
		if rec.Code != http.StatusNotFound || errorCode(out) != "not_found" {
			t.Fatalf("%d %v", rec.Code, out)
		}
	})
}
