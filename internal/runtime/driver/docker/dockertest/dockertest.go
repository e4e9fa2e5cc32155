// Package dockertest gives tests the real Docker Engine of the machine: it
// skips the test when no daemon answers, builds the galaxy-engine image
// FROM scratch for the run (as `make engine-image` does), and removes
// everything the run labelled when the test ends.
package dockertest

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

// RunLabel marks everything one test run creates on the Docker host, so the
// run finds and removes it whatever happened, and so its drivers never see
// containers of other runs (give Labels to the driver's configuration).
const RunLabel = "galaxy.test.run"

// Env is the real Docker Engine the tests run against, with the engine
// image built for this run.
type Env struct {
	// Cli is a client of the daemon, closed at cleanup.
	Cli *client.Client
	// Run is this run's value of RunLabel.
	Run string
	// Image is the tag of the engine image built for this run.
	Image string
}

// Labels returns the labels a driver of this run puts on what it creates.
func (env *Env) Labels() map[string]string { return map[string]string{RunLabel: env.Run} }

// RandomHex returns n random bytes in hex, for ids and tokens no other run
// uses.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails
	return hex.EncodeToString(b)
}

// New skips the test when no Docker daemon answers; otherwise it builds the
// galaxy-engine image from scratch for this run and registers the removal
// of the image and of everything labelled with the run.
func New(t *testing.T) *Env {
	t.Helper()
	cli, err := client.New(client.FromEnv)
	if err != nil {
		t.Fatalf("docker client: %v", err)
	}
	t.Cleanup(func() { _ = cli.Close() })
	pingCtx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if _, err := cli.Ping(pingCtx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		t.Skipf("no Docker daemon reachable at %s (%v): skipping the tests against the real Docker Engine", cli.DaemonHost(), err)
	}

	env := &Env{Cli: cli, Run: RandomHex(6)}
	env.Image = "galaxy-engine-test:" + env.Run
	// Registered first, so it runs last: after every container is gone.
	t.Cleanup(env.removeImage(t))
	t.Cleanup(env.sweep(t))
	env.buildImage(t)
	return env
}

// buildImage builds the static galaxy-engine binary and the image of
// deploy/engine.Dockerfile around it, as `make engine-image` does, through
// the Docker API.
func (env *Env) buildImage(t *testing.T) {
	t.Helper()
	start := time.Now()
	root := moduleRoot(t)
	bin := filepath.Join(t.TempDir(), "galaxy-engine")
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build the engine binary: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-trimpath", "-buildvcs=false", "-o", bin, "./cmd/galaxy-engine")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/galaxy-engine: %v\n%s", err, out)
	}
	dockerfile, err := os.ReadFile(filepath.Join(root, "deploy", "engine.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	binary, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	buildCtx := buildContext(t, dockerfile, binary)

	res, err := env.Cli.ImageBuild(ctx, buildCtx, client.ImageBuildOptions{
		Tags:        []string{env.Image},
		Dockerfile:  "Dockerfile",
		Remove:      true,
		ForceRemove: true,
		Labels:      map[string]string{RunLabel: env.Run},
	})
	if err != nil {
		t.Fatalf("image build: %v", err)
	}
	defer res.Body.Close()
	if err := buildOutcome(res.Body); err != nil {
		t.Fatalf("image build: %v", err)
	}
	t.Logf("built %s in %s", env.Image, time.Since(start).Round(time.Millisecond))
}

// buildContext returns the tar build context of deploy/engine.mk's
// engine-binary target: Dockerfile, galaxy-engine, and an empty state/.
func buildContext(t *testing.T, dockerfile, binary []byte) io.Reader {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	now := time.Now()
	for _, f := range []struct {
		name string
		mode int64
		body []byte
		dir  bool
	}{
		{name: "Dockerfile", mode: 0o644, body: dockerfile},
		{name: "galaxy-engine", mode: 0o755, body: binary},
		{name: "state/", mode: 0o755, dir: true},
	} {
		h := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body)), ModTime: now, Typeflag: tar.TypeReg}
		if f.dir {
			h.Typeflag = tar.TypeDir
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// buildOutcome reads the build's JSON message stream to its end (the build
// runs while it is read) and returns the error it reports, if any.
func buildOutcome(r io.Reader) error {
	dec := json.NewDecoder(r)
	var log strings.Builder
	for {
		var msg struct {
			Stream string `json:"stream"`
			Error  string `json:"error"`
		}
		err := dec.Decode(&msg)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		log.WriteString(msg.Stream)
		if msg.Error != "" {
			return errors.New(msg.Error + "\n" + log.String())
		}
	}
}

// moduleRoot returns the directory of go.mod above the test's directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// removeImage returns the cleanup that removes this run's image.
func (env *Env) removeImage(t *testing.T) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, err := env.Cli.ImageRemove(ctx, env.Image, client.ImageRemoveOptions{Force: true, PruneChildren: true})
		if err != nil && !strings.Contains(err.Error(), "No such image") {
			t.Errorf("cleanup: remove image %s: %v", env.Image, err)
		}
	}
}

// sweep returns the cleanup that removes every container, volume and
// network labelled with this run, whatever the tests left behind.
func (env *Env) sweep(t *testing.T) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		f := client.Filters{}.Add("label", RunLabel+"="+env.Run)
		cs, err := env.Cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
		if err != nil {
			t.Errorf("cleanup: list containers: %v", err)
		}
		for _, c := range cs.Items {
			if _, err := env.Cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
				t.Errorf("cleanup: remove container %s: %v", c.ID, err)
			}
		}
		vs, err := env.Cli.VolumeList(ctx, client.VolumeListOptions{Filters: f})
		if err != nil {
			t.Errorf("cleanup: list volumes: %v", err)
		}
		for _, v := range vs.Items {
			if _, err := env.Cli.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true}); err != nil {
				t.Errorf("cleanup: remove volume %s: %v", v.Name, err)
			}
		}
		ns, err := env.Cli.NetworkList(ctx, client.NetworkListOptions{Filters: f})
		if err != nil {
			t.Errorf("cleanup: list networks: %v", err)
		}
		for _, n := range ns.Items {
			if _, err := env.Cli.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{}); err != nil {
				t.Errorf("cleanup: remove network %s: %v", n.Name, err)
			}
		}
	}
}
