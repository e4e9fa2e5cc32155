package cli

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/galaxy-platform/galaxy/internal/app"
	"github.com/galaxy-platform/galaxy/internal/buildinfo"
	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/gateway"
	"github.com/galaxy-platform/galaxy/internal/pgcluster"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

func runDev(ctx context.Context, env Env, args []string) error {
	fs := newFlags("dev", "dev", `
Runs the whole platform on this machine with embedded defaults: a private
PostgreSQL cluster kept in GALAXY_HOME (default ./.galaxy) between runs, no
telemetry exporters. Every BACKEND_* variable is honoured exactly as by
'galaxy serve'; only the defaults differ. Set BACKEND_POSTGRES_DSN to use an
existing database instead of the private cluster. Ctrl-C stops everything,
the private PostgreSQL included.

Everything listens on 127.0.0.1 only (API 8080, push 8081, web client 8090)
unless BACKEND_HTTP_ADDR, BACKEND_GRPC_PUSH_ADDR or GATEWAY_HTTP_ADDR say
otherwise. Logs go to standard error; the addresses go to standard output
once the start-up logs settle, with the admin password, internal token and
push token generated for this run (unless BACKEND_DEV_ADMIN_PASSWORD,
BACKEND_INTERNAL_TOKEN and BACKEND_PUSH_TOKEN are set) as 'export NAME=value'
lines that keep them for the next run. 'galaxy psql' opens psql on the
database.`)
	args, done, err := fs.parse(env, args)
	if done {
		return err
	}
	if len(args) > 0 {
		return fs.errorf("takes no arguments, got %q", args[0])
	}
	cfg, err := config.Load(config.ModeDev, env.LookupEnv)
	if err != nil {
		return err
	}
	// The logs go to standard error, the banner to standard output: on a
	// terminal both show, so the banner waits for the start-up logs to
	// settle rather than scroll away among them.
	logs := newSettleWriter(env.Stderr)
	logger := telemetry.NewLogger(logs, cfg.LogLevel)
	logger.Info("galaxy starting", "mode", cfg.Mode.String(), "version", buildinfo.Version())

	banner := devBanner{AdminUser: cfg.Auth.DevAdminUsername}
	if cfg.Postgres.DSN == "" {
		cluster, err := devCluster(cfg.Home, env.Stderr)
		if err != nil {
			return err
		}
		begin := time.Now()
		if err := cluster.Init(ctx); err != nil {
			return err
		}
		if err := cluster.Start(ctx); err != nil {
			return err
		}
		logger.Info("private postgres running", "dir", cluster.Dir(), "log", cluster.LogFile(),
			"duration", time.Since(begin).String())
		defer func() {
			// Stop even when ctx is cancelled: this runs after Ctrl-C.
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			if err := cluster.Stop(stopCtx); err != nil {
				logger.Error("private postgres did not stop", "error", err)
				return
			}
			logger.Info("private postgres stopped")
		}()
		cfg.Postgres.DSN = cluster.DSN("postgres")
		banner.DatabaseDSN = cfg.Postgres.DSN
	}

	// Secrets left unset are generated for this run; the banner names the
	// variable that pins each, so that the next run can keep them.
	if cfg.Auth.DevAdminPassword == "" {
		cfg.Auth.DevAdminPassword = randomToken()[:20]
		banner.generated("BACKEND_DEV_ADMIN_PASSWORD", cfg.Auth.DevAdminPassword)
	}
	if cfg.InternalToken == "" {
		cfg.InternalToken = randomToken()
		banner.generated("BACKEND_INTERNAL_TOKEN", cfg.InternalToken)
	}
	if cfg.Push.Token == "" {
		cfg.Push.Token = randomToken()
		banner.generated("BACKEND_PUSH_TOKEN", cfg.Push.Token)
	}
	devAdmin := &app.DevAdmin{Username: cfg.Auth.DevAdminUsername, Password: cfg.Auth.DevAdminPassword}
	gwCfg, err := devGatewayConfig(env)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	gwDone := make(chan error, 1)
	gwStarted := false
	err = app.New(cfg, logger, app.Options{
		Version:  buildinfo.Version(),
		DevAdmin: devAdmin,
		OnReady: func(ep app.Endpoints) {
			gwCfg.BackendURL = "http://" + hostPort(ep.HTTP)
			gwCfg.PushAddrs = []string{hostPort(ep.Push)}
			gwCfg.PushToken, gwCfg.InternalToken = cfg.Push.Token, cfg.InternalToken
			gwStarted = true
			web, ok := startDevGateway(ctx, logger, gwCfg, gwDone, cancel)
			if !ok {
				return
			}
			banner.Web, banner.API, banner.Push = web, "http://"+hostPort(ep.HTTP), hostPort(ep.Push)
			if ep.SMTP != nil {
				banner.SMTP, banner.Orders = hostPort(ep.SMTP), ep.OrdersAddress
			}
			text := banner.String()
			// Not in OnReady itself: the backend watches its components
			// only once OnReady returns.
			go func() {
				if logs.settle(ctx, bannerQuiet, bannerMaxWait) {
					_, _ = io.WriteString(env.Stdout, text)
				}
			}()
		},
	}).Run(ctx)
	cancel()
	if gwStarted {
		err = errors.Join(err, <-gwDone)
	}
	return err
}

// The banner waits until the logs have been quiet for bannerQuiet, or for
// bannerMaxWait at most.
const (
	bannerQuiet   = 500 * time.Millisecond
	bannerMaxWait = 3 * time.Second
)

// devGatewayConfig reads GATEWAY_* as galaxy-gateway would; the backend's
// addresses and tokens are filled in once the backend is up. Like the
// backend in dev, the web client listens on the loopback interface unless
// GATEWAY_HTTP_ADDR says otherwise.
func devGatewayConfig(env Env) (gateway.Config, error) {
	return gateway.LoadConfig(func(name string) (string, bool) {
		switch name {
		case "GATEWAY_PUSH_TOKEN", "GATEWAY_INTERNAL_TOKEN":
			return "from-the-dev-backend", true // replaced once the backend is up
		case "GATEWAY_HTTP_ADDR":
			if v, ok := env.LookupEnv(name); ok {
				return v, true
			}
			return devGatewayAddr, true
		}
		return env.LookupEnv(name)
	})
}

// devGatewayAddr is where `galaxy dev` serves the web client by default.
const devGatewayAddr = "127.0.0.1:8090"

// startDevGateway runs the web client in this process and returns its URL
// once it listens. A gateway that fails ends the whole dev run (through
// cancel), like any other component would; then ok is false. done receives
// the gateway's result exactly once.
func startDevGateway(ctx context.Context, logger *slog.Logger, cfg gateway.Config, done chan<- error,
	cancel context.CancelFunc) (web string, ok bool) {
	cfg.DevMail = true
	gw, err := gateway.New(cfg, logger.With("program", "gateway"))
	if err != nil {
		done <- err
		cancel()
		return "", false
	}
	ready := make(chan string, 1)
	go func() {
		err := gw.Run(ctx, func(addr fmt.Stringer) {
			ready <- "http://" + hostPortString(addr.String()) + "/"
		})
		done <- err
		if err != nil {
			cancel()
		}
	}()
	select {
	case web := <-ready:
		return web, true
	case <-ctx.Done():
		return "", false
	}
}

// devBanner is what `galaxy dev` prints once everything runs.
type devBanner struct {
	Web, API, Push string
	// SMTP is the play-by-mail listener and the address it takes mail for
	// ("" when off).
	SMTP, Orders string
	// DatabaseDSN is the private cluster's connection string ("" when
	// BACKEND_POSTGRES_DSN names another database).
	DatabaseDSN string
	AdminUser   string
	// Generated lists the secrets made up for this run, as NAME=value.
	Generated []string
}

func (b *devBanner) generated(name, value string) {
	b.Generated = append(b.Generated, name+"="+value)
}

// String renders the banner; the web client's address comes first: it is
// what a newcomer opens.
func (b devBanner) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "\nweb: %s   <- open this in your browser (sign-in codes: %sdev/mail)\n", b.Web, b.Web)
	fmt.Fprintf(&s, `
Galaxy is running (dev mode).
  API:        %[1]s/api/v1/
  OpenAPI:    %[1]s/api/v1/openapi.yaml
  Readiness:  %[1]s/readyz
  Push:       grpc://%[2]s  (galaxy push tail --addr %[2]s, token $BACKEND_PUSH_TOKEN)
`, b.API, b.Push)
	if b.SMTP != "" {
		fmt.Fprintf(&s, "  Orders by mail: smtp://%s  (mail %s; replies show in %sdev/mail)\n", b.SMTP, b.Orders, b.Web)
	}
	if b.DatabaseDSN != "" {
		fmt.Fprintf(&s, "  Database:   galaxy psql  (or: psql -d %q)\n", b.DatabaseDSN)
	}
	fmt.Fprintf(&s, "  Admin:      username %q, password $BACKEND_DEV_ADMIN_PASSWORD (POST %s/api/v1/admin/auth/sessions)\n",
		b.AdminUser, b.API)
	if len(b.Generated) > 0 {
		s.WriteString("\nGenerated for this run only. To keep them, set them before the next `galaxy dev`:\n")
		for _, kv := range b.Generated {
			s.WriteString("  export " + kv + "\n")
		}
	}
	s.WriteString("\nPress Ctrl-C to stop everything.\n\n")
	return s.String()
}

// settleWriter passes the logs through and notes when they were last
// written, so that the banner can wait for a pause.
type settleWriter struct {
	w    io.Writer
	last atomic.Int64 // UnixNano of the last write
}

func newSettleWriter(w io.Writer) *settleWriter {
	s := &settleWriter{w: w}
	s.last.Store(time.Now().UnixNano())
	return s
}

// Write implements io.Writer.
func (s *settleWriter) Write(p []byte) (int, error) {
	s.last.Store(time.Now().UnixNano())
	return s.w.Write(p)
}

// settle waits until nothing has been written for quiet, or for longest at
// most; it returns false, at once, when ctx ends first.
func (s *settleWriter) settle(ctx context.Context, quiet, longest time.Duration) bool {
	deadline := time.Now().Add(longest)
	for {
		idle := time.Since(time.Unix(0, s.last.Load()))
		left := time.Until(deadline)
		if idle >= quiet || left <= 0 {
			return ctx.Err() == nil
		}
		t := time.NewTimer(min(quiet-idle, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
}

// devCluster places the private cluster under home, or, when the postgres
// account could not reach it (a checkout under /root while running as root),
// under /var/tmp with a name derived from home so each checkout keeps its own.
func devCluster(home string, notes io.Writer) (*pgcluster.Cluster, error) {
	dir := filepath.Join(home, "postgres")
	cluster, err := pgcluster.New(pgcluster.Options{Dir: dir, Durable: true})
	if err != nil {
		return nil, err
	}
	reachErr := cluster.CheckReachable()
	if reachErr == nil {
		return cluster, nil
	}
	abs, _ := filepath.Abs(dir)
	sum := sha256.Sum256([]byte(abs))
	base := os.TempDir()
	if _, err := os.Stat("/var/tmp"); err == nil {
		base = "/var/tmp" // survives reboots, unlike /tmp
	}
	fallback := filepath.Join(base, "galaxy-dev-"+hex.EncodeToString(sum[:6]))
	fmt.Fprintf(notes, "note: %v;\n      keeping the dev database in %s instead (set GALAXY_HOME to choose)\n", reachErr, fallback)
	cluster, err = pgcluster.New(pgcluster.Options{Dir: fallback, Durable: true})
	if err != nil {
		return nil, err
	}
	if err := cluster.CheckReachable(); err != nil {
		return nil, fmt.Errorf("%w; set GALAXY_HOME to a directory every user can traverse", err)
	}
	return cluster, nil
}

// hostPort makes a wildcard listen address clickable.
func hostPort(a net.Addr) string { return hostPortString(a.String()) }

func hostPortString(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// randomToken returns 256 random bits, hex-encoded.
func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}
