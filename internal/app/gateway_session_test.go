package app

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

// browser is a plain HTTP client with a cookie jar that does not follow
// redirects, so each answer can be checked.
type browser struct {
	t    testing.TB
	base string
	c    *http.Client
}

func newBrowser(t testing.TB, base string) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request as the gateway's own pages would (same origin).
func (b *browser) do(method, path string, form url.Values, header map[string]string) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method != http.MethodGet {
		req.Header.Set("Origin", b.base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

// follow GETs path and follows redirects, returning the final page.
func (b *browser) follow(path string) (string, string) {
	b.t.Helper()
	for range 5 {
		resp, page := b.do(http.MethodGet, path, nil, nil)
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
			return path, page
		}
		path = resp.Header.Get("Location")
	}
	b.t.Fatalf("too many redirects from %s", path)
	return "", ""
}

var challengeRe = regexp.MustCompile(`name="challenge_id" value="([^"]+)"`)

// signIn walks the gateway's two sign-in forms, reading the code from the
// SMTP sink, and returns the Set-Cookie of the session.
func (b *browser) signIn(r *running, email string) *http.Cookie {
	b.t.Helper()
	before := r.sink.Count()
	resp, page := b.do(http.MethodPost, "/signin", url.Values{"email": {email}}, nil)
	m := challengeRe.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		b.t.Fatalf("sign-in step 1: %d %s", resp.StatusCode, page)
	}
	resp, _ = b.do(http.MethodPost, "/signin", url.Values{"email": {email}, "challenge_id": {m[1]}, "code": {r.codeSince(b.t, email, before)}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/lobby" {
		b.t.Fatalf("sign-in step 2: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, c := range resp.Cookies() {
		if c.Name == session.CookieName {
			return c
		}
	}
	b.t.Fatal("no session cookie")
	return nil
}

func TestGatewaySessions(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	base := startGateway(t, r, true)

	t.Run("the session cookie is HttpOnly, SameSite=Lax and Secure when configured", func(t *testing.T) {
		b := newBrowser(t, base)
		c := b.signIn(r, "flags@example.com")
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || !c.Secure || c.Path != "/" {
			t.Fatalf("cookie %+v", c)
		}
		if strings.HasPrefix(c.Value, "gxu_") == false {
			t.Fatalf("the cookie holds no backend token: %q", c.Value)
		}
	})

	t.Run("a cross-site POST is refused and changes nothing", func(t *testing.T) {
		b := newBrowser(t, base)
		b.signIn(r, "victim@example.com")
		resp, _ := b.do(http.MethodPost, "/signout", url.Values{}, map[string]string{
			"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site",
		})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site sign-out: %d", resp.StatusCode)
		}
		if path, _ := b.follow("/lobby"); path != "/lobby" {
			t.Fatalf("the session did not survive a refused cross-site POST: ended at %s", path)
		}
	})

	t.Run("sign-out revokes the backend session", func(t *testing.T) {
		b := newBrowser(t, base)
		c := b.signIn(r, "leaver@example.com")
		resp, _ := b.do(http.MethodPost, "/signout", url.Values{}, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
			t.Fatalf("sign-out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/me", c.Value, nil, nil); code != http.StatusUnauthorized {
			t.Fatalf("the backend session outlived sign-out: %d", code)
		}
	})

	t.Run("a session revoked elsewhere bounces to sign-in with a message", func(t *testing.T) {
		b := newBrowser(t, base)
		c := b.signIn(r, "elsewhere@example.com")
		if code, _ := r.call(t, http.MethodDelete, "/api/v1/user/sessions/current", c.Value, nil, nil); code != http.StatusNoContent {
			t.Fatalf("revoke: %d", code)
		}
		path, page := b.follow("/lobby")
		if path != "/signin" || !strings.Contains(page, "Your session has ended") {
			t.Fatalf("revoked session: ended at %s", path)
		}
	})

	t.Run("a blocked player is bounced on the next request", func(t *testing.T) {
		b := newBrowser(t, base)
		b.signIn(r, "rogue@example.com")
		var users struct {
			Items []struct {
				UserID string `json:"user_id"`
			} `json:"items"`
		}
		admin := r.adminToken(t)
		r.call(t, http.MethodGet, "/api/v1/admin/users?query=rogue@example.com", admin, nil, &users)
		if len(users.Items) != 1 {
			t.Fatalf("users: %+v", users)
		}
		if code, _ := r.call(t, http.MethodPost, "/api/v1/admin/users/"+users.Items[0].UserID+"/block", admin,
			map[string]any{"reason": "cheating", "permanent": true}, nil); code != http.StatusOK {
			t.Fatalf("block: %d", code)
		}
		path, page := b.follow("/lobby")
		if path != "/signin" || !strings.Contains(page, "Please sign in again") && !strings.Contains(page, "blocked") {
			t.Fatalf("blocked player: ended at %s", path)
		}
	})

	t.Run("pages need a session; probes answer", func(t *testing.T) {
		b := newBrowser(t, base)
		if path, _ := b.follow("/lobby"); !strings.HasPrefix(path, "/signin") {
			t.Fatalf("signed-out lobby: %s", path)
		}
		for _, p := range []string{"/healthz", "/readyz"} {
			if resp, body := b.do(http.MethodGet, p, nil, nil); resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %s", p, resp.StatusCode, body)
			}
		}
		resp, _ := b.do(http.MethodGet, "/events", nil, nil)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("signed-out /events: %d", resp.StatusCode)
		}
	})
}

// TestGatewayLiveEvents follows a notification from the backend through the
// push stream and the gateway to the signed-in browser's event stream.
func TestGatewayLiveEvents(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	base := startGateway(t, r, false)
	b := newBrowser(t, base)
	b.signIn(r, "guest@example.com")

	req, _ := http.NewRequest(http.MethodGet, base+"/events", nil)
	stream := &http.Client{Jar: b.c.Jar}
	resp, err := stream.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("/events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		buf := make([]byte, 4096)
		var acc string
		for {
			n, err := resp.Body.Read(buf)
			acc += string(buf[:n])
			for {
				i := strings.Index(acc, "\n")
				if i < 0 {
					break
				}
				lines <- acc[:i]
				acc = acc[i+1:]
			}
			if err != nil {
				return
			}
		}
	}()

	host := r.signIn(t, "host@example.com")
	var g gameJSON
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", host.Token, newGameBody("private"), &g); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/invites", host.Token,
		map[string]string{"email": "guest@example.com"}, nil); code != http.StatusCreated {
		t.Fatalf("invite: %d", code)
	}
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the event stream ended")
			}
			if l == "event: lobby.invite.created" {
				return
			}
		case <-timeout:
			t.Fatal("lobby.invite.created never reached the browser's stream")
		}
	}
}
