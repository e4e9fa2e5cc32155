package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

//go:embed templates
var embeddedTemplates embed.FS

// A template is stored as templates/<name>/<locale>/{subject.txt,text.txt,html.html}.
const (
	subjectFile = "subject.txt"
	textFile    = "text.txt"
	htmlFile    = "html.html"
)

// localized is one template in one locale, parsed.
type localized struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// Catalog is the immutable set of mail templates, parsed once at start-up.
type Catalog struct {
	defaultLocale string
	templates     map[string]map[string]*localized // name → locale → parsed
}

// Rendered is a message rendered from a template.
type Rendered struct {
	Locale  string
	Subject string
	Text    string
	HTML    string
}

// LoadCatalog parses the embedded templates, then the files under dir (when
// non-empty), which override embedded ones per template and locale. Every
// template must exist in defaultLocale. A template that does not parse
// fails the load with its name and the parser's error.
func LoadCatalog(dir, defaultLocale string) (*Catalog, error) {
	c := &Catalog{defaultLocale: defaultLocale, templates: map[string]map[string]*localized{}}
	sub, err := fs.Sub(embeddedTemplates, "templates")
	if err != nil {
		return nil, err
	}
	if err := c.load(sub, "embedded"); err != nil {
		return nil, err
	}
	if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("mail templates: BACKEND_MAIL_TEMPLATE_DIR: %w", err)
		}
		if err := c.load(os.DirFS(dir), dir); err != nil {
			return nil, err
		}
	}
	for name, locales := range c.templates {
		if locales[defaultLocale] == nil {
			return nil, fmt.Errorf("mail template %s: no version in the default locale %q", name, defaultLocale)
		}
	}
	return c, nil
}

func (c *Catalog) load(fsys fs.FS, origin string) error {
	names, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return fmt.Errorf("mail templates (%s): %w", origin, err)
	}
	for _, n := range names {
		if !n.IsDir() {
			continue
		}
		locales, err := fs.ReadDir(fsys, n.Name())
		if err != nil {
			return fmt.Errorf("mail template %s (%s): %w", n.Name(), origin, err)
		}
		for _, l := range locales {
			if !l.IsDir() {
				continue
			}
			t, err := parseLocalized(fsys, path.Join(n.Name(), l.Name()))
			if err != nil {
				return fmt.Errorf("mail template %s, locale %s (%s): %w", n.Name(), l.Name(), origin, err)
			}
			if c.templates[n.Name()] == nil {
				c.templates[n.Name()] = map[string]*localized{}
			}
			c.templates[n.Name()][l.Name()] = t
		}
	}
	return nil
}

func parseLocalized(fsys fs.FS, dir string) (*localized, error) {
	read := func(file string) (string, error) {
		b, err := fs.ReadFile(fsys, path.Join(dir, file))
		return string(b), err
	}
	subject, err := read(subjectFile)
	if err != nil {
		return nil, err
	}
	text, err := read(textFile)
	if err != nil {
		return nil, err
	}
	html, err := read(htmlFile)
	if err != nil {
		return nil, err
	}
	// missingkey=error turns absent template data into a render error, which
	// intake reports as invalid_argument instead of mailing "<no value>".
	t := &localized{}
	if t.subject, err = texttemplate.New(subjectFile).Option("missingkey=error").Funcs(templateFuncs).Parse(strings.TrimSpace(subject)); err != nil {
		return nil, err
	}
	if t.text, err = texttemplate.New(textFile).Option("missingkey=error").Funcs(templateFuncs).Parse(text); err != nil {
		return nil, err
	}
	if t.html, err = htmltemplate.New(htmlFile).Option("missingkey=error").Funcs(templateFuncs).Parse(html); err != nil {
		return nil, err
	}
	return t, nil
}

// Names lists the template names, sorted.
func (c *Catalog) Names() []string {
	out := make([]string, 0, len(c.templates))
	for n := range c.templates {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the catalog holds a template of that name.
func (c *Catalog) Has(name string) bool { return c.templates[name] != nil }

// resolveLocale picks the exact locale, then its language ("de" for
// "de-AT"), then the default.
func (c *Catalog) resolveLocale(name, locale string) string {
	locales := c.templates[name]
	norm := strings.ReplaceAll(strings.TrimSpace(locale), "_", "-")
	if locales[norm] != nil {
		return norm
	}
	if lang, _, ok := strings.Cut(norm, "-"); ok && locales[strings.ToLower(lang)] != nil {
		return strings.ToLower(lang)
	}
	if locales[strings.ToLower(norm)] != nil {
		return strings.ToLower(norm)
	}
	return c.defaultLocale
}

// Render renders template name for locale with data. Unknown templates and
// missing or unusable data are invalid_argument errors that name the problem.
func (c *Catalog) Render(name, locale string, data map[string]any) (Rendered, error) {
	if !c.Has(name) {
		return Rendered{}, errs.E(errs.InvalidArgument, "unknown mail template %q", name).
			WithDetail("template", name).WithDetail("known_templates", c.Names())
	}
	loc := c.resolveLocale(name, locale)
	t := c.templates[name][loc]
	var subject, text, html bytes.Buffer
	for _, step := range []struct {
		part string
		run  func() error
	}{
		{"subject", func() error { return t.subject.Execute(&subject, data) }},
		{"text", func() error { return t.text.Execute(&text, data) }},
		{"html", func() error { return t.html.Execute(&html, data) }},
	} {
		if err := step.run(); err != nil {
			return Rendered{}, errs.E(errs.InvalidArgument, "template %q cannot be rendered with the given data: %s",
				name, templateProblem(err)).WithDetail("template", name).WithDetail("part", step.part)
		}
	}
	return Rendered{Locale: loc, Subject: subject.String(), Text: text.String(), HTML: html.String()}, nil
}

// templateProblem shortens text/template's errors ("template: x:1:2:
// executing ... map has no entry for key "code"") to their useful tail.
func templateProblem(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.Contains(msg, "executing") {
		return msg[i+2:]
	}
	return msg
}

// templateFuncs are the helpers every template may use.
var templateFuncs = map[string]any{
	// when shows an RFC 3339 time (as events carry them) for a reader:
	// "Sun, 06 Dec 2026 18:00 UTC"; anything else is shown as it is.
	"when": func(v any) string {
		s := fmt.Sprint(v)
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return s
		}
		return t.UTC().Format("Mon, 02 Jan 2006 15:04 MST")
	},
}
