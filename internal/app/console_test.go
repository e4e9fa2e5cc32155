package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

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
		for _, want := range []string{"Overview", "Engines", "Mail deliveries", "Backend: <span class=\"ok\">ready",
			`href="/admin/games?status=enrollment_open"`, `href="/admin/dead-letters"`} {
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

// runningGame starts a public game of two players and returns its id.
func runningGame(t *testing.T, r *running, admin string) string {
	t.Helper()
	players := []signedIn{r.signIn(t, "console-a@example.com"), r.signIn(t, "console-b@example.com")}
	var g gameJSON
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", players[0].Token, newGameBody("public"), &g); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	for i, p := range players {
		var a appJSON
		r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications", p.Token, map[string]string{"race_name": []string{"Consolers", "Watchers"}[i]}, &a)
		r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications/"+a.ApplicationID+"/approve", players[0].Token, nil, nil)
	}
	r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/close-enrollment", players[0].Token, nil, nil)
	r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/start", players[0].Token, nil, nil)
	waitRunning(t, r, admin, g.GameID)
	return g.GameID
}

// TestConsoleGames: an operator finds a game, reads its engine and
// members, forces a turn and sees the counter move, pauses and resumes it,
// and reads the backend's refusal of what cannot be done.
func TestConsoleGames(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	base := startGateway(t, r, false)
	gameID := runningGame(t, r, r.adminToken(t))
	b := newBrowser(t, base)
	consoleSignIn(t, b)

	_, page := b.follow("/admin/games?status=running&name=andro")
	if !strings.Contains(page, `href="/admin/games/`+gameID+`"`) {
		t.Fatalf("the running game is not listed:\n%s", page)
	}
	if _, page := b.follow("/admin/games?name=nosuchname"); !strings.Contains(page, "No game matches.") {
		t.Fatal("a name search that matches nothing lists games")
	}
	_, page = b.follow("/admin/games/" + gameID)
	for _, want := range []string{"Consolers", "Watchers", "inprocess", `<dd data-turn>0</dd>`, "Run the next turn now"} {
		if !strings.Contains(page, want) {
			t.Errorf("the game page lacks %q", want)
		}
	}
	// Forcing a turn needs the tick, then moves the counter.
	if resp, page := b.do(http.MethodPost, "/admin/games/"+gameID+"/force-next-turn", url.Values{}, nil); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(page, "Tick the box to confirm") {
		t.Fatalf("an unconfirmed forced turn: %d", resp.StatusCode)
	}
	resp, _ := b.do(http.MethodPost, "/admin/games/"+gameID+"/force-next-turn", url.Values{"confirm": {"yes"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("forced turn: %d", resp.StatusCode)
	}
	_, page = b.follow(resp.Header.Get("Location"))
	if !strings.Contains(page, "Run the next turn now: turn 1 ran") || !strings.Contains(page, `<dd data-turn>1</dd>`) {
		t.Fatalf("after the forced turn:\n%s", page)
	}
	// Pause and resume; resuming a running game is the backend's refusal, shown.
	if resp, _ := b.do(http.MethodPost, "/admin/games/"+gameID+"/pause", url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pause: %d", resp.StatusCode)
	}
	if resp, _ := b.do(http.MethodPost, "/admin/games/"+gameID+"/resume", url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resume: %d", resp.StatusCode)
	}
	if resp, page := b.do(http.MethodPost, "/admin/games/"+gameID+"/resume", url.Values{}, nil); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(page, `role="alert"`) {
		t.Fatalf("resuming a running game: %d", resp.StatusCode)
	}
}

// TestConsoleUsers: an operator finds a player by email, blocks them for
// good — the player's open browser session is bounced on its next request,
// and the page says what the block released — then unblocks them.
func TestConsoleUsers(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	base := startGateway(t, r, false)
	player := newBrowser(t, base)
	player.signIn(r, "blockme@example.com")
	var g gameJSON
	// The player's own game, which the permanent block releases.
	me := r.signIn(t, "blockme@example.com")
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", me.Token, newGameBody("public"), &g); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	ops := newBrowser(t, base)
	consoleSignIn(t, ops)
	_, page := ops.follow("/admin/users?query=blockme%40example.com")
	href := `href="/admin/users/` + me.User.UserID + `"`
	if !strings.Contains(page, href) {
		t.Fatalf("the player is not found:\n%s", page)
	}
	if _, page := ops.follow("/admin/users/" + me.User.UserID); !strings.Contains(page, "Andromeda") || !strings.Contains(page, "Live sessions") {
		t.Fatalf("the user's page:\n%s", page)
	}
	if resp, page := ops.do(http.MethodPost, "/admin/users/"+me.User.UserID+"/block", url.Values{"reason": {""}}, nil); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(page, "Say why") {
		t.Fatalf("a block without a reason: %d", resp.StatusCode)
	}
	resp, _ := ops.do(http.MethodPost, "/admin/users/"+me.User.UserID+"/block", url.Values{"reason": {"cheating"}, "permanent": {"yes"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("block: %d", resp.StatusCode)
	}
	_, page = ops.follow(resp.Header.Get("Location"))
	if !strings.Contains(page, "Blocked permanently; released: Andromeda enrollment_open → cancelled; 2 session(s) ended.") ||
		!strings.Contains(page, "<td>cancelled</td>") {
		t.Fatalf("the block's report:\n%s", page)
	}
	// The player's browser is bounced on its next request.
	if resp, _ := player.do(http.MethodGet, "/lobby", nil, nil); resp.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Fatalf("the blocked player's next page: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = ops.do(http.MethodPost, "/admin/users/"+me.User.UserID+"/unblock", url.Values{}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unblock: %d", resp.StatusCode)
	}
	if _, page := ops.follow(resp.Header.Get("Location")); !strings.Contains(page, "Unblocked") || !strings.Contains(page, `<span class="status">active</span>`) {
		t.Fatalf("after unblocking:\n%s", page)
	}
}

// TestConsoleMail: an operator finds a player's sign-in mail without ever
// seeing the code, sends it again and watches the new delivery's attempt,
// and reads the audit log of what they did.
func TestConsoleMail(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	base := startGateway(t, r, false)
	before := r.sink.Count()
	r.signIn(t, "mailed@example.com")
	code := r.codeSince(t, "mailed@example.com", before)
	ops := newBrowser(t, base)
	consoleSignIn(t, ops)

	_, page := ops.follow("/admin/mail?recipient=mailed%40example.com&template=auth.login_code")
	m := regexp.MustCompile(`href="/admin/mail/(dlv_[a-z0-9]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the sign-in mail is not listed:\n%s", page)
	}
	_, page = ops.follow("/admin/mail/" + m[1])
	if strings.Contains(page, code) {
		t.Fatal("the console shows a sign-in code")
	}
	if !strings.Contains(page, `sandbox="allow-same-origin"`) || !strings.Contains(page, "[hidden]") {
		t.Fatalf("the delivery page:\n%s", page)
	}
	resp, html := ops.do(http.MethodGet, "/admin/mail/"+m[1]+"/html", nil, nil)
	if resp.StatusCode != http.StatusOK || strings.Contains(html, code) || !strings.Contains(html, "[hidden]") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("the delivery's HTML: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Security-Policy"), html)
	}
	resp, _ = ops.do(http.MethodPost, "/admin/mail/"+m[1]+"/resend", url.Values{}, nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/mail/dlv_") {
		t.Fatalf("resend: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resent := resp.Header.Get("Location")
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		_, page = ops.follow(resent)
		if strings.Contains(page, "<td>sent</td>") {
			break // the new delivery's attempt is listed
		}
		if time.Now().After(deadline) {
			t.Fatalf("no attempt on the resent delivery:\n%s", page)
		}
	}
	if !strings.Contains(page, "Sent again as a new delivery") || strings.Contains(page, code) {
		t.Fatalf("the resent delivery's page:\n%s", page)
	}
	for _, path := range []string{"/admin/mail", "/admin/audit", "/admin/dead-letters", "/admin"} {
		if _, page := ops.follow(path); strings.Contains(page, code) {
			t.Fatalf("%s shows a sign-in code", path)
		}
	}
	_, page = ops.follow("/admin/audit?target_type=deliveries")
	if !strings.Contains(page, "resend") || !strings.Contains(page, testAdminUser) {
		t.Fatalf("the audit log lacks the resend:\n%s", page)
	}
}
