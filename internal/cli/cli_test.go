package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// run runs the command line args with no environment variables and empty
// standard input.
func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = Run(context.Background(), Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		LookupEnv: func(string) (string, bool) { return "", false },
	}, args)
	return out.String(), errOut.String(), err
}

func TestHelp(t *testing.T) {
	t.Parallel()
	cases := map[string]string{ // command line -> first line of its help
		"--help":                    "Usage: galaxy <command>",
		"-h":                        "Usage: galaxy <command>",
		"help":                      "Usage: galaxy <command>",
		"migrate up --help":         "Usage: galaxy migrate up|status",
		"migrate status -h":         "Usage: galaxy migrate up|status",
		"help migrate":              "Usage: galaxy migrate up|status",
		"push --help":               "Usage: galaxy push <command>",
		"push tail --addr x --help": "Usage: galaxy push tail",
		"help push tail":            "Usage: galaxy push tail",
		"admin --help":              "Usage: galaxy admin <command>",
		"admin create --help":       "Usage: galaxy admin create",
		"psql --help":               "Usage: galaxy psql",
	}
	for name := range commands() {
		cases[name+" --help"] = "Usage: galaxy " + name
	}
	for line, want := range cases {
		t.Run(line, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, err := run(t, strings.Fields(line)...)
			if err != nil || stderr != "" {
				t.Fatalf("err %v, stderr %q", err, stderr)
			}
			_, usage, _ := strings.Cut(stdout, "Usage: ")
			usage, _, _ = strings.Cut("Usage: "+usage, "\n")
			if usage != want && !strings.HasPrefix(usage, want+" ") {
				t.Fatalf("help is not %q:\n%s", want, stdout)
			}
			if n := strings.Count(stdout, "Usage:"); n != 1 {
				t.Fatalf("help printed %d times:\n%s", n, stdout)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]string{ // command line -> part of the message
		"":                              "no command given (see 'galaxy help')",
		"frobnicate":                    `unknown command "frobnicate" (see 'galaxy help')`,
		"help frobnicate":               `unknown command "frobnicate"`,
		"--bogus":                       "unknown flag --bogus",
		"serve --bogus":                 "serve: flag provided but not defined: -bogus (see 'galaxy serve --help')",
		"serve now":                     `serve: takes no arguments, got "now"`,
		"dev now":                       `dev: takes no arguments, got "now"`,
		"version now":                   `version: takes no arguments, got "now"`,
		"migrate":                       "migrate: missing argument: up or status (see 'galaxy migrate --help')",
		"migrate down":                  `migrate: want one argument, up or status, got "down"`,
		"migrate up status":             `migrate: want one argument, up or status, got "up status"`,
		"push":                          "push: missing command, one of: tail (see 'galaxy push --help')",
		"push nope":                     `push: unknown command "nope"`,
		"push tail":                     "push tail: a token is required (--token or BACKEND_PUSH_TOKEN) (see 'galaxy push tail --help')",
		"push tail --token t -cursor x": `push tail: --cursor: want a whole number, got "x"`,
		"admin":                         "admin: missing command, one of: create",
		"admin create":                  "admin create: --username is required",
		"admin create --username a":     "admin create: no password on standard input",
	}
	for line, want := range cases {
		t.Run(line, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, err := run(t, strings.Fields(line)...)
			if !errors.Is(err, ErrUsage) {
				t.Fatalf("err %v, want a usage error", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, want) || strings.Contains(msg, "usage error") || strings.Contains(msg, "usage:") {
				t.Fatalf("message %q, want %q (and no usage boilerplate)", msg, want)
			}
			if stdout != "" {
				t.Fatalf("usage error printed on stdout:\n%s", stdout)
			}
			if line != "" && stderr != "" { // `galaxy` alone lists the commands on stderr
				t.Fatalf("printed on stderr besides the error:\n%s", stderr)
			}
		})
	}
}

func TestDevGatewayListensOnLoopback(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "127.0.0.1:8090"},
		{map[string]string{"GATEWAY_HTTP_ADDR": ":9999"}, ":9999"},
	} {
		cfg, err := devGatewayConfig(Env{LookupEnv: func(k string) (string, bool) {
			v, ok := c.env[k]
			return v, ok
		}})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.HTTPAddr != c.want {
			t.Errorf("env %v: gateway on %s, want %s", c.env, cfg.HTTPAddr, c.want)
		}
	}
}

func TestDevBanner(t *testing.T) {
	t.Parallel()
	b := devBanner{Web: "http://127.0.0.1:8090/", API: "http://127.0.0.1:8080", Push: "127.0.0.1:8081",
		DatabaseDSN: "host=/x/run port=5432 user=postgres dbname=postgres", AdminUser: "admin"}
	b.generated("BACKEND_DEV_ADMIN_PASSWORD", "pw0123456789")
	b.generated("BACKEND_INTERNAL_TOKEN", "internal0123456789")
	b.generated("BACKEND_PUSH_TOKEN", "push0123456789")
	text := b.String()
	if first := strings.TrimSpace(text); !strings.HasPrefix(first, "web: http://127.0.0.1:8090/   <- open this in your browser") {
		t.Fatalf("the web line is not first:\n%s", text)
	}
	for _, want := range []string{
		"export BACKEND_DEV_ADMIN_PASSWORD=pw0123456789\n",
		"export BACKEND_INTERNAL_TOKEN=internal0123456789\n",
		"export BACKEND_PUSH_TOKEN=push0123456789\n",
		`galaxy psql  (or: psql -d "host=/x/run port=5432 user=postgres dbname=postgres")`,
		"API:        http://127.0.0.1:8080/api/v1/",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("banner lacks %q:\n%s", want, text)
		}
	}

	pinned := devBanner{Web: "http://127.0.0.1:8090/", API: "http://127.0.0.1:8080", Push: "127.0.0.1:8081", AdminUser: "admin"}
	if text := pinned.String(); strings.Contains(text, "export") || strings.Contains(text, "psql") {
		t.Errorf("nothing generated, no private database, yet:\n%s", text)
	}
}

func TestSettleWriter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("waits for a pause in the logs", func(t *testing.T) {
		t.Parallel()
		w := newSettleWriter(&bytes.Buffer{})
		stop := time.Now().Add(300 * time.Millisecond)
		go func() {
			for time.Now().Before(stop) {
				_, _ = w.Write([]byte("log\n"))
				time.Sleep(20 * time.Millisecond)
			}
		}()
		if !w.settle(ctx, 150*time.Millisecond, 5*time.Second) {
			t.Fatal("settle gave up")
		}
		if now := time.Now(); now.Before(stop) {
			t.Fatalf("settled %v before the logs paused", stop.Sub(now))
		}
		if idle := time.Since(time.Unix(0, w.last.Load())); idle < 150*time.Millisecond {
			t.Fatalf("settled after only %v of quiet", idle)
		}
	})

	t.Run("waits no longer than its bound", func(t *testing.T) {
		t.Parallel()
		w := newSettleWriter(&bytes.Buffer{})
		done := make(chan struct{})
		defer close(done)
		go func() {
			for {
				select {
				case <-done:
					return
				case <-time.After(10 * time.Millisecond):
					_, _ = w.Write([]byte("log\n"))
				}
			}
		}()
		begin := time.Now()
		if !w.settle(ctx, time.Second, 200*time.Millisecond) {
			t.Fatal("settle gave up")
		}
		if took := time.Since(begin); took > 900*time.Millisecond {
			t.Fatalf("waited %v", took)
		}
	})

	t.Run("gives up when the run ends", func(t *testing.T) {
		t.Parallel()
		w := newSettleWriter(&bytes.Buffer{})
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		if w.settle(ctx, time.Hour, time.Hour) {
			t.Fatal("settled after the end")
		}
	})
}
