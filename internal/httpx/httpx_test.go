package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

type errorResponse struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

func parseErrorBody(t *testing.T, rec *httptest.ResponseRecorder) errorResponse {
	t.Helper()
	var e errorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("body is not the error format: %v: %s", err, rec.Body)
	}
	return e
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	type body struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	cases := []struct {
		name, in string
		code     errs.Code
	}{
		{"accepts a well-formed object", `{"name":"x","n":1}`, ""},
		{"rejects unknown fields", `{"name":"x","extra":1}`, errs.InvalidArgument},
		{"rejects malformed JSON", `{"name":`, errs.InvalidArgument},
		{"rejects wrong types", `{"n":"one"}`, errs.InvalidArgument},
		{"rejects trailing data", `{"name":"x"} {"name":"y"}`, errs.InvalidArgument},
		{"rejects an empty body", ``, errs.InvalidArgument},
		{"refuses bodies over 1 MiB", `{"name":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, errs.PayloadTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(c.in))
			var b body
			err := DecodeJSON(r, &b)
			if got := errs.CodeOf(err); got != c.code {
				t.Fatalf("code %q, want %q (err %v)", got, c.code, err)
			}
		})
	}
	t.Run("names the unknown field", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"nick":"x"}`))
		var b body
		err := errs.As(DecodeJSON(r, &b))
		if err.Details["field"] != "nick" {
			t.Fatalf("details %v", err.Details)
		}
	})
}

func TestWriteError(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))

	t.Run("renders a platform error with its status and details", func(t *testing.T) {
		t.Parallel()
		rec := httptest.NewRecorder()
		WriteError(t.Context(), rec, logger, errs.E(errs.FailedPrecondition, "game is running").WithDetail("status", "running"))
		e := parseErrorBody(t, rec)
		if rec.Code != http.StatusConflict || e.Error.Code != "failed_precondition" || e.Error.Details["status"] != "running" {
			t.Fatalf("%d %+v", rec.Code, e)
		}
	})
	t.Run("hides internal errors", func(t *testing.T) {
		t.Parallel()
		rec := httptest.NewRecorder()
		WriteError(t.Context(), rec, logger, errors.New("pq: password authentication failed for user secret"))
		e := parseErrorBody(t, rec)
		if rec.Code != http.StatusInternalServerError || e.Error.Code != "internal" || strings.Contains(rec.Body.String(), "secret") {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	})
	t.Run("sets Retry-After for rate limits", func(t *testing.T) {
		t.Parallel()
		rec := httptest.NewRecorder()
		WriteError(t.Context(), rec, logger, errs.E(errs.RateLimited, "slow down").WithDetail(RetryAfterDetail, 7))
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "7" {
			t.Fatalf("%d %v", rec.Code, rec.Header())
		}
	})
}

func TestMiddleware(t *testing.T) {
	t.Parallel()

	t.Run("refuses a declared oversized body before reading it", func(t *testing.T) {
		t.Parallel()
		called := false
		h := LimitBody(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("x"))
		r.ContentLength = MaxBodyBytes + 1
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if called || rec.Code != http.StatusRequestEntityTooLarge || parseErrorBody(t, rec).Error.Code != "payload_too_large" {
			t.Fatalf("called=%v %d %s", called, rec.Code, rec.Body)
		}
	})
}
