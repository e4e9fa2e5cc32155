package cli

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/galaxy-platform/galaxy/internal/app"
	"github.com/galaxy-platform/galaxy/internal/buildinfo"
	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/gateway"
	"github.com/galaxy-platform/galaxy/internal/pgcluster"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

func runDev(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "dev", "dev", `
Runs the whole platform on this machine with embedded defaults: a private
PostgreSQL cluster kept in GALAXY_HOME (default ./.galaxy) between runs, no
telemetry exporters. Every BACKEND_* variable is honoured exactly as by
'galaxy serve'; only the defaults differ. Set BACKEND_POSTGRES_DSN to use an
existing database instead of the private cluster. Ctrl-C stops everything,
the private PostgreSQL included.`)
	if done, err := parse(fs, env, args); done {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: dev takes no arguments", ErrUsage)
	}
	cfg, err := config.Load(config.ModeDev, env.LookupEnv)
	if err != nil {
		return err
	}
	logger := telemetry.NewLogger(env.Stderr, cfg.LogLevel)
	logger.Info("galaxy starting", "mode", cfg.Mode.String(), "version", buildinfo.Version())

	if cfg.Postgres.DSN == "" {
		cluster, err := devCluster(cfg.Home, env)
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
	}

	generatedToken := cfg.InternalToken == ""
	if generatedToken {
		cfg.InternalToken = randomToken()
	}
	generatedPushToken := cfg.Push.Token == ""
	if generatedPushToken {
		cfg.Push.Token = randomToken()
	}
	devAdmin := &app.DevAdmin{Username: cfg.Auth.DevAdminUsername, Password: cfg.Auth.DevAdminPassword}
	generatedPassword := devAdmin.Password == ""
	if generatedPassword {
		devAdmin.Password = randomToken()[:20]
	}
	gwCfg, err := devGatewayConfig(env)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	gwDone := make(chan error, 1)
	err = app.New(cfg, logger, app.Options{
		Version:  buildinfo.Version(),
		DevAdmin: devAdmin,
		OnReady: func(ep app.Endpoints) {
			gwCfg.BackendURL = "http://" + hostPort(ep.HTTP)
			gwCfg.PushAddrs = []string{hostPort(ep.Push)}
			gwCfg.PushToken, gwCfg.InternalToken = cfg.Push.Token, cfg.InternalToken
			startDevGateway(ctx, env, logger, gwCfg, gwDone, cancel)
			printBanner(env, ep)
			if generatedToken {
				fmt.Fprintf(env.Stdout, "Internal API token (BACKEND_INTERNAL_TOKEN, this run only): %s\n", cfg.InternalToken)
			}
			fmt.Fprintf(env.Stdout, "Admin (POST /api/v1/admin/auth/sessions): username %q", devAdmin.Username)
			if generatedPassword {
				fmt.Fprintf(env.Stdout, ", password %q (this run only)", devAdmin.Password)
			}
			fmt.Fprintln(env.Stdout)
			if generatedPushToken {
				fmt.Fprintf(env.Stdout, "Push token (BACKEND_PUSH_TOKEN, this run only):            %s\n", cfg.Push.Token)
			}
			fmt.Fprintln(env.Stdout)
		},
	}).Run(ctx)
	cancel()
	select {
	case gwErr := <-gwDone:
		return errors.Join(err, gwErr)
	default: // the backend never got ready, so the gateway never started
		return err
	}
}

// devGatewayConfig reads GATEWAY_* as galaxy-gateway would; the backend's
// addresses and tokens are filled in once the backend is up.
func devGatewayConfig(env Env) (gateway.Config, error) {
	return gateway.LoadConfig(func(name string) (string, bool) {
		switch name {
		case "GATEWAY_PUSH_TOKEN", "GATEWAY_INTERNAL_TOKEN":
			return "from-the-dev-backend", true // replaced once the backend is up
		}
		return env.LookupEnv(name)
	})
}

// startDevGateway runs the web client in this process and prints its
// address first: it is what a newcomer opens. A gateway that fails ends the
// whole dev run (through cancel), like any other component would.
func startDevGateway(ctx context.Context, env Env, logger *slog.Logger, cfg gateway.Config, done chan<- error, cancel context.CancelFunc) {
	cfg.DevMail = true
	gw, err := gateway.New(cfg, logger.With("program", "gateway"))
	if err != nil {
		done <- err
		cancel()
		return
	}
	ready := make(chan struct{})
	go func() {
		err := gw.Run(ctx, func(addr fmt.Stringer) {
			fmt.Fprintf(env.Stdout, "\nweb: http://%s/   <- open this in your browser (sign-in codes: /dev/mail)\n", hostPortString(addr.String()))
			close(ready)
		})
		done <- err
		if err != nil {
			cancel()
		}
	}()
	select {
	case <-ready:
	case <-ctx.Done():
	}
}

// devCluster places the private cluster under home, or, when the postgres
// account could not reach it (a checkout under /root while running as root),
// under /var/tmp with a name derived from home so each checkout keeps its own.
func devCluster(home string, env Env) (*pgcluster.Cluster, error) {
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
	fmt.Fprintf(env.Stderr, "note: %v;\n      keeping the dev database in %s instead (set GALAXY_HOME to choose)\n", reachErr, fallback)
	cluster, err = pgcluster.New(pgcluster.Options{Dir: fallback, Durable: true})
	if err != nil {
		return nil, err
	}
	if err := cluster.CheckReachable(); err != nil {
		return nil, fmt.Errorf("%w; set GALAXY_HOME to a directory every user can traverse", err)
	}
	return cluster, nil
}

func printBanner(env Env, ep app.Endpoints) {
	base := "http://" + hostPort(ep.HTTP)
	fmt.Fprintf(env.Stdout, `
Galaxy is running (dev mode).
  API:        %[1]s/api/v1/
  OpenAPI:    %[1]s/api/v1/openapi.yaml
  Readiness:  %[1]s/readyz
  Push:       grpc://%[2]s  (galaxy push tail --addr %[2]s --token <push token>)
Press Ctrl-C to stop everything.

`, base, hostPort(ep.Push))
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
