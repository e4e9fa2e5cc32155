package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/gateway/session"
	"github.com/galaxy-platform/galaxy/internal/web/console"
)

// consoleSignIn signs an operator in through the console's form and
// returns the admin cookie.
func consoleSignIn(t *testing.T, b *browser) *http.Cookie {
	t.Helper()
	resp, page := b.do(http.MethodPost, "/admin/signin", url.Values{"username": {testAdminUser}, "password": {testAdminPassword}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin" {
		t.Fatalf("console sign-in: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), page)
	}
	for _, c := range resp.Cookies() {
		if c.Name == console.CookieName {
			return c
		}
	}
	t.Fatal("no admin cookie")
	return nil
}

// TestConsoleSessions: the operator console signs in with the backend's
// admin sessions into a cookie of its own, kept apart from the player's
// session both ways, and refuses cross-site posts.
func TestConsoleSessions(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	base := startGateway(t, r, true)

	t.Run("signed out, every console page leads to its sign-in", func(t *testing.T) {
		b := newBrowser(t, base)
		if resp, _ := b.do(http.MethodGet, "/admin", nil, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/signin" {
			t.Fatalf("/admin signed out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, page := b.do(http.MethodPost, "/admin/signin", url.Values{"username": {testAdminUser}, "password": {"wrong"}}, nil)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "Wrong username or password.") {
			t.Fatalf("a wrong password: %d", resp.StatusCode)
		}
	})

	t.Run("the admin cookie is its own: HttpOnly, SameSite=Strict, Secure, for /admin only", func(t *testing.T) {
		b := newBrowser(t, base)
		c := consoleSignIn(t, b)
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || !c.Secure || c.Path != "/admin" {
			t.Fatalf("cookie %+v", c)
		}
		_, page := b.follow("/admin")
		for _, want := range []string{"Overview", "Games", "Engines", "Mail deliveries", "Backend: <span class=\"ok\">ready"} {
			if !strings.Contains(page, want) {
				t.Errorf("the overview lacks %q", want)
			}
		}
	})

	t.Run("a player's session opens no console page, and the admin cookie no player page", func(t *testing.T) {
		player := newBrowser(t, base)
		pc := player.signIn(r, "notanoperator@example.com")
		resp, _ := player.do(http.MethodGet, "/admin", nil, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/signin" {
			t.Fatalf("/admin with a player's session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		// The player's token presented as an admin token is refused by the backend.
		forged := newBrowser(t, base)
		resp, _ = forged.do(http.MethodGet, "/admin", nil, map[string]string{"Cookie": console.CookieName + "=" + pc.Value})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/signin") {
			t.Fatalf("/admin with a player's token in the admin cookie: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		ops := newBrowser(t, base)
		ac := consoleSignIn(t, ops)
		resp, _ = ops.do(http.MethodGet, "/lobby", nil, map[string]string{"Cookie": console.CookieName + "=" + ac.Value})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
			t.Fatalf("a player page with only the admin cookie: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, _ = ops.do(http.MethodGet, "/lobby", nil, map[string]string{"Cookie": session.CookieName + "=" + ac.Value})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
			t.Fatalf("a player page with the admin token as a player cookie: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("cross-site posts are refused; signing out ends the admin session", func(t *testing.T) {
		b := newBrowser(t, base)
		c := consoleSignIn(t, b)
		resp, _ := b.do(http.MethodPost, "/admin/signout", url.Values{}, map[string]string{
			"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a cross-site sign-out: %d, want 403", resp.StatusCode)
		}
		if resp, _ := b.do(http.MethodPost, "/admin/signout", url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-out: %d", resp.StatusCode)
		}
		// The old token is dead at the backend, not only forgotten here.
		stale := newBrowser(t, base)
		resp, _ = stale.do(http.MethodGet, "/admin", nil, map[string]string{"Cookie": console.CookieName + "=" + c.Value})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/signin?ended=1" {
			t.Fatalf("the signed-out token: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}
