package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
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

	t.Run("help is printed once, on stdout, with exit status 0", func(t *testing.T) {
		t.Parallel()
		for _, c := range []struct{ args, usage string }{
			{"--help", "Usage: galaxy <command>"},
			{"help", "Usage: galaxy <command>"},
			{"serve --help", "Usage: galaxy serve"},
			{"dev --help", "Usage: galaxy dev"},
			{"migrate --help", "Usage: galaxy migrate"},
			{"migrate up --help", "Usage: galaxy migrate"},
			{"psql --help", "Usage: galaxy psql"},
			{"version --help", "Usage: galaxy version"},
			{"push --help", "Usage: galaxy push <command>"},
			{"push tail --help", "Usage: galaxy push tail"},
			{"admin --help", "Usage: galaxy admin <command>"},
			{"admin create --help", "Usage: galaxy admin create"},
		} {
			cmd := galaxy(t, nil, strings.Fields(c.args)...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if err != nil || stderr.Len() > 0 || !strings.HasPrefix(strings.TrimPrefix(stdout.String(),
				"galaxy — the Galaxy game platform backend\n\n"), c.usage) || strings.Count(stdout.String(), "Usage:") != 1 {
				t.Errorf("galaxy %s: %v\nstdout:\n%s\nstderr:\n%s", c.args, err, &stdout, &stderr)
			}
		}
	})

	t.Run("usage errors: one clean line on stderr, exit status 2", func(t *testing.T) {
		t.Parallel()
		for _, c := range []struct{ args, msg string }{
			{"frobnicate", `galaxy: unknown command "frobnicate" (see 'galaxy help')`},
			{"migrate", "galaxy: migrate: missing argument: up or status (see 'galaxy migrate --help')"},
			{"serve --bogus", "galaxy: serve: flag provided but not defined: -bogus (see 'galaxy serve --help')"},
			{"push", "galaxy: push: missing command, one of: tail (see 'galaxy push --help')"},
		} {
			cmd := galaxy(t, nil, strings.Fields(c.args)...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			_ = cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != 2 || stdout.Len() > 0 || stderr.String() != c.msg+"\n" {
				t.Errorf("galaxy %s: exit %d\nstdout:\n%s\nstderr:\n%s\nwant stderr %q", c.args, code, &stdout, &stderr, c.msg)
			}
		}
	})

	t.Run("psql runs psql on BACKEND_POSTGRES_DSN with psql's exit status", func(t *testing.T) {
		t.Parallel()
		env := []string{"BACKEND_POSTGRES_DSN=" + pgtest.DSN(t)}
		out, err := galaxy(t, env, "psql", "-X", "-A", "-t", "-c", "SELECT count(*) > 0 FROM backend.goose_db_version").CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "t" {
			t.Fatalf("%v\n%s", err, out)
		}
		cmd := galaxy(t, env, "psql", "-X", "-c", "SELECT nonsense")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		_ = cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(stderr.String(), `column "nonsense" does not exist`) ||
			strings.Contains(stderr.String(), "galaxy:") {
			t.Fatalf("exit %d\n%s", code, &stderr)
		}
	})

	t.Run("psql without a database says how to get one", func(t *testing.T) {
		t.Parallel()
		cmd := galaxy(t, []string{"GALAXY_HOME=" + t.TempDir()}, "psql")
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), "is not running: start `galaxy dev`") {
			t.Fatalf("exit %d\n%s", code, out)
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

// syncBuffer collects a process's output from both of its pipes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// startDev runs `galaxy dev` on loopback ports chosen by the system, with
// stdout and stderr in one buffer as on a terminal, and returns the banner
// once printed. Interrupting it is up to the caller.
func startDev(t *testing.T, env []string) (*exec.Cmd, *syncBuffer, string) {
	t.Helper()
	cmd := galaxy(t, append([]string{
		"BACKEND_HTTP_ADDR=127.0.0.1:0",
		"BACKEND_GRPC_PUSH_ADDR=127.0.0.1:0", "BACKEND_SMTP_INBOUND_ADDR=127.0.0.1:0",
		"GATEWAY_HTTP_ADDR=127.0.0.1:0",
		"BACKEND_RUNTIME_STATE_DIR=" + t.TempDir(),
		"GALAXY_HOME=" + t.TempDir(),
	}, env...), "dev")
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	const end = "Press Ctrl-C to stop everything.\n"
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		all := out.String()
		if i := strings.Index(all, end); i >= 0 {
			begin := strings.LastIndex(all[:i], "\nweb: ")
			if begin < 0 {
				t.Fatalf("the banner does not start with the web line:\n%s", all)
			}
			return cmd, out, all[begin : i+len(end)]
		}
	}
	t.Fatalf("no banner within 30s:\n%s", out)
	return nil, nil, ""
}

// interrupt stops a `galaxy dev` like Ctrl-C and wants exit status 0.
func interrupt(t *testing.T, cmd *exec.Cmd, out *syncBuffer) {
	t.Helper()
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, out)
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("did not stop:\n%s", out)
	}
}

func TestDev(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)

	cmd, out, banner := startDev(t, []string{"BACKEND_POSTGRES_DSN=" + dsn})
	if strings.Contains(banner, `{"time"`) {
		t.Fatalf("log lines inside the banner:\n%s", banner)
	}
	if all := out.String(); strings.Index(all, `"msg":"galaxy ready"`) > strings.Index(all, banner) {
		t.Fatalf("the banner came before the start-up logs:\n%s", all)
	}
	if !regexp.MustCompile(`^\nweb: http://127\.0\.0\.1:\d+/ `).MatchString(banner) {
		t.Fatalf("the web line is not first, or not on loopback:\n%s", banner)
	}
	// Every generated secret is printed as the variable that pins it.
	pinned := []string{"BACKEND_POSTGRES_DSN=" + dsn}
	for _, name := range []string{"BACKEND_DEV_ADMIN_PASSWORD", "BACKEND_INTERNAL_TOKEN", "BACKEND_PUSH_TOKEN"} {
		m := regexp.MustCompile(`(?m)^  export (` + name + `=\S+)$`).FindStringSubmatch(banner)
		if m == nil {
			t.Fatalf("no %s in the banner:\n%s", name, banner)
		}
		pinned = append(pinned, m[1])
	}
	interrupt(t, cmd, out)

	// A second run with them set generates nothing, and the pinned admin
	// password signs in.
	cmd, out, banner = startDev(t, pinned)
	defer interrupt(t, cmd, out)
	if strings.Contains(banner, "export") {
		t.Fatalf("secrets generated though pinned:\n%s", banner)
	}
	api := regexp.MustCompile(`API: +(http://127\.0\.0\.1:\d+)/api/v1/`).FindStringSubmatch(banner)
	if api == nil {
		t.Fatalf("no API on loopback in the banner:\n%s", banner)
	}
	password := strings.TrimPrefix(pinned[1], "BACKEND_DEV_ADMIN_PASSWORD=")
	resp, err := http.Post(api[1]+"/api/v1/admin/auth/sessions", "application/json",
		strings.NewReader(`{"username":"admin","password":"`+password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("admin sign-in with the pinned password: %s", resp.Status)
	}
}
