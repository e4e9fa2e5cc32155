package config

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()

	t.Run("serve defaults with a DSN", func(t *testing.T) {
		t.Parallel()
		c, err := Load(ModeServe, env(map[string]string{
			"BACKEND_POSTGRES_DSN":         "postgres://x",
			"BACKEND_INTERNAL_TOKEN":       "0123456789abcdef",
			"BACKEND_PUSH_TOKEN":           "0123456789abcdef",
			"BACKEND_MAIL_SMTP_ADDR":       "smtp.example.com:587",
			"BACKEND_MAIL_SMTP_FROM_EMAIL": "galaxy@example.com",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if c.HTTP.Addr != ":8080" || c.ShutdownTimeout != 30*time.Second || c.Telemetry.TracesExporter != ExporterOTLP {
			t.Fatalf("unexpected defaults: %+v", c)
		}
	})

	t.Run("dev needs no variables and exports nothing", func(t *testing.T) {
		t.Parallel()
		c, err := Load(ModeDev, env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if c.Postgres.DSN != "" || c.Telemetry.TracesExporter != ExporterNone || c.Telemetry.MetricsExporter != ExporterNone {
			t.Fatalf("unexpected dev defaults: %+v", c)
		}
	})

	t.Run("dev listens on the loopback interface only", func(t *testing.T) {
		t.Parallel()
		c, err := Load(ModeDev, env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if c.HTTP.Addr != "127.0.0.1:8080" || c.Push.Addr != "127.0.0.1:8081" {
			t.Fatalf("dev listens on %s and %s", c.HTTP.Addr, c.Push.Addr)
		}
		s, err := Load(ModeServe, env(map[string]string{
			"BACKEND_POSTGRES_DSN": "postgres://x", "BACKEND_INTERNAL_TOKEN": "0123456789abcdef",
			"BACKEND_PUSH_TOKEN": "0123456789abcdef", "BACKEND_MAIL_SMTP_ADDR": "smtp.example.com:587",
			"BACKEND_MAIL_SMTP_FROM_EMAIL": "galaxy@example.com",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if s.HTTP.Addr != ":8080" || s.Push.Addr != ":8081" {
			t.Fatalf("serve listens on %s and %s", s.HTTP.Addr, s.Push.Addr)
		}
	})

	t.Run("dev honours every variable like serve", func(t *testing.T) {
		t.Parallel()
		c, err := Load(ModeDev, env(map[string]string{"BACKEND_HTTP_ADDR": "127.0.0.1:9999", "BACKEND_OTEL_TRACES_EXPORTER": "stdout"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.HTTP.Addr != "127.0.0.1:9999" || c.Telemetry.TracesExporter != "stdout" {
			t.Fatalf("dev ignored a variable: %+v", c)
		}
	})

	t.Run("lists every bad variable at once", func(t *testing.T) {
		t.Parallel()
		_, err := Load(ModeServe, env(map[string]string{
			"BACKEND_SHUTDOWN_TIMEOUT":      "soon",
			"BACKEND_HTTP_ADDR":             "8080",
			"BACKEND_POSTGRES_MAX_CONNS":    "many",
			"BACKEND_LOG_LEVEL":             "loud",
			"BACKEND_OTEL_METRICS_EXPORTER": "prometheus",
		}))
		if !IsValidation(err) {
			t.Fatalf("want a validation error, got %v", err)
		}
		for _, name := range []string{
			"BACKEND_SHUTDOWN_TIMEOUT", "BACKEND_HTTP_ADDR", "BACKEND_POSTGRES_MAX_CONNS",
			"BACKEND_LOG_LEVEL", "BACKEND_POSTGRES_DSN", "BACKEND_METRICS_ADDR",
			"BACKEND_INTERNAL_TOKEN", "BACKEND_MAIL_SMTP_ADDR", "BACKEND_MAIL_SMTP_FROM_EMAIL", "BACKEND_PUSH_TOKEN",
		} {
			if !strings.Contains(err.Error(), name+":") {
				t.Errorf("error does not name %s:\n%v", name, err)
			}
		}
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("not a ValidationError: %T", err)
		}
		if got := len(verr.Problems); got != 10 {
			t.Errorf("want 10 problems, got %d:\n%v", got, err)
		}
	})

	t.Run("rejects non-positive durations", func(t *testing.T) {
		t.Parallel()
		_, err := Load(ModeDev, env(map[string]string{"BACKEND_HTTP_SHUTDOWN_TIMEOUT": "0s"}))
		if err == nil || !strings.Contains(err.Error(), "must be positive") {
			t.Fatalf("want a positivity error, got %v", err)
		}
	})
}

func TestVarsAreDocumented(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, v := range Vars {
		if seen[v.Name] {
			t.Errorf("%s declared twice", v.Name)
		}
		seen[v.Name] = true
		if strings.TrimSpace(v.Doc) == "" {
			t.Errorf("%s has no documentation", v.Name)
		}
		if !strings.HasPrefix(v.Name, "BACKEND_") && v.Name != "GALAXY_HOME" {
			t.Errorf("%s does not start with BACKEND_", v.Name)
		}
	}
}

// TestDocsInSync keeps docs/configuration.md identical to Vars; run
// `make generate` to fix it.
func TestDocsInSync(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReplaceDocsTable(string(doc))
	if err != nil {
		t.Fatal(err)
	}
	if want != string(doc) {
		t.Fatal("docs/configuration.md is out of date with config.Vars: run `make generate`")
	}
}
