package console

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/galaxy-platform/galaxy/internal/web"
)

// View is what every console template receives.
type View struct {
	Title string
	// SignedIn shows the console's menu and sign-out.
	SignedIn bool
	// Nav names the section of the page, for the menu.
	Nav string
	// Error is a message about the request that produced this page.
	Error string
	// Data is the page's own content.
	Data any
}

// T formats t for operators: in UTC, the zone every log and runbook query
// speaks, with the browser's own zone added by the page's <time> element.
func (v *View) T(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// ISO is t in RFC 3339, for <time datetime>.
func (v *View) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type pages map[string]*template.Template

func parsePages() (pages, error) {
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := pages{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New("layout.html").ParseFS(assets, "templates/layout.html", f)
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// render writes page name with v, rendered to a buffer first so that a
// template error is a clean 500. Console pages are never cached.
func (c *Console) render(w http.ResponseWriter, status int, name string, v *View) {
	t, ok := c.pages[name]
	if !ok {
		c.logger.Error("no such console template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		c.logger.Error("console page failed to render", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows err to the operator: an ended admin session goes back to
// sign-in; a refusal shows the backend's message; anything else a generic
// page (details in the log).
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *web.APIError
	switch {
	case errors.As(err, &e) && e.Status == http.StatusUnauthorized:
		c.clearCookie(w)
		http.Redirect(w, r, "/admin/signin?ended=1", http.StatusSeeOther)
	case errors.As(err, &e):
		c.render(w, e.Status, "error", &View{Title: "Refused", SignedIn: true, Error: e.Message})
	default:
		c.logger.Error("console page failed", "path", r.URL.Path, "error", err)
		c.render(w, http.StatusBadGateway, "error", &View{Title: "No answer", SignedIn: true,
			Error: "The backend did not answer. Try again in a moment."})
	}
}

// refusal is the backend's message when it refused a request (a 4xx other
// than an ended session): shown on the page the operator acted from.
func refusal(err error) (string, bool) {
	var e *web.APIError
	if errors.As(err, &e) && e.Status >= 400 && e.Status < 500 && e.Status != http.StatusUnauthorized {
		return e.Message, true
	}
	return "", false
}
