package mail

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

func writeTemplate(t *testing.T, dir, name, locale, subject, text, html string) {
	t.Helper()
	d := filepath.Join(dir, name, locale)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	for file, body := range map[string]string{subjectFile: subject, textFile: text, htmlFile: html} {
		if err := os.WriteFile(filepath.Join(d, file), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCatalog(t *testing.T) {
	t.Parallel()

	t.Run("ships every required template in the default locale", func(t *testing.T) {
		t.Parallel()
		c, err := LoadCatalog("", "en")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"auth.login_code", "lobby.invite.created", "lobby.application.approved",
			"game.started", "game.turn.ready", "game.finished"} {
			if !c.Has(name) {
				t.Errorf("missing %s", name)
			}
		}
	})

	t.Run("falls back from region to language to the default locale", func(t *testing.T) {
		t.Parallel()
		c, err := LoadCatalog("", "en")
		if err != nil {
			t.Fatal(err)
		}
		data := map[string]any{"code": "424242", "expires_in_minutes": 10}
		for locale, want := range map[string]string{"de-AT": "de", "de": "de", "fr": "en", "": "en"} {
			r, err := c.Render("auth.login_code", locale, data)
			if err != nil || r.Locale != want {
				t.Errorf("%q: locale %q, want %q (%v)", locale, r.Locale, want, err)
			}
		}
	})

	t.Run("escapes data in HTML but not in text", func(t *testing.T) {
		t.Parallel()
		c, _ := LoadCatalog("", "en")
		r, err := c.Render("lobby.application.approved", "en", map[string]any{"game_name": "<b>x</b>", "race_name": "R"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Text, "<b>x</b>") || strings.Contains(r.HTML, "<b>x</b>") {
			t.Fatalf("text %q\nhtml %q", r.Text, r.HTML)
		}
	})

	t.Run("files in the template dir override embedded ones", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeTemplate(t, dir, "auth.login_code", "en", "Code {{.code}}", "custom {{.code}}", "<p>custom {{.code}}</p>")
		c, err := LoadCatalog(dir, "en")
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.Render("auth.login_code", "en", map[string]any{"code": "7"})
		if err != nil || r.Subject != "Code 7" || r.Text != "custom 7" {
			t.Fatalf("%+v %v", r, err)
		}
	})

	t.Run("a broken template stops the load with its name", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeTemplate(t, dir, "game.turn.ready", "en", "{{.turn", "x", "x")
		_, err := LoadCatalog(dir, "en")
		if err == nil || !strings.Contains(err.Error(), "game.turn.ready") {
			t.Fatalf("want an error naming the template, got %v", err)
		}
	})

	t.Run("a template without the default locale is refused", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeTemplate(t, dir, "custom.only_fr", "fr", "s", "t", "h")
		_, err := LoadCatalog(dir, "en")
		if err == nil || !strings.Contains(err.Error(), "custom.only_fr") {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("missing data names the key", func(t *testing.T) {
		t.Parallel()
		c, _ := LoadCatalog("", "en")
		_, err := c.Render("game.turn.ready", "en", map[string]any{"game_name": "G"})
		if !errs.Is(err, errs.InvalidArgument) || !strings.Contains(err.Error(), "turn") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestWhenShowsEventTimesForReaders(t *testing.T) {
	t.Parallel()
	when := templateFuncs["when"].(func(any) string)
	if got := when("2026-12-06T18:00:00Z"); got != "Sun, 06 Dec 2026 18:00 UTC" {
		t.Fatalf("RFC 3339: %q", got)
	}
	if got := when("soon"); got != "soon" {
		t.Fatalf("other text: %q", got)
	}
}
