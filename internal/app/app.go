// Package app is the composition root: it builds every component by hand, in
// dependency order, starts them in the fixed order of seed 000, supervises
// them, and stops them in reverse.
//
// Start order: telemetry → Postgres pool → migrations → push service and its
// gRPC listener → domain services (→ warm caches, together) →
// background jobs → the optional metrics listener → HTTP listener. Stop order
// is the reverse: HTTP traffic is refused first, workers finish, events they
// published are flushed to gateways, and the pool and telemetry go last.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/admin"
	"github.com/galaxy-platform/galaxy/internal/auth"
	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/events"
	"github.com/galaxy-platform/galaxy/internal/geo"
	"github.com/galaxy-platform/galaxy/internal/health"
	"github.com/galaxy-platform/galaxy/internal/httpapi"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/lifecycle"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound"
	"github.com/galaxy-platform/galaxy/internal/notification"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/push"
	"github.com/galaxy-platform/galaxy/internal/runtime"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/docker"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/drivers"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/inprocess"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
	"github.com/galaxy-platform/galaxy/internal/user"
)

// Endpoints are the addresses the running process serves.
type Endpoints struct {
	HTTP    net.Addr
	Push    net.Addr
	Metrics net.Addr // nil without a metrics listener
	// SMTP is the play-by-mail listener (nil when it is off), taking mail
	// for OrdersAddress.
	SMTP          net.Addr
	OrdersAddress string
}

// Options tune a run beyond the configuration.
type Options struct {
	// Version is reported in telemetry.
	Version string
	// OnReady, when set, is called once every component has started.
	OnReady func(Endpoints)
	// DevAdmin, when set, is created (or has its password reset) at start.
	DevAdmin *DevAdmin

	// wrapHTTP lets this package's tests put a handler around the API (a
	// deliberately slow endpoint, for the drain test).
	wrapHTTP func(http.Handler) http.Handler
	// onLobby hands tests the lobby service (to play the runtime's part).
	onLobby func(*lobby.Service)
}

// DevAdmin is the operator account `galaxy dev` provides.
type DevAdmin struct {
	Username, Password string
}

// App is one backend process.
type App struct {
	cfg    *config.Config
	logger *slog.Logger
	opts   Options
}

// New returns an App for a validated configuration.
func New(cfg *config.Config, logger *slog.Logger, opts Options) *App {
	return &App{cfg: cfg, logger: logger, opts: opts}
}

// Run starts every component, blocks until ctx is cancelled (a shutdown
// signal) or a component fails, and then stops everything in reverse order
// within BACKEND_SHUTDOWN_TIMEOUT. It returns nil after a signal-initiated,
// clean shutdown, and an error for a failed start, a failure while running,
// or an unclean stop.
func (a *App) Run(ctx context.Context) (err error) {
	g := lifecycle.NewGroup(a.logger)
	defer func() {
		a.logger.Info("shutting down", "budget", a.cfg.ShutdownTimeout.String())
		err = errors.Join(err, g.Stop(a.cfg.ShutdownTimeout))
	}()
	readiness := health.NewReadiness()
	migrated := readiness.Flag("migrations")
	httpUp := readiness.Flag("listener:http")

	tel, err := telemetry.New(ctx, a.cfg.Telemetry, a.opts.Version)
	if err != nil {
		return err
	}
	if err := g.Start(ctx, tel, 0); err != nil {
		return err
	}

	pool, err := postgres.Open(ctx, a.cfg.Postgres, a.logger)
	if err != nil {
		return err
	}
	if err := g.Start(ctx, lifecycle.Func{ComponentName: "postgres", StopFunc: func(context.Context) error {
		pool.Close()
		return nil
	}}, 0); err != nil {
		return err
	}

	if err := g.Start(ctx, lifecycle.Func{ComponentName: "migrations", StartFunc: func(ctx context.Context) error {
		return postgres.Migrate(ctx, pool, a.logger)
	}}, 0); err != nil {
		return err
	}
	migrated.Set(true)

	// The push service exists before the domain services, so they are given
	// a real publisher; its listener starts before the job workers, so
	// events they publish while finishing still reach the gateways.
	pushSvc, err := push.NewService(a.pushConfig(), tel.Meter("galaxy/push"))
	if err != nil {
		return err
	}
	pushServer := push.NewServer(a.pushConfig(), pushSvc, a.logger, readiness.Flag("listener:grpc-push"), g.Fail)
	if err := g.Start(ctx, pushServer, a.cfg.Push.ShutdownTimeout); err != nil {
		return err
	}

	db := &postgres.DB{Pool: pool, OperationTimeout: a.cfg.Postgres.OperationTimeout}
	if a.cfg.Jobs.RescueStuckAfter <= runtime.MaxJobTimeout+30*time.Second {
		return fmt.Errorf("BACKEND_JOBS_RESCUE_STUCK_AFTER (%s) must exceed the runtime's longest job (%s) + 30s", a.cfg.Jobs.RescueStuckAfter, runtime.MaxJobTimeout)
	}
	runtimeCfg := runtime.Config{StartWorkers: a.cfg.Runtime.StartWorkers, TurnWorkers: a.cfg.Runtime.TurnWorkers,
		ReconcileInterval: a.cfg.Runtime.ReconcileInterval, HealthFailures: a.cfg.Runtime.HealthFailures}
	queues := map[string]river.QueueConfig{
		mail.Queue:         mail.QueueConfig(a.cfg.Mail),
		notification.Queue: notification.QueueConfig(a.cfg.Notification),
		inbound.Queue:      inbound.QueueConfig(a.cfg.Inbound),
	}
	maps.Copy(queues, runtime.Queues(runtimeCfg))
	jobsClient, err := jobs.New(pool, a.cfg.Jobs, jobs.Options{
		Queues: queues,
		Tracer: tel.Tracer("galaxy/jobs"),
		Meter:  tel.Meter("galaxy/jobs"),
	}, a.logger)
	if err != nil {
		return err
	}

	// Cache invalidations from other replicas; listening starts before the
	// caches warm, so no change falls between the two.
	listener := pgnotify.NewListener(pool, a.logger)
	if err := g.Start(ctx, listener, 0); err != nil {
		return err
	}

	// Domain services, in dependency order.
	geoSvc, err := geo.New(geo.Config{
		DBPath: a.cfg.Geo.DBPath, TrustedProxies: a.cfg.Geo.TrustedProxies, FlushInterval: a.cfg.Geo.FlushInterval,
	}, db, a.logger, tel.Meter("galaxy/geo"))
	if err != nil {
		return err
	}
	if err := g.Start(ctx, geoSvc, 0); err != nil {
		return err
	}
	users := user.New(db, listener, a.logger)
	mailSvc, err := mail.New(a.cfg.Mail, db, jobsClient, a.logger, tel.Meter("galaxy/mail"))
	if err != nil {
		return err
	}
	mailSvc.RegisterWorkers(jobsClient)
	a.logger.Info("mail ready", "provider", mailSvc.ProviderName(), "templates", mailSvc.Catalog().Names())
	authSvc := auth.New(a.cfg.Auth, db, users, mailSvc, geoSvc, listener, a.logger)
	cascade := &blockCascade{}
	adminSvc := admin.New(db, users, authSvc, pushPublisher{svc: pushSvc, logger: a.logger}, cascade,
		a.cfg.Auth.AdminSessionTTL, listener, a.logger)
	adminSvc.SetSignInLimits(admin.SignInLimits{
		UsernameEvery: a.cfg.Auth.AdminUsernameEvery, UsernameBurst: a.cfg.Auth.AdminUsernameBurst,
		IPEvery: a.cfg.Auth.AdminIPEvery, IPBurst: a.cfg.Auth.AdminIPBurst,
	})
	// Notifications fan out in the caller's transaction to the inbox and to
	// push and email routes; the lobby reaches them through lobbyNotifier.
	notifSvc := notification.New(a.cfg.Notification, db, jobsClient.River(), mailSvc, pushSvc, users, a.logger)
	notifSvc.RegisterWorkers(jobsClient)
	names := racenames.New()
	drv, err := drivers.New(drivers.Config{
		Kind:      a.cfg.Runtime.Driver,
		Inprocess: inprocess.Config{StateDir: a.cfg.Runtime.StateDir, Logger: a.logger},
		Docker: docker.Config{
			Image: a.cfg.Runtime.EngineImage, Network: a.cfg.Runtime.DockerNetwork, Logger: a.logger,
			Limits: driver.Limits{
				MemoryBytes: int64(a.cfg.Runtime.MemoryMB) << 20,
				NanoCPUs:    int64(a.cfg.Runtime.MilliCPUs) * 1_000_000,
			},
		},
	})
	if err != nil {
		return err
	}
	if err := g.Start(ctx, driver.Component(drv), 0); err != nil {
		return err
	}
	runtimeSvc := runtime.New(db, drv, jobsClient, listener, runtimeCfg, a.logger)
	runtimeSvc.RegisterWorkers(jobsClient)
	if err := runtimeSvc.RegisterMetrics(tel.Meter("galaxy/runtime")); err != nil {
		return err
	}
	lobbySvc := lobby.New(db, jobsClient.River(), names, &lobbyNotifier{inner: notifSvc}, runtimeSvc, a.logger)
	publicGames := lobby.NewPublicListing(lobbySvc, listener, a.logger)
	lobbySvc.SetMinTurnInterval(a.cfg.Runtime.MinTurnInterval)
	runtimeSvc.SetLobby(lobbySvc)
	runtimeSvc.SetNotifier(&lobbyNotifier{inner: notifSvc})
	runtimeSvc.SetPusher(pushPublisher{svc: pushSvc, logger: a.logger})
	lobbySvc.RegisterWorkers(jobsClient, pendingExpirer{names: names, db: db}, a.cfg.Lobby.SweepInterval,
		a.cfg.Lobby.RaceNameExpirationInterval)
	if err := lobbySvc.RegisterMetrics(tel.Meter("galaxy/lobby")); err != nil {
		return err
	}
	cascade.inner = lobbySvc
	// Play by mail runs commands through the services the API uses.
	inboundSvc, err := inbound.New(a.cfg.Inbound, db, jobsClient, inbound.Deps{
		Lobby: lobbySvc, Play: runtimeSvc, Mailer: mailSvc, Notify: &lobbyNotifier{inner: notifSvc},
	}, a.logger, tel.Meter("galaxy/mail_inbound"))
	if err != nil {
		return err
	}
	inboundSvc.RegisterWorkers(jobsClient)
	ordersAddress := ""
	if a.cfg.Inbound.Domain != "" {
		ordersAddress = "orders@" + a.cfg.Inbound.Domain
	}
	notifSvc.SetMailEnricher(&inbound.MailEnricher{Lobby: lobbySvc, Play: runtimeSvc, Address: ordersAddress, WebURL: a.cfg.WebURL})
	if a.opts.onLobby != nil {
		a.opts.onLobby(lobbySvc)
	}
	if d := a.opts.DevAdmin; d != nil {
		if err := admin.CreateAdmin(ctx, db, d.Username, d.Password, true); err != nil {
			return fmt.Errorf("dev admin: %w", err)
		}
	}

	// The HTTP handler is built while the caches warm: reading the parameter
	// rules from the spec is about 10 ms of CPU that need not wait for them.
	handlerc := make(chan http.Handler, 1)
	go func() {
		handlerc <- httpapi.NewHandler(&apiServer{
			Probes:          &httpapi.Probes{Readiness: readiness},
			mailHandlers:    &mail.Handlers{Service: mailSvc, Logger: a.logger},
			userHandlers:    &user.Handlers{Service: users, Logger: a.logger},
			authHandlers:    &auth.Handlers{Service: authSvc, Logger: a.logger, ClientIP: geoSvc.ClientIP},
			adminHandlers:   &admin.Handlers{Service: adminSvc, Logger: a.logger, ClientIP: geoSvc.ClientIP},
			lobbyHandlers:   &lobby.Handlers{Service: lobbySvc, Names: names, Logger: a.logger, OrdersAddress: ordersAddress, Public: publicGames},
			playHandlers:    &runtime.Handlers{Service: runtimeSvc, Lobby: lobbySvc, Logger: a.logger},
			notifHandlers:   &notification.Handlers{Service: notifSvc, Logger: a.logger},
			inboundHandlers: &inbound.Handlers{Service: inboundSvc, Logger: a.logger},
			overviewHandlers: &overviewHandlers{lobby: lobbySvc, engine: runtimeSvc, mail: mailSvc, inbox: inboundSvc,
				notify: notifSvc, pool: pool, logger: a.logger},
		}, a.logger, httpapi.Telemetry{Tracer: tel.Tracer("galaxy/http"), Meter: tel.Meter("galaxy/http"),
			SpansDiscarded: !tel.ExportsSpans()},
			httpx.Guard{Prefix: "/api/v1/user/", Check: authSvc.Guard},
			httpx.Guard{Prefix: "/api/v1/internal/", Check: httpx.StaticBearer(a.cfg.InternalToken)},
			httpx.Guard{Prefix: "/api/v1/admin/auth/"}, // sign-in itself is public
			httpx.Guard{Prefix: "/api/v1/admin/", Check: adminSvc.Guard, Wrap: adminSvc.AuditActions},
		)
	}()

	// Warm the caches, several at once: they read the database
	// independently, so the largest (the users) does not hold up the rest.
	// As many at once as the pool keeps connections open: a connection
	// opened for the occasion costs more than most warm-ups. /readyz waits
	// for each.
	var caches []lifecycle.Component
	for _, c := range []interface {
		lifecycle.Component
		Ready() bool
	}{users.Cache(), authSvc.Cache(), adminSvc.Cache(), runtimeSvc.Cache(), publicGames} {
		readiness.Register(c.Name(), c.Ready)
		caches = append(caches, c)
	}
	if err := g.StartTogether(ctx, caches, max(a.cfg.Postgres.MinConns, 1), 0); err != nil {
		return err
	}

	if err := g.Start(ctx, jobsClient, 0); err != nil {
		return err
	}
	if jobsClient.Working() {
		go a.watchJobs(g, jobsClient)
	}

	// Domain events to NATS, and mail commands from it (each off without a URL).
	relay, err := outbox.NewRelay(pool, outbox.Config{
		NATSURL: a.cfg.Outbox.NATSURL, Stream: a.cfg.Outbox.Stream, BatchSize: a.cfg.Outbox.BatchSize,
		Workers: a.cfg.Outbox.Workers, Retention: a.cfg.Outbox.Retention,
	}, outbox.RelayOptions{Logger: a.logger, Tracer: tel.Tracer("galaxy/outbox"), Meter: tel.Meter("galaxy/outbox")})
	if err != nil {
		return err
	}
	if err := g.Start(ctx, relay, 0); err != nil {
		return err
	}
	intake, err := events.NewCommandIntake(events.Config{
		NATSURL: a.cfg.Commands.NATSURL, Stream: a.cfg.Commands.Stream, MaxInFlight: a.cfg.Commands.MaxInFlight,
	}, mailSvc, events.Options{Logger: a.logger, Tracer: tel.Tracer("galaxy/commands"), Meter: tel.Meter("galaxy/commands")})
	if err != nil {
		return err
	}
	if err := g.Start(ctx, intake, 0); err != nil {
		return err
	}

	var endpoints Endpoints
	if tel.MetricsHandler != nil {
		metricsCfg := a.cfg.HTTP
		metricsCfg.Addr = a.cfg.Telemetry.MetricsAddr
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", tel.MetricsHandler)
		metrics := httpapi.NewServer("metrics", metricsCfg, mux, a.logger, readiness.Flag("listener:metrics"), g.Fail)
		if err := g.Start(ctx, metrics, a.cfg.HTTP.ShutdownTimeout); err != nil {
			return err
		}
		endpoints.Metrics = metrics.Addr()
	}
	if a.cfg.Inbound.SMTPAddr != "" {
		smtpListener, err := inbound.NewListener(inboundSvc)
		if err != nil {
			return err
		}
		if err := g.Start(ctx, smtpListener, a.cfg.HTTP.ShutdownTimeout); err != nil {
			return err
		}
		endpoints.SMTP, endpoints.OrdersAddress = smtpListener.Addr(), ordersAddress
	}

	handler := <-handlerc
	if a.opts.wrapHTTP != nil {
		handler = a.opts.wrapHTTP(handler)
	}
	api := httpapi.NewServer("http", a.cfg.HTTP, handler, a.logger, httpUp, g.Fail)
	if err := g.Start(ctx, api, a.cfg.HTTP.ShutdownTimeout); err != nil {
		return err
	}
	endpoints.HTTP = api.Addr()
	endpoints.Push = pushServer.Addr()

	a.logger.Info("galaxy ready", "mode", a.cfg.Mode.String(), "http", endpoints.HTTP.String(),
		"grpc_push", endpoints.Push.String())
	if a.opts.OnReady != nil {
		a.opts.OnReady(endpoints)
	}
	return g.Wait(ctx)
}

func (a *App) pushConfig() push.Config {
	p := a.cfg.Push
	return push.Config{
		Addr: p.Addr, Token: p.Token, BufferSize: p.BufferSize, SubscriberQueue: p.SubscriberQueue,
		MaxConcurrentStreams: uint32(p.MaxStreams), ShutdownTimeout: p.ShutdownTimeout,
		KeepaliveTime: p.KeepaliveTime, KeepaliveTimeout: p.KeepaliveTimeout,
	}
}

// watchJobs turns a River client that stops on its own into a component
// failure, so the process shuts down instead of silently doing no work.
// During shutdown the group ignores it.
func (a *App) watchJobs(g *lifecycle.Group, c *jobs.Client) {
	<-c.Stopped()
	g.Fail(c.Name(), errors.New("the job client stopped unexpectedly"))
}
