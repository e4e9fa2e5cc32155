package gateway

import (
	"os"
	"strings"
	"testing"
)

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	t.Run("defaults with the two required tokens", func(t *testing.T) {
		t.Parallel()
		c, err := LoadConfig(env(map[string]string{"GATEWAY_PUSH_TOKEN": "p", "GATEWAY_INTERNAL_TOKEN": "i"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.HTTPAddr != ":8090" || c.BackendURL != "http://127.0.0.1:8080" || len(c.PushAddrs) != 1 || c.CookieSecure || c.DevMail {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("one push subscription per replica", func(t *testing.T) {
		t.Parallel()
		c, err := LoadConfig(env(map[string]string{"GATEWAY_PUSH_TOKEN": "p", "GATEWAY_INTERNAL_TOKEN": "i",
			"GATEWAY_BACKEND_PUSH_ADDRS": "a:8081, b:8081,", "GATEWAY_COOKIE_SECURE": "true"}))
		if err != nil || len(c.PushAddrs) != 2 || c.PushAddrs[1] != "b:8081" || !c.CookieSecure {
			t.Fatalf("%+v %v", c, err)
		}
	})
	t.Run("every bad variable is reported at once", func(t *testing.T) {
		t.Parallel()
		_, err := LoadConfig(env(map[string]string{"GATEWAY_HTTP_ADDR": "nope", "GATEWAY_BACKEND_URL": "ftp://x",
			"GATEWAY_COOKIE_SECURE": "maybe"}))
		if err == nil {
			t.Fatal("accepted")
		}
		for _, name := range []string{"GATEWAY_HTTP_ADDR", "GATEWAY_BACKEND_URL", "GATEWAY_COOKIE_SECURE", "GATEWAY_PUSH_TOKEN", "GATEWAY_INTERNAL_TOKEN"} {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("%s not reported in:\n%v", name, err)
			}
		}
	})
}

// TestDocsInSync keeps docs/configuration.md's gateway table identical to
// Vars; run `make generate` after changing a variable.
func TestDocsInSync(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), DocsBeginMarker+"\n"+MarkdownTable()+DocsEndMarker) {
		t.Fatal("docs/configuration.md is out of date with gateway.Vars: run `make generate`")
	}
}
