package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/galaxy-platform/galaxy/internal/app"
	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/mail/smtptest"
	"github.com/galaxy-platform/galaxy/internal/pgcluster"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

// platform is a backend this run started for itself, the way `galaxy dev`
// runs one (dev defaults, in-process engines, a private PostgreSQL), but
// with its mail going to an in-process SMTP server that the players read
// their sign-in codes from.
type platform struct {
	base          string
	adminPassword string
	codes         *mailbox
	sink          *smtptest.Server
	logs          *logWatch
	// dir holds the cluster, the engines' state and the platform's log.
	dir     string
	cluster *pgcluster.Cluster
	cancel  context.CancelFunc
	done    chan error
}

// platformAdmin is the operator the platform creates for the run.
const platformAdmin = "loadtest"

// startPlatform starts PostgreSQL (unless dsn names a database), the SMTP
// sink and the backend, and returns once the backend serves. Whatever
// started is stopped again when it fails.
func startPlatform(ctx context.Context, dsn string, verbose bool, stderr io.Writer) (_ *platform, err error) {
	dir, err := os.MkdirTemp("", "galaxy-loadtest-")
	if err != nil {
		return nil, err
	}
	// Run as root, PostgreSQL runs as the postgres account, which must be
	// able to enter this directory to reach its own below it.
	if err := os.Chmod(dir, 0o755); err != nil { //nolint:gosec // only directory names are visible; the cluster's own directory is 0700
		return nil, err
	}
	p := &platform{dir: dir, codes: newMailbox()}
	defer func() {
		if err != nil {
			err = errors.Join(err, p.stop(context.WithoutCancel(ctx), true))
		}
	}()
	logFile, err := os.Create(filepath.Join(dir, "platform.log"))
	if err != nil {
		return nil, err
	}
	var logOut io.Writer = logFile
	if verbose {
		logOut = io.MultiWriter(logFile, stderr)
	}
	p.logs = &logWatch{w: logOut, closer: logFile}

	if dsn == "" {
		if dsn, err = p.startCluster(ctx); err != nil {
			return nil, err
		}
	}
	if p.sink, err = smtptest.Start(); err != nil {
		return nil, err
	}
	p.sink.SetResponder(p.codes.tap)

	cfg, err := config.Load(config.ModeDev, platformEnv(dsn, p.sink.Addr(), filepath.Join(dir, "engines")))
	if err != nil {
		return nil, err
	}
	p.adminPassword = randomHex(16)
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p.cancel, p.done = cancel, make(chan error, 1)
	ready := make(chan app.Endpoints, 1)
	logger := telemetry.NewLogger(p.logs, cfg.LogLevel)
	go func() {
		p.done <- app.New(cfg, logger, app.Options{
			Version:  "loadtest",
			OnReady:  func(ep app.Endpoints) { ready <- ep },
			DevAdmin: &app.DevAdmin{Username: platformAdmin, Password: p.adminPassword},
		}).Run(runCtx)
	}()
	select {
	case ep := <-ready:
		p.base = "http://" + ep.HTTP.String()
		return p, nil
	case err := <-p.done:
		p.done <- err // for stop
		return nil, fmt.Errorf("the platform did not start: %w (log: %s)", err, filepath.Join(dir, "platform.log"))
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// startCluster initialises and starts a private PostgreSQL in the run's
// directory. It keeps fsync on, as `galaxy dev` and production do, although
// the data is thrown away: commits that cost what they cost in production
// hold locks as long, and contention shows as it would there.
func (p *platform) startCluster(ctx context.Context) (string, error) {
	cluster, err := pgcluster.New(pgcluster.Options{Dir: filepath.Join(p.dir, "postgres"), Durable: true})
	if err != nil {
		return "", err
	}
	if err := cluster.CheckReachable(); err != nil {
		return "", fmt.Errorf("%w; set TMPDIR to a directory every user can enter", err)
	}
	if err := cluster.Init(ctx); err != nil {
		return "", err
	}
	p.cluster = cluster
	if err := cluster.Start(ctx); err != nil {
		return "", err
	}
	return cluster.DSN("postgres"), nil
}

// platformEnv is the environment the backend reads its configuration from:
// the process's own BACKEND_* variables (so they tune the platform under
// load as they tune `galaxy dev`), except where the run must decide.
func platformEnv(dsn, smtpAddr, stateDir string) func(string) (string, bool) {
	fixed := map[string]string{
		"BACKEND_POSTGRES_DSN": dsn,
		// Loopback only, on free ports: another platform may be running.
		"BACKEND_HTTP_ADDR":      "127.0.0.1:0",
		"BACKEND_GRPC_PUSH_ADDR": "127.0.0.1:0",
		// Orders come over HTTP here; no mail intake is needed.
		"BACKEND_SMTP_INBOUND_ADDR": "",
		"BACKEND_MAIL_SMTP_MODE":    "smtp",
		"BACKEND_MAIL_SMTP_ADDR":    smtpAddr,
		"BACKEND_INTERNAL_TOKEN":    randomHex(32),
		"BACKEND_PUSH_TOKEN":        randomHex(32),
		"BACKEND_RUNTIME_STATE_DIR": stateDir,
		// Every simulated player connects from 127.0.0.1 and names its own
		// address in X-Forwarded-For, as behind a proxy: the sign-in rate
		// limit per client address then applies per player, as it would
		// to people at home.
		"BACKEND_TRUSTED_PROXIES":  "127.0.0.1/32",
		"BACKEND_SHUTDOWN_TIMEOUT": "20s",
	}
	return func(name string) (string, bool) {
		if v, ok := fixed[name]; ok {
			return v, true
		}
		if name == "BACKEND_LOG_LEVEL" {
			if v, ok := os.LookupEnv(name); ok {
				return v, true
			}
			return "warn", true // the run reports warnings and errors
		}
		return os.LookupEnv(name)
	}
}

// stop shuts the backend down, then the sink and PostgreSQL, and removes
// the run's directory unless keep is set (to read the log after a failure).
func (p *platform) stop(ctx context.Context, keep bool) error {
	var err error
	if p.cancel != nil {
		p.cancel()
		err = <-p.done
	}
	if p.sink != nil {
		err = errors.Join(err, p.sink.Close())
	}
	if p.cluster != nil {
		stopCtx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		err = errors.Join(err, p.cluster.Stop(stopCtx))
	}
	if p.logs != nil {
		err = errors.Join(err, p.logs.Close())
	}
	if !keep && err == nil {
		err = os.RemoveAll(p.dir)
	}
	return err
}

// randomHex returns n random bytes, hex-encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}
