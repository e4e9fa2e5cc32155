package gateway

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the gateway's configuration, read from GATEWAY_* variables.
type Config struct {
	// HTTPAddr is where browsers reach the web client.
	HTTPAddr string
	// BackendURL is the base URL of a backend's HTTP API (any replica, or a
	// load balancer in front of them).
	BackendURL string
	// PushAddrs lists the gRPC push address of every backend replica: each
	// replica pushes only the events its own requests and workers produced.
	PushAddrs []string
	// PushToken is the backend's BACKEND_PUSH_TOKEN.
	PushToken string
	// InternalToken is the backend's BACKEND_INTERNAL_TOKEN, used to resolve
	// browser sessions (and, in dev, to read the stub mailbox).
	InternalToken string
	// CookieSecure marks the session cookie Secure (HTTPS only).
	CookieSecure bool
	// ShutdownTimeout bounds the whole stop.
	ShutdownTimeout time.Duration
	// LogLevel is debug, info, warn or error.
	LogLevel string

	// DevMail serves /dev/mail, the stub mailbox; only `galaxy dev` sets it.
	DevMail bool
}

// Var describes one GATEWAY_* variable: the single source of truth for
// loading and for docs/configuration.md.
type Var struct {
	// Name is the environment variable.
	Name string
	// Default applies when the variable is unset.
	Default string
	// Doc says what it does.
	Doc string
	set func(c *Config, raw string) error
}

// Vars lists every variable the gateway reads.
var Vars = []Var{
	{"GATEWAY_HTTP_ADDR", ":8090", "Listen address of the web client and operator console.", func(c *Config, raw string) error {
		if _, _, err := net.SplitHostPort(raw); err != nil {
			return fmt.Errorf("want host:port (e.g. :8090), got %q", raw)
		}
		c.HTTPAddr = raw
		return nil
	}},
	{"GATEWAY_BACKEND_URL", "http://127.0.0.1:8080", "Base URL of the backend's HTTP API.", func(c *Config, raw string) error {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("want an http(s) URL such as http://backend:8080, got %q", raw)
		}
		c.BackendURL = strings.TrimRight(raw, "/")
		return nil
	}},
	{"GATEWAY_BACKEND_PUSH_ADDRS", "127.0.0.1:8081", "Comma-separated gRPC push addresses, one per backend replica; the gateway subscribes to each.", func(c *Config, raw string) error {
		c.PushAddrs = nil
		for a := range strings.SplitSeq(raw, ",") {
			a = strings.TrimSpace(a)
			if a == "" {
				continue
			}
			if _, _, err := net.SplitHostPort(a); err != nil {
				return fmt.Errorf("want host:port entries, got %q", a)
			}
			c.PushAddrs = append(c.PushAddrs, a)
		}
		if len(c.PushAddrs) == 0 {
			return errors.New("at least one address is required")
		}
		return nil
	}},
	{"GATEWAY_PUSH_TOKEN", "", "The backend's `BACKEND_PUSH_TOKEN` (required).", func(c *Config, raw string) error {
		if raw == "" {
			return errors.New("required: the backend's BACKEND_PUSH_TOKEN")
		}
		c.PushToken = raw
		return nil
	}},
	{"GATEWAY_INTERNAL_TOKEN", "", "The backend's `BACKEND_INTERNAL_TOKEN` (required), to resolve browser sessions.", func(c *Config, raw string) error {
		if raw == "" {
			return errors.New("required: the backend's BACKEND_INTERNAL_TOKEN")
		}
		c.InternalToken = raw
		return nil
	}},
	{"GATEWAY_COOKIE_SECURE", "false", "Mark the session cookie `Secure`; set it when browsers reach the gateway over HTTPS.", func(c *Config, raw string) error {
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", raw)
		}
		c.CookieSecure = b
		return nil
	}},
	{"GATEWAY_SHUTDOWN_TIMEOUT", "15s", "Bound on the whole stop: open event streams are closed, in-flight requests drained.", func(c *Config, raw string) error {
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive Go duration such as 15s, got %q", raw)
		}
		c.ShutdownTimeout = d
		return nil
	}},
	{"GATEWAY_LOG_LEVEL", "info", "`debug`, `info`, `warn` or `error`.", func(c *Config, raw string) error {
		switch raw {
		case "debug", "info", "warn", "error":
			c.LogLevel = raw
			return nil
		}
		return fmt.Errorf("want debug, info, warn or error, got %q", raw)
	}},
}

// LoadConfig reads every variable through getenv (os.LookupEnv in
// production); the error lists every bad or missing variable, one per line.
func LoadConfig(getenv func(string) (string, bool)) (Config, error) {
	var c Config
	var problems []string
	for _, v := range Vars {
		raw, ok := getenv(v.Name)
		if !ok {
			raw = v.Default
		}
		if err := v.set(&c, raw); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", v.Name, err))
		}
	}
	if len(problems) > 0 {
		return Config{}, errors.New("invalid configuration:\n  " + strings.Join(problems, "\n  "))
	}
	return c, nil
}

// Docs markers delimit the gateway's generated table in
// docs/configuration.md.
const (
	DocsBeginMarker = "<!-- BEGIN GENERATED GATEWAY VARIABLES (make generate) -->"
	DocsEndMarker   = "<!-- END GENERATED GATEWAY VARIABLES -->"
)

// MarkdownTable renders Vars for docs/configuration.md.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| variable | default | meaning |\n|---|---|---|\n")
	for _, v := range Vars {
		def := "(empty)"
		if v.Default != "" {
			def = "`" + v.Default + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", v.Name, def, v.Doc)
	}
	return b.String()
}
