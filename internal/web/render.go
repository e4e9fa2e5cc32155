package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// View is what every page template receives: the page's own data in Data,
// and what the layout needs around it.
type View struct {
	// Title is the page's title (the layout adds the site name).
	Title string
	// Me is the signed-in player; nil on public pages.
	Me *apiclient.UserProfile
	// Loc is the player's time zone (UTC when unknown).
	Loc *time.Location
	// Flash is a one-time message carried over a redirect.
	Flash string
	// Error is a message about the request that produced this page.
	Error string
	// Nav names the section the page belongs to, for the menu.
	Nav string
	// GameID is set on a game's pages, so the live script knows which
	// game's events concern the open page.
	GameID string
	// DevMail shows the dev mailbox link.
	DevMail bool
	// Unread counts the player's unread notifications (capped, see
	// UnreadLabel).
	Unread int
	// UnreadMore is set when there are more unread than counted.
	UnreadMore bool
	// Data is the page's own content.
	Data any
}

// T formats t in the player's time zone.
func (v *View) T(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	loc := v.Loc
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
}

// TP formats an optional time.
func (v *View) TP(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return v.T(*t)
}

// UnreadLabel is the badge text.
func (v *View) UnreadLabel() string {
	if v.UnreadMore {
		return fmt.Sprintf("%d+", v.Unread)
	}
	return fmt.Sprint(v.Unread)
}

// ISO is t in RFC 3339, for <time datetime>.
func (v *View) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type pages map[string]*template.Template

var funcs = template.FuncMap{
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
	"derefInt": func(n *int) int {
		if n == nil {
			return 0
		}
		return *n
	},
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
	"num": func(f float64) string {
		s := fmt.Sprintf("%.2f", f)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		return s
	},
	"join": strings.Join,
	// playTurns is how many turns a group needs for a distance at a speed.
	"playTurns": playTurns,
}

// parsePages builds one template set per page: the layout, the shared
// partials, and the page's own file, so that pages cannot clash on the
// names of the blocks they define.
func parsePages() (pages, error) {
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := pages{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		shared, _ := fs.Glob(assets, "templates/_*.html")
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, append([]string{"templates/layout.html", f}, shared...)...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// render writes page name with v, completing v from the request (flash
// message). It renders to a buffer first so a template error becomes a clean
// 500 instead of half a page.
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, name string, v *View) {
	t, ok := u.pages[name]
	if !ok {
		u.logger.Error("no such page template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if v.Flash == "" {
		v.Flash = u.takeFlash(w, r)
	}
	v.DevMail = u.devMail
	if v.Loc == nil {
		v.Loc = time.UTC
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		u.logger.Error("render page", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

const flashCookie = "galaxy_flash"

// redirect answers 303 to target, carrying msg to the next page.
func (u *UI) redirect(w http.ResponseWriter, r *http.Request, target, msg string) {
	if msg != "" {
		//nolint:gosec // Secure follows GATEWAY_COOKIE_SECURE, like the session cookie.
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: encodeFlash(msg), Path: "/", MaxAge: 60,
			HttpOnly: true, Secure: u.cookies.Secure, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, target, http.StatusSeeOther) //nolint:gosec // targets are the gateway's own paths or safeNext's
}

func (u *UI) takeFlash(w http.ResponseWriter, r *http.Request) string {
	ck, err := r.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	//nolint:gosec // Secure follows GATEWAY_COOKIE_SECURE, like the session cookie.
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: u.cookies.Secure, SameSite: http.SameSiteLaxMode})
	return decodeFlash(ck.Value)
}
