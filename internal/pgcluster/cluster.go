// Package pgcluster runs a private PostgreSQL cluster from the server binaries
// installed on the machine, for `galaxy dev` and for the test harness.
//
// The cluster listens only on a Unix socket in its own directory, so it never
// collides with another PostgreSQL on the machine, and trusts local
// connections. When the process runs as root, the server runs as the
// `postgres` account, because PostgreSQL refuses to run as root.
package pgcluster

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Port is the port number in the socket's name; no TCP port is opened.
const Port = 5432

// maxSocketDirLen keeps the socket path under the kernel's 108-byte limit.
const maxSocketDirLen = 80

// Options configure a cluster.
type Options struct {
	// Dir holds the data directory, the server log and (usually) the socket.
	Dir string
	// Durable keeps fsync on (dev); tests turn it off for speed.
	Durable bool
}

// Cluster is one private PostgreSQL cluster.
type Cluster struct {
	dir       string
	dataDir   string
	socketDir string
	logFile   string
	durable   bool
	binDir    string
	account   *runAs
}

// New locates the binaries and prepares paths; it starts nothing.
func New(opts Options) (*Cluster, error) {
	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	account, err := serverAccount()
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{
		dir:       dir,
		dataDir:   filepath.Join(dir, "data"),
		socketDir: filepath.Join(dir, "run"),
		logFile:   filepath.Join(dir, "postgres.log"),
		durable:   opts.Durable,
		binDir:    binDir,
		account:   account,
	}
	if len(c.socketDir) > maxSocketDirLen {
		sum := sha256.Sum256([]byte(dir))
		c.socketDir = filepath.Join(os.TempDir(), "galaxy-pg-"+hex.EncodeToString(sum[:6]))
	}
	return c, nil
}

// CheckReachable fails when the server account could not reach the cluster's
// directory (for example a checkout under /root while running as root).
func (c *Cluster) CheckReachable() error {
	if err := c.account.checkTraversable(c.dir); err != nil {
		return err
	}
	return c.account.checkTraversable(c.socketDir)
}

// Dir returns the cluster's directory.
func (c *Cluster) Dir() string { return c.dir }

// LogFile returns the path of the server log.
func (c *Cluster) LogFile() string { return c.logFile }

// DSN returns a connection string for database name over the Unix socket.
func (c *Cluster) DSN(name string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", c.socketDir, Port, name)
}

// Init creates the data directory with initdb unless it already exists.
func (c *Cluster) Init(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); err == nil {
		return nil
	}
	for _, d := range []string{c.dir, c.socketDir} {
		// Parents must stay traversable for the server account.
		if err := os.MkdirAll(filepath.Dir(d), 0o755); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if err := c.account.chown(d); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
	}
	// initdb refuses a non-empty target; a half-created one from an
	// interrupted run is useless, so start over.
	if err := os.RemoveAll(c.dataDir); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	_, err := c.run(ctx, "initdb", "-D", c.dataDir, "-U", "postgres", "--auth=trust",
		"-E", "UTF8", "--locale=C", "--no-instructions")
	return err
}

// Running reports whether the server of this data directory is up.
func (c *Cluster) Running(ctx context.Context) bool {
	_, err := c.run(ctx, "pg_ctl", "-D", c.dataDir, "status")
	return err == nil
}

// Start starts the server and waits until it accepts connections. Starting a
// running cluster is a no-op.
func (c *Cluster) Start(ctx context.Context) error {
	if c.Running(ctx) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(c.socketDir), 0o755); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := os.MkdirAll(c.socketDir, 0o700); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := c.account.chown(c.socketDir); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	opts := []string{
		"-c listen_addresses=''",
		"-k " + c.socketDir,
		fmt.Sprintf("-p %d", Port),
		"-c max_connections=300",
		"-c shared_buffers=128MB",
	}
	if !c.durable {
		opts = append(opts, "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")
	}
	_, err := c.run(ctx, "pg_ctl", "-D", c.dataDir, "-l", c.logFile, "-w", "-t", "60",
		"-o", strings.Join(opts, " "), "start")
	if err != nil {
		return fmt.Errorf("%w (server log: %s)", err, c.logFile)
	}
	return nil
}

// Stop shuts the server down (fast mode: active sessions are ended) and waits.
func (c *Cluster) Stop(ctx context.Context) error {
	if !c.Running(ctx) {
		return nil
	}
	_, err := c.run(ctx, "pg_ctl", "-D", c.dataDir, "-m", "fast", "-w", "-t", "60", "stop")
	return err
}

// run executes one server binary as the server account.
func (c *Cluster) run(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, name), args...)
	cmd.SysProcAttr = c.account.sysProcAttr()
	cmd.Dir = "/"
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return out.String(), fmt.Errorf("pgcluster: %s failed: %s", name, strings.TrimSpace(out.String()))
		}
		return out.String(), fmt.Errorf("pgcluster: %s: %w", name, err)
	}
	return out.String(), nil
}
