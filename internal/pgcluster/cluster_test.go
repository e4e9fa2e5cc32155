package pgcluster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestClusterLifecycle(t *testing.T) {
	t.Parallel()
	if _, err := findBinDir(); errors.Is(err, ErrNoBinaries) {
		t.Skip(err)
	}
	ctx := context.Background()
	// t.TempDir's parent is private to us; the server account must
	// traverse the directory, so make one it can.
	dir, err := os.MkdirTemp("", "galaxy-pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Dir: filepath.Join(dir, "pg")})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckReachable(); err != nil {
		t.Fatal(err)
	}
	if err := c.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Init(ctx); err != nil {
		t.Fatalf("second init must keep the cluster: %v", err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop(context.Background()) })
	if err := c.Start(ctx); err != nil {
		t.Fatalf("starting a running cluster must be a no-op: %v", err)
	}
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("query: %v", err)
	}
	_ = conn.Close(ctx)
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Running(ctx) {
		t.Fatal("still running after Stop")
	}
}

func TestCheckReachable(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to another account")
	}
	private := filepath.Join(t.TempDir(), "private")
	if err := os.MkdirAll(private, 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Dir: filepath.Join(private, "pg")})
	if err != nil {
		t.Skip(err)
	}
	err = c.CheckReachable()
	if err == nil || !strings.Contains(err.Error(), "cannot enter "+private) {
		t.Fatalf("want a plain explanation naming %s, got %v", private, err)
	}
}
