package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// TestAdminSignInIsLimitedAndAudited: admin passwords cannot be guessed at
// speed. Failed sign-ins are limited per username (however many addresses
// they come from) and per client address (however many usernames it
// tries), with 429 and Retry-After; successful ones do not count; every
// failure is in the audit log, and so is the start of each lock-out.
func TestAdminSignInIsLimitedAndAudited(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Auth.AdminUsernameEvery, cfg.Auth.AdminUsernameBurst = time.Hour, 3
	cfg.Auth.AdminIPEvery, cfg.Auth.AdminIPBurst = time.Hour, 5
	// The test stands in for a proxy, so that it can speak from many addresses.
	cfg.Geo.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	r := startApp(t, cfg)

	type answer struct {
		code   int
		header http.Header
		body   string
	}
	signIn := func(t *testing.T, from, username, password string) answer {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"username": username, "password": password})
		req, err := http.NewRequest(http.MethodPost, r.base+"/api/v1/admin/auth/sessions", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Forwarded-For", from)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return answer{resp.StatusCode, resp.Header, string(raw)}
	}
	limited := func(t *testing.T, a answer) {
		t.Helper()
		code, h, body := a.code, a.header, a.body
		secs, err := strconv.Atoi(h.Get("Retry-After"))
		var e struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		_ = json.Unmarshal([]byte(body), &e)
		if code != http.StatusTooManyRequests || err != nil || secs <= 0 || e.Error.Code != "rate_limited" {
			t.Fatalf("want 429 rate_limited with Retry-After, got %d %q %s", code, h.Get("Retry-After"), body)
		}
	}

	t.Run("successful sign-ins do not count", func(t *testing.T) {
		for i := range 8 {
			if a := signIn(t, "10.0.2.1", testAdminUser, testAdminPassword); a.code != http.StatusCreated {
				t.Fatalf("sign-in %d: %d %s", i+1, a.code, a.body)
			}
		}
	})
	t.Run("a client trying many usernames is stopped", func(t *testing.T) {
		for i := range 5 {
			if a := signIn(t, "10.0.1.1", fmt.Sprintf("guess%d", i), "password1234"); a.code != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d %s", i+1, a.code, a.body)
			}
		}
		limited(t, signIn(t, "10.0.1.1", "guess9", "password1234"))
		limited(t, signIn(t, "10.0.1.1", testAdminUser, testAdminPassword))
	})
	t.Run("a username guessed from many addresses is locked", func(t *testing.T) {
		for i := range 3 {
			if a := signIn(t, fmt.Sprintf("10.0.0.%d", i+1), testAdminUser, "wrong password!"); a.code != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d %s", i+1, a.code, a.body)
			}
		}
		limited(t, signIn(t, "10.0.0.9", testAdminUser, "wrong password!"))
		// Even the right password: a lock-out must not tell a guess that
		// would have worked.
		limited(t, signIn(t, "10.0.0.10", testAdminUser, testAdminPassword))
	})

	t.Run("every failure and each lock-out is audited", func(t *testing.T) {
		pool := pgtest.PoolFor(t, cfg.Postgres.DSN)
		type entry struct{ action, target, username, ip, reason string }
		rows, err := pool.Query(context.Background(), `SELECT action, target_id, details->>'username',
			details->>'client_ip', coalesce(details->>'reason', details->>'limit') FROM admin_audit_log
			WHERE action LIKE 'admin.sign_in.%' AND action <> 'admin.sign_in' ORDER BY entry_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []entry
		for rows.Next() {
			var e entry
			if err := rows.Scan(&e.action, &e.target, &e.username, &e.ip, &e.reason); err != nil {
				t.Fatal(err)
			}
			got = append(got, e)
		}
		var adminID string
		if err := pool.QueryRow(context.Background(), `SELECT admin_id FROM admins WHERE username = $1`, testAdminUser).Scan(&adminID); err != nil {
			t.Fatal(err)
		}
		want := []entry{
			{"admin.sign_in.failed", "", "guess0", "10.0.1.1", "unknown_username"},
			{"admin.sign_in.failed", "", "guess1", "10.0.1.1", "unknown_username"},
			{"admin.sign_in.failed", "", "guess2", "10.0.1.1", "unknown_username"},
			{"admin.sign_in.failed", "", "guess3", "10.0.1.1", "unknown_username"},
			{"admin.sign_in.failed", "", "guess4", "10.0.1.1", "unknown_username"},
			{"admin.sign_in.refused", "", "guess9", "10.0.1.1", "client"},
			{"admin.sign_in.failed", adminID, testAdminUser, "10.0.0.1", "wrong_password"},
			{"admin.sign_in.failed", adminID, testAdminUser, "10.0.0.2", "wrong_password"},
			{"admin.sign_in.failed", adminID, testAdminUser, "10.0.0.3", "wrong_password"},
			{"admin.sign_in.refused", "", testAdminUser, "10.0.0.9", "username"},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("audit:\n got %v\nwant %v", got, want)
		}
	})
}
