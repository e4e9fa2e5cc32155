package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// TestMain doubles as the galaxy binary: with GALAXY_TEST_RUN_MAIN set, the
// test executable runs main() with its arguments, so these tests drive a real
// process (signals, exit codes) without a separate build step.
func TestMain(m *testing.M) {
	if os.Getenv("GALAXY_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(pgtest.Main(m))
}

func galaxy(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append([]string{"GALAXY_TEST_RUN_MAIN=1", "PATH=" + os.Getenv("PATH")}, env...)
	return cmd
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestServe(t *testing.T) {
	t.Parallel()

	t.Run("SIGTERM stops a running server with exit status 0", func(t *testing.T) {
		t.Parallel()
		addr := freeAddr(t)
		cmd := galaxy(t, []string{
			"BACKEND_POSTGRES_DSN=" + pgtest.DSN(t),
			"BACKEND_HTTP_ADDR=" + addr,
			"BACKEND_OTEL_TRACES_EXPORTER=none",
			"BACKEND_OTEL_METRICS_EXPORTER=none",
			"BACKEND_INTERNAL_TOKEN=test-internal-token-0123456789",
			"BACKEND_PUSH_TOKEN=test-push-token-0123456789",
			"BACKEND_GRPC_PUSH_ADDR=127.0.0.1:0",
			"BACKEND_RUNTIME_DRIVER=inprocess",
			"BACKEND_MAIL_SMTP_ADDR=127.0.0.1:2525",
			"BACKEND_MAIL_SMTP_FROM_EMAIL=galaxy@example.com",
		}, "serve")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := false
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			resp, err := http.Get("http://" + addr + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					ready = true
					break
				}
			}
		}
		if !ready {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("never ready:\n%s", stderr.String())
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("exit: %v\n%s", err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatal("did not exit within BACKEND_SHUTDOWN_TIMEOUT")
		}
		if !strings.Contains(stderr.String(), `"msg":"component stopped","component":"telemetry"`) {
			t.Fatalf("no orderly shutdown in logs:\n%s", stderr.String())
		}
	})

	t.Run("bad configuration exits non-zero naming every bad variable", func(t *testing.T) {
		t.Parallel()
		cmd := galaxy(t, []string{"BACKEND_HTTP_ADDR=nope", "BACKEND_SHUTDOWN_TIMEOUT=forever"}, "serve")
		out, err := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); err == nil || code != 1 {
			t.Fatalf("exit %d: %v", code, err)
		}
		for _, v := range []string{"BACKEND_HTTP_ADDR", "BACKEND_SHUTDOWN_TIMEOUT", "BACKEND_POSTGRES_DSN"} {
			if !strings.Contains(string(out), v) {
				t.Errorf("output does not name %s:\n%s", v, out)
			}
		}
	})
}

func TestCommands(t *testing.T) {
	t.Parallel()

	t.Run("migrate up then status lists every migration applied", func(t *testing.T) {
		t.Parallel()
		env := []string{"BACKEND_POSTGRES_DSN=" + pgtest.DSN(t)}
		if out, err := galaxy(t, env, "migrate", "up").CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		out, err := galaxy(t, env, "migrate", "status").Output()
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`(?m)^\d+\s+pending\s`).Match(out) || !strings.Contains(string(out), "00001_foundation.sql") ||
			!strings.Contains(string(out), "river/") {
			t.Fatalf("unexpected status:\n%s", out)
		}
	})

	t.Run("every command has --help", func(t *testing.T) {
		t.Parallel()
		for _, c := range []string{"serve", "dev", "migrate", "version", "push tail"} {
			out, err := galaxy(t, nil, append(strings.Fields(c), "--help")...).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "Usage: galaxy "+c) {
				t.Errorf("%s --help: %v\n%s", c, err, out)
			}
		}
	})

	t.Run("unknown commands are usage errors", func(t *testing.T) {
		t.Parallel()
		cmd := galaxy(t, nil, "frobnicate")
		_ = cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != 2 {
			t.Fatalf("exit %d, want 2", code)
		}
	})

	t.Run("version prints something", func(t *testing.T) {
		t.Parallel()
		out, err := galaxy(t, nil, "version").Output()
		if err != nil || len(bytes.TrimSpace(out)) == 0 {
			t.Fatalf("%v %q", err, out)
		}
	})
}
