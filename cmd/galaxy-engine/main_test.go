package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/engine"
)

// env returns a getenv over m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()

	t.Run("defaults apply with only the token set", func(t *testing.T) {
		t.Parallel()
		cfg, err := loadConfig(env(map[string]string{"GALAXY_ENGINE_TOKEN": "t"}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Addr != ":8090" || cfg.StateDir != "" || cfg.ShutdownTimeout != 30*time.Second || cfg.LogLevel != slog.LevelInfo {
			t.Errorf("defaults = %+v", cfg)
		}
	})

	t.Run("every variable is read", func(t *testing.T) {
		t.Parallel()
		cfg, err := loadConfig(env(map[string]string{
			"GALAXY_ENGINE_TOKEN": "t", "GALAXY_ENGINE_ADDR": "127.0.0.1:9", "GALAXY_ENGINE_STATE_DIR": "/state",
			"GALAXY_ENGINE_SHUTDOWN_TIMEOUT": "5s", "GALAXY_ENGINE_LOG_LEVEL": "debug",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Addr != "127.0.0.1:9" || cfg.StateDir != "/state" || cfg.ShutdownTimeout != 5*time.Second || cfg.LogLevel != slog.LevelDebug {
			t.Errorf("config = %+v", cfg)
		}
	})

	t.Run("every bad variable is reported at once", func(t *testing.T) {
		t.Parallel()
		_, err := loadConfig(env(map[string]string{"GALAXY_ENGINE_SHUTDOWN_TIMEOUT": "soon", "GALAXY_ENGINE_LOG_LEVEL": "loud"}))
		if err == nil {
			t.Fatal("accepted")
		}
		for _, want := range []string{"GALAXY_ENGINE_TOKEN", "GALAXY_ENGINE_SHUTDOWN_TIMEOUT", "GALAXY_ENGINE_LOG_LEVEL"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
		}
	})
}

func TestRun(t *testing.T) {
	t.Parallel()

	t.Run("help lists every variable", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		if err := run(t.Context(), []string{"--help"}, env(nil), &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"GALAXY_ENGINE_TOKEN", "GALAXY_ENGINE_ADDR", "GALAXY_ENGINE_STATE_DIR", "GALAXY_ENGINE_SHUTDOWN_TIMEOUT"} {
			if !strings.Contains(out.String(), v) {
				t.Errorf("help does not mention %s", v)
			}
		}
	})

	t.Run("version prints the version", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		if err := run(t.Context(), []string{"version"}, env(nil), &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), "galaxy-engine ") {
			t.Errorf("version output %q", out.String())
		}
	})

	t.Run("unknown arguments and missing token fail", func(t *testing.T) {
		t.Parallel()
		if err := run(t.Context(), []string{"serve"}, env(map[string]string{"GALAXY_ENGINE_TOKEN": "t"}), io.Discard, io.Discard); err == nil {
			t.Error("unknown argument accepted")
		}
		if err := run(t.Context(), nil, env(nil), io.Discard, io.Discard); err == nil {
			t.Error("missing token accepted")
		}
	})

	t.Run("serves until the context ends, then stops cleanly", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		logs, logw := io.Pipe()
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, nil, env(map[string]string{
				"GALAXY_ENGINE_TOKEN": "secret", "GALAXY_ENGINE_ADDR": "127.0.0.1:0",
				"GALAXY_ENGINE_STATE_DIR": t.TempDir(), "GALAXY_ENGINE_SHUTDOWN_TIMEOUT": "5s",
			}), logw, io.Discard)
			_ = logw.Close()
		}()

		addr := listenAddr(t, logs)
		c, err := engine.NewClient("http://"+addr, "secret")
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Healthz(ctx); err != nil {
			t.Fatalf("Healthz: %v", err)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("run did not return after the context ended")
		}
	})
}

// listenAddr reads JSON log lines until the "engine listening" one and
// returns its address; the rest of the log is drained in the background so
// the server never blocks on it.
func listenAddr(t *testing.T, logs io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(logs)
	for sc.Scan() {
		var line struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		if line.Msg == "engine listening" {
			go func() { _, _ = io.Copy(io.Discard, logs) }()
			return line.Addr
		}
	}
	t.Fatalf("no listening line in the log: %v", sc.Err())
	return ""
}
