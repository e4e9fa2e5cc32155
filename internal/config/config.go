// Package config loads and validates the backend's configuration from BACKEND_*
// environment variables.
//
// Every variable is declared once, in Vars, with its default and its meaning;
// loading, validation and docs/configuration.md all come from that list. Loading
// collects every problem before failing, so an operator fixes a broken
// deployment in one round instead of one variable at a time.
package config

import (
	"errors"
	"fmt"
	netmail "net/mail"
	"net/netip"
	"strings"
	"time"
)

// Mode selects the set of defaults: production (`galaxy serve`) or the
// embedded development platform (`galaxy dev`). Both honour every variable.
type Mode int

// The modes.
const (
	ModeServe Mode = iota
	ModeDev
	// ModeMigrate has the serve defaults but needs only the database.
	ModeMigrate
)

// String returns the subcommand name of the mode.
func (m Mode) String() string {
	switch m {
	case ModeDev:
		return "dev"
	case ModeMigrate:
		return "migrate"
	}
	return "serve"
}

// Config is the validated configuration of one backend process.
type Config struct {
	Mode Mode

	LogLevel        string
	ShutdownTimeout time.Duration

	HTTP         HTTP
	Postgres     Postgres
	Jobs         Jobs
	Telemetry    Telemetry
	Mail         Mail
	Inbound      Inbound
	Push         Push
	Auth         Auth
	Geo          Geo
	Outbox       Outbox
	Commands     Commands
	Lobby        Lobby
	Runtime      Runtime
	Notification Notification

	// InternalToken guards /api/v1/internal (trusted callers).
	InternalToken string

	// WebURL is the web client's public address, for links in mail.
	WebURL string

	// Home is where `galaxy dev` keeps its private PostgreSQL cluster.
	Home string
}

// HTTP configures the public/user/admin/internal HTTP listener.
type HTTP struct {
	Addr              string
	ShutdownTimeout   time.Duration
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
}

// Postgres configures the connection pool.
type Postgres struct {
	// DSN is empty in dev mode when the private cluster is to be used.
	DSN              string
	MaxConns         int
	MinConns         int
	OperationTimeout time.Duration
	ConnectTimeout   time.Duration
}

// Jobs configures the River client that runs background work.
type Jobs struct {
	MaxWorkers       int
	FetchCooldown    time.Duration
	SoftStopTimeout  time.Duration
	RescueStuckAfter time.Duration
}

// Mail configures templates, the SMTP provider, attempts and retention.
type Mail struct {
	SMTPMode           string
	SMTPAddr           string
	SMTPUsername       string
	SMTPPassword       string
	FromEmail          string
	FromName           string
	SMTPTimeout        time.Duration
	InsecureSkipVerify bool
	// SMTPMessagesPerConn is how many messages one connection to the relay
	// carries before it is replaced; 1 (or less) opens a connection per
	// message.
	SMTPMessagesPerConn int

	TemplateDir   string
	DefaultLocale string

	Concurrency    int
	MaxAttempts    int
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration

	IdempotencyTTL            time.Duration
	DeliveryRetention         time.Duration
	MalformedCommandRetention time.Duration
	CleanupInterval           time.Duration
}

// Inbound configures play by mail: the SMTP listener and the processing of
// inbound mail (internal/mail/inbound).
type Inbound struct {
	// SMTPAddr is where the SMTP listener listens; empty turns it off (the
	// providers' webhook still works).
	SMTPAddr string
	// Domain is the domain of the orders address (orders@Domain).
	Domain string
	// TLSCertFile and TLSKeyFile turn on STARTTLS.
	TLSCertFile string
	TLSKeyFile  string
	// Timeout bounds reading and writing one SMTP command.
	Timeout time.Duration
	// SenderEvery and SenderBurst limit the mails one sender address may
	// send: one more every SenderEvery, up to SenderBurst at once.
	SenderEvery time.Duration
	SenderBurst int
	// Workers process inbound mails at the same time.
	Workers int
	// Retention is how long processed inbound mails are kept.
	Retention time.Duration
}

// Auth configures sign-in, sessions and their rate limits.
type Auth struct {
	SessionTTL      time.Duration
	CodeTTL         time.Duration
	EmailEvery      time.Duration
	EmailBurst      int
	IPEvery         time.Duration
	IPBurst         int
	AdminSessionTTL time.Duration
	// AdminUsernameEvery/Burst and AdminIPEvery/Burst limit admin sign-in
	// attempts per username and per client address; only failed attempts
	// count.
	AdminUsernameEvery time.Duration
	AdminUsernameBurst int
	AdminIPEvery       time.Duration
	AdminIPBurst       int
	// DevAdminUsername and DevAdminPassword are the admin `galaxy dev`
	// creates (the password is random when empty).
	DevAdminUsername string
	DevAdminPassword string
}

// Geo configures country lookup and the client-address rules.
type Geo struct {
	DBPath         string
	TrustedProxies []netip.Prefix
	FlushInterval  time.Duration
}

// Runtime configures the engines and the turn workers.
type Runtime struct {
	Driver        string
	EngineImage   string
	MemoryMB      int
	MilliCPUs     int
	DockerNetwork string
	StateDir      string
	StartWorkers  int
	TurnWorkers   int
	// ReconcileInterval is the period of the reconciler's passes.
	ReconcileInterval time.Duration
	// MinTurnInterval is the shortest time a game's schedule may leave
	// between two turns; the lobby refuses faster schedules.
	MinTurnInterval time.Duration
	// HealthFailures is how many failed probes in a row replace an engine.
	HealthFailures int
}

// Engine drivers.
const (
	DriverInprocess = "inprocess"
	DriverDocker    = "docker"
)

// Lobby configures the lobby's periodic work.
type Lobby struct {
	SweepInterval              time.Duration
	RaceNameExpirationInterval time.Duration
}

// Notification configures the delivery of notification routes (push and
// email) and their retries.
type Notification struct {
	WorkerConcurrency int
	MaxAttempts       int
	RetryBaseDelay    time.Duration
	RetryMaxDelay     time.Duration
}

// Outbox configures the relay of domain events to NATS JetStream.
type Outbox struct {
	NATSURL   string
	Stream    string
	BatchSize int
	Workers   int
	Retention time.Duration
}

// Commands configures the JetStream intake of mail commands.
type Commands struct {
	NATSURL     string
	Stream      string
	MaxInFlight int
}

// Push configures the gRPC push stream for gateways.
type Push struct {
	Addr             string
	Token            string
	BufferSize       int
	SubscriberQueue  int
	MaxStreams       int
	ShutdownTimeout  time.Duration
	KeepaliveTime    time.Duration
	KeepaliveTimeout time.Duration
}

// Mail provider modes.
const (
	SMTPModeSMTP = "smtp"
	SMTPModeStub = "stub"
)

// Telemetry configures traces and metrics exporters.
type Telemetry struct {
	TracesExporter  string
	MetricsExporter string
	// MetricsAddr is the optional Prometheus listener (host:port).
	MetricsAddr string
}

// Exporter names accepted by the telemetry variables.
const (
	ExporterOTLP       = "otlp"
	ExporterNone       = "none"
	ExporterStdout     = "stdout"
	ExporterPrometheus = "prometheus"
)

// Vars lists every environment variable the backend reads, in the order they
// appear in docs/configuration.md.
var Vars = []Var{
	enumVar("BACKEND_LOG_LEVEL", "info", nil, []string{"debug", "info", "warn", "error"},
		"Minimum level of the JSON logs written to standard error.",
		func(c *Config) *string { return &c.LogLevel }),
	durationVar("BACKEND_SHUTDOWN_TIMEOUT", "30s",
		"Total budget for an orderly shutdown; each component's own deadline is cut to what is left of it.",
		func(c *Config) *time.Duration { return &c.ShutdownTimeout }),

	addrVar("BACKEND_HTTP_ADDR", ":8080", dev("127.0.0.1:8080"),
		"Listen address of the HTTP API (`/api/v1/...`, `/healthz`, `/readyz`). "+
			"`galaxy dev` listens on the loopback interface only, unless this is set.",
		func(c *Config) *string { return &c.HTTP.Addr }),
	durationVar("BACKEND_HTTP_SHUTDOWN_TIMEOUT", "15s",
		"How long in-flight HTTP requests may take to finish after shutdown starts.",
		func(c *Config) *time.Duration { return &c.HTTP.ShutdownTimeout }),
	durationVar("BACKEND_HTTP_READ_HEADER_TIMEOUT", "2s",
		"Time allowed to read a request's headers.",
		func(c *Config) *time.Duration { return &c.HTTP.ReadHeaderTimeout }),
	durationVar("BACKEND_HTTP_READ_TIMEOUT", "10s",
		"Time allowed to read a whole request, body included.",
		func(c *Config) *time.Duration { return &c.HTTP.ReadTimeout }),
	durationVar("BACKEND_HTTP_WRITE_TIMEOUT", "30s",
		"Time allowed to write a response.",
		func(c *Config) *time.Duration { return &c.HTTP.WriteTimeout }),
	durationVar("BACKEND_HTTP_IDLE_TIMEOUT", "1m",
		"How long an idle keep-alive connection is kept open.",
		func(c *Config) *time.Duration { return &c.HTTP.IdleTimeout }),

	stringVar("BACKEND_POSTGRES_DSN", "", nil,
		"PostgreSQL connection string (URL or key=value). Required by `galaxy serve`; "+
			"`galaxy dev` starts a private cluster under `GALAXY_HOME` when it is empty. "+
			"Tables live in the `backend` schema, created by the migrations.",
		func(c *Config) *string { return &c.Postgres.DSN }),
	intVar("BACKEND_POSTGRES_MAX_CONNS", "25", 4,
		"Maximum connections in the pool; producers, River's fetcher, completer and listener all share it.",
		func(c *Config) *int { return &c.Postgres.MaxConns }),
	intVar("BACKEND_POSTGRES_MIN_CONNS", "2", 0,
		"Connections the pool keeps open while idle.",
		func(c *Config) *int { return &c.Postgres.MinConns }),
	durationVar("BACKEND_POSTGRES_OPERATION_TIMEOUT", "5s",
		"Deadline of one domain operation's database work (one transaction).",
		func(c *Config) *time.Duration { return &c.Postgres.OperationTimeout }),
	durationVar("BACKEND_POSTGRES_CONNECT_TIMEOUT", "30s",
		"How long start-up keeps retrying to reach PostgreSQL before giving up.",
		func(c *Config) *time.Duration { return &c.Postgres.ConnectTimeout }),

	intVar("BACKEND_JOBS_MAX_WORKERS", "100", 1,
		"Concurrent jobs of River's default queue (domain queues have their own settings).",
		func(c *Config) *int { return &c.Jobs.MaxWorkers }),
	durationVar("BACKEND_JOBS_FETCH_COOLDOWN", "100ms",
		"Minimum pause between two fetches of a queue; with MaxWorkers it caps a queue's throughput.",
		func(c *Config) *time.Duration { return &c.Jobs.FetchCooldown }),
	durationVar("BACKEND_JOBS_SOFT_STOP_TIMEOUT", "10s",
		"On shutdown, how long running jobs may finish before they are cancelled (hard stop).",
		func(c *Config) *time.Duration { return &c.Jobs.SoftStopTimeout }),

	durationVar("BACKEND_JOBS_RESCUE_STUCK_AFTER", "5m",
		"A job still running this long is presumed lost (its process died) and is retried. "+
			"Must exceed the longest job timeout plus 30s (mail: BACKEND_MAIL_SMTP_TIMEOUT; runtime: 4m).",
		func(c *Config) *time.Duration { return &c.Jobs.RescueStuckAfter }),

	stringVar("BACKEND_INTERNAL_TOKEN", "", nil,
		"Bearer token of trusted internal callers (`/api/v1/internal/*`), compared in constant time. "+
			"Required by `galaxy serve`; `galaxy dev` generates one and prints it when unset.",
		func(c *Config) *string { return &c.InternalToken }),

	durationVar("BACKEND_AUTH_SESSION_TTL", "720h",
		"Lifetime of a player session; it slides: a session used after half its lifetime is extended by a full one.",
		func(c *Config) *time.Duration { return &c.Auth.SessionTTL }),
	durationVar("BACKEND_AUTH_CODE_TTL", "10m",
		"How long an emailed sign-in code is valid (it also locks after 5 wrong tries).",
		func(c *Config) *time.Duration { return &c.Auth.CodeTTL }),
	durationVar("BACKEND_AUTH_EMAIL_RATE_INTERVAL", "2m",
		"Sign-in codes per address: one more every this interval ...",
		func(c *Config) *time.Duration { return &c.Auth.EmailEvery }),
	intVar("BACKEND_AUTH_EMAIL_RATE_BURST", "5", 1,
		"... after a burst of this many (then 429 with Retry-After).",
		func(c *Config) *int { return &c.Auth.EmailBurst }),
	durationVar("BACKEND_AUTH_IP_RATE_INTERVAL", "6s",
		"Sign-in codes per client address: one more every this interval ...",
		func(c *Config) *time.Duration { return &c.Auth.IPEvery }),
	intVar("BACKEND_AUTH_IP_RATE_BURST", "20", 1,
		"... after a burst of this many (then 429 with Retry-After).",
		func(c *Config) *int { return &c.Auth.IPBurst }),
	durationVar("BACKEND_ADMIN_SESSION_TTL", "12h",
		"Lifetime of an admin session (no sliding: operators sign in again).",
		func(c *Config) *time.Duration { return &c.Auth.AdminSessionTTL }),
	durationVar("BACKEND_ADMIN_SIGNIN_USERNAME_RATE_INTERVAL", "1m",
		"Failed admin sign-ins per username: one more every this interval ...",
		func(c *Config) *time.Duration { return &c.Auth.AdminUsernameEvery }),
	intVar("BACKEND_ADMIN_SIGNIN_USERNAME_RATE_BURST", "10", 1,
		"... after a burst of this many; then every attempt on that username, right password or not, is 429 with Retry-After. "+
			"Successful sign-ins do not count.",
		func(c *Config) *int { return &c.Auth.AdminUsernameBurst }),
	durationVar("BACKEND_ADMIN_SIGNIN_IP_RATE_INTERVAL", "30s",
		"Failed admin sign-ins per client address: one more every this interval ...",
		func(c *Config) *time.Duration { return &c.Auth.AdminIPEvery }),
	intVar("BACKEND_ADMIN_SIGNIN_IP_RATE_BURST", "20", 1,
		"... after a burst of this many (then 429 with Retry-After). Successful sign-ins do not count.",
		func(c *Config) *int { return &c.Auth.AdminIPBurst }),
	stringVar("BACKEND_DEV_ADMIN_USERNAME", "admin", nil,
		"`galaxy dev` only: the admin account it creates (or resets) at start.",
		func(c *Config) *string { return &c.Auth.DevAdminUsername }),
	stringVar("BACKEND_DEV_ADMIN_PASSWORD", "", nil,
		"`galaxy dev` only: that admin's password; when empty a random one is generated and printed once.",
		func(c *Config) *string { return &c.Auth.DevAdminPassword }),

	stringVar("BACKEND_GEO_DB_PATH", "", nil,
		"GeoLite2-Country (or City) `.mmdb` file for the country of new accounts and sign-in counts; "+
			"without it countries are empty.",
		func(c *Config) *string { return &c.Geo.DBPath }),
	prefixListVar("BACKEND_TRUSTED_PROXIES",
		"Comma-separated CIDRs or addresses of reverse proxies whose `X-Forwarded-For` is believed; "+
			"from anyone else the connection's address is the client's.",
		func(c *Config) *[]netip.Prefix { return &c.Geo.TrustedProxies }),
	durationVar("BACKEND_GEO_FLUSH_INTERVAL", "5s",
		"How often counted sign-ins per country are written to the database in one batch.",
		func(c *Config) *time.Duration { return &c.Geo.FlushInterval }),

	enumVar("BACKEND_RUNTIME_DRIVER", DriverDocker, dev(DriverInprocess), []string{DriverInprocess, DriverDocker},
		"Where game engines run: `docker` containers `galaxy-game-{id}` (production) or `inprocess` servers on loopback.",
		func(c *Config) *string { return &c.Runtime.Driver }),
	stringVar("BACKEND_RUNTIME_ENGINE_IMAGE", "galaxy-engine:dev", nil,
		"Image of the engine containers (docker driver); build it with `make engine-image`.",
		func(c *Config) *string { return &c.Runtime.EngineImage }),
	intVar("BACKEND_RUNTIME_ENGINE_MEMORY_MB", "512", 16,
		"Memory limit of one engine container, MiB.",
		func(c *Config) *int { return &c.Runtime.MemoryMB }),
	intVar("BACKEND_RUNTIME_ENGINE_MILLICPUS", "1000", 10,
		"CPU limit of one engine container, in thousandths of a core.",
		func(c *Config) *int { return &c.Runtime.MilliCPUs }),
	stringVar("BACKEND_RUNTIME_DOCKER_NETWORK", "publish", nil,
		"`publish`: the engine port is published on 127.0.0.1 (backend on the host); `network:<name>`: engines join "+
			"that network and are reached by container name (backend in a container).",
		func(c *Config) *string { return &c.Runtime.DockerNetwork }),
	stringVar("BACKEND_RUNTIME_STATE_DIR", "", dev(".galaxy/engines"),
		"inprocess driver: directory of the engines' state files (empty: a temporary directory, lost on exit).",
		func(c *Config) *string { return &c.Runtime.StateDir }),
	intVar("BACKEND_RUNTIME_WORKER_POOL_SIZE", "4", 1,
		"Engine starts run at the same time by one process (each waits for health, then init).",
		func(c *Config) *int { return &c.Runtime.StartWorkers }),
	intVar("BACKEND_RUNTIME_TURN_WORKERS", "128", 1,
		"Turns run at the same time by one process. Their database steps share transactions (group commit), so this bounds the engines' concurrent work and the batches, not the database connections.",
		func(c *Config) *int { return &c.Runtime.TurnWorkers }),
	durationVar("BACKEND_RUNTIME_MIN_TURN_INTERVAL", "1m",
		"The shortest time a game's `turn_schedule` may leave between two turns; the lobby refuses a schedule that fires "+
			"more often (or never) when the game is created.",
		func(c *Config) *time.Duration { return &c.Runtime.MinTurnInterval }),
	durationVar("BACKEND_RUNTIME_RECONCILE_INTERVAL", "30s",
		"Period of the reconciler (run by one replica at a time): compares the engines with their records, probes "+
			"each running engine's health and replaces, adopts or removes engines (docs/operations/runtime.md).",
		func(c *Config) *time.Duration { return &c.Runtime.ReconcileInterval }),
	intVar("BACKEND_RUNTIME_HEALTH_FAILURES", "3", 1,
		"Health probes in a row a running engine may fail (one per reconciler pass) before it is replaced from the "+
			"game's last snapshot.",
		func(c *Config) *int { return &c.Runtime.HealthFailures }),

	durationVar("BACKEND_LOBBY_SWEEP_INTERVAL", "1m",
		"How often games whose enrollment ended are closed (enough players) or flagged to their owner (too few).",
		func(c *Config) *time.Duration { return &c.Lobby.SweepInterval }),
	durationVar("BACKEND_LOBBY_RACE_NAME_EXPIRATION_INTERVAL", "1h",
		"How often pending race-name registrations past their 30-day window are released.",
		func(c *Config) *time.Duration { return &c.Lobby.RaceNameExpirationInterval }),

	intVar("BACKEND_NOTIFICATION_WORKER_CONCURRENCY", "100", 1,
		"Notification routes (push and email) in flight at the same time in one process (the `notifications` River queue). They share one transaction per batch, so this bounds the batch, not the database connections.",
		func(c *Config) *int { return &c.Notification.WorkerConcurrency }),
	intVar("BACKEND_NOTIFICATION_MAX_ATTEMPTS", "8", 1,
		"Attempts of one notification route before it moves to `notification_dead_letters`.",
		func(c *Config) *int { return &c.Notification.MaxAttempts }),
	durationVar("BACKEND_NOTIFICATION_RETRY_BASE_DELAY", "5s",
		"Delay before a failed notification route's first retry; each further retry doubles it; each wait is jittered between half and all of it.",
		func(c *Config) *time.Duration { return &c.Notification.RetryBaseDelay }),
	durationVar("BACKEND_NOTIFICATION_RETRY_MAX_DELAY", "15m",
		"Upper bound of the delay between two attempts of a notification route.",
		func(c *Config) *time.Duration { return &c.Notification.RetryMaxDelay }),

	stringVar("BACKEND_OUTBOX_NATS_URL", "", nil,
		"NATS server(s) the outbox relay publishes domain events to (JetStream). Empty: events are still "+
			"recorded in `outbox_events` (and deleted after the retention) but not relayed.",
		func(c *Config) *string { return &c.Outbox.NATSURL }),
	stringVar("BACKEND_OUTBOX_STREAM", "GALAXY_EVENTS", nil,
		"JetStream stream holding `galaxy.events.>`; created when missing.",
		func(c *Config) *string { return &c.Outbox.Stream }),
	intVar("BACKEND_OUTBOX_BATCH_SIZE", "100", 1,
		"Events one relay worker claims (FOR UPDATE SKIP LOCKED) and publishes per batch.",
		func(c *Config) *int { return &c.Outbox.BatchSize }),
	intVar("BACKEND_OUTBOX_WORKERS", "4", 1,
		"Concurrent relay workers per process (each holds one database connection while publishing).",
		func(c *Config) *int { return &c.Outbox.Workers }),
	durationVar("BACKEND_OUTBOX_RETENTION", "72h",
		"Published events older than this are deleted from `outbox_events`.",
		func(c *Config) *time.Duration { return &c.Outbox.Retention }),
	stringVar("BACKEND_COMMANDS_NATS_URL", "", nil,
		"NATS server(s) of the command intake: a durable pull consumer on `galaxy.commands.mail.send`. Empty: off.",
		func(c *Config) *string { return &c.Commands.NATSURL }),
	stringVar("BACKEND_COMMANDS_STREAM", "GALAXY_COMMANDS", nil,
		"JetStream stream holding `galaxy.commands.>`; created when missing.",
		func(c *Config) *string { return &c.Commands.Stream }),
	intVar("BACKEND_COMMANDS_MAX_IN_FLIGHT", "16", 1,
		"Commands processed at the same time; each is acknowledged only once its result is committed.",
		func(c *Config) *int { return &c.Commands.MaxInFlight }),

	addrVar("BACKEND_GRPC_PUSH_ADDR", ":8081", dev("127.0.0.1:8081"),
		"Listen address of the gRPC push stream (`galaxy.push.v1.Push/SubscribePush`) for gateways. "+
			"`galaxy dev` listens on the loopback interface only, unless this is set.",
		func(c *Config) *string { return &c.Push.Addr }),
	stringVar("BACKEND_PUSH_TOKEN", "", nil,
		"Bearer token gateways present in the `authorization` metadata of the push stream (constant-time compare). "+
			"Required by `galaxy serve`; `galaxy dev` generates one and prints it when unset.",
		func(c *Config) *string { return &c.Push.Token }),
	intVar("BACKEND_PUSH_BUFFER_SIZE", "4096", 1,
		"Recent events kept in memory for subscribers that resume with their last (epoch, cursor); older positions get a resync.",
		func(c *Config) *int { return &c.Push.BufferSize }),
	intVar("BACKEND_PUSH_SUBSCRIBER_QUEUE", "1024", 1,
		"Live events that may wait for one subscriber; a subscriber further behind is disconnected, never waited for.",
		func(c *Config) *int { return &c.Push.SubscriberQueue }),
	intVar("BACKEND_GRPC_PUSH_MAX_STREAMS", "100", 1,
		"Concurrent streams allowed per gateway connection.",
		func(c *Config) *int { return &c.Push.MaxStreams }),
	durationVar("BACKEND_GRPC_PUSH_SHUTDOWN_TIMEOUT", "10s",
		"On shutdown, how long already-published events may take to reach connected subscribers before the listener closes.",
		func(c *Config) *time.Duration { return &c.Push.ShutdownTimeout }),
	durationVar("BACKEND_GRPC_PUSH_KEEPALIVE_TIME", "30s",
		"Idle time after which the server pings a gateway connection.",
		func(c *Config) *time.Duration { return &c.Push.KeepaliveTime }),
	durationVar("BACKEND_GRPC_PUSH_KEEPALIVE_TIMEOUT", "10s",
		"How long a ping may go unanswered before the connection is closed.",
		func(c *Config) *time.Duration { return &c.Push.KeepaliveTimeout }),

	enumVar("BACKEND_MAIL_SMTP_MODE", SMTPModeSMTP, dev(SMTPModeStub), []string{SMTPModeSMTP, SMTPModeStub},
		"`smtp` sends mail; `stub` renders and records it without sending (auth mail then shows as `suppressed`).",
		func(c *Config) *string { return &c.Mail.SMTPMode }),
	addrVar("BACKEND_MAIL_SMTP_ADDR", "", nil,
		"SMTP relay `host:port`; required in `smtp` mode. STARTTLS is used when the server offers it.",
		func(c *Config) *string { return &c.Mail.SMTPAddr }),
	stringVar("BACKEND_MAIL_SMTP_USERNAME", "", nil,
		"SMTP AUTH user name; empty disables authentication.",
		func(c *Config) *string { return &c.Mail.SMTPUsername }),
	stringVar("BACKEND_MAIL_SMTP_PASSWORD", "", nil,
		"SMTP AUTH password.",
		func(c *Config) *string { return &c.Mail.SMTPPassword }),
	stringVar("BACKEND_MAIL_SMTP_FROM_EMAIL", "", dev("galaxy@localhost"),
		"Sender address of every mail; required in `smtp` mode.",
		func(c *Config) *string { return &c.Mail.FromEmail }),
	stringVar("BACKEND_MAIL_SMTP_FROM_NAME", "Galaxy", nil,
		"Sender display name.",
		func(c *Config) *string { return &c.Mail.FromName }),
	durationVar("BACKEND_MAIL_SMTP_TIMEOUT", "30s",
		"Deadline of one SMTP attempt (connect, TLS, AUTH, send).",
		func(c *Config) *time.Duration { return &c.Mail.SMTPTimeout }),
	intVar("BACKEND_MAIL_SMTP_MESSAGES_PER_CONNECTION", "100", 1,
		"Messages sent over one connection to the SMTP relay before it is closed and replaced. Connections are kept "+
			"open between attempts (at most one per worker; closed after 30s unused, or after a failed attempt); "+
			"`1` opens a new connection for every message.",
		func(c *Config) *int { return &c.Mail.SMTPMessagesPerConn }),
	boolVar("BACKEND_MAIL_SMTP_INSECURE_SKIP_VERIFY", "false",
		"Accept any TLS certificate from the SMTP server. For a local capture server only; never in production.",
		func(c *Config) *bool { return &c.Mail.InsecureSkipVerify }),
	stringVar("BACKEND_MAIL_TEMPLATE_DIR", "", nil,
		"Directory of templates (`<name>/<locale>/{subject.txt,text.txt,html.html}`) that override the embedded ones.",
		func(c *Config) *string { return &c.Mail.TemplateDir }),
	stringVar("BACKEND_MAIL_DEFAULT_LOCALE", "en", nil,
		"Locale used when a delivery's locale has no template version; every template must exist in it.",
		func(c *Config) *string { return &c.Mail.DefaultLocale }),
	intVar("BACKEND_MAIL_ATTEMPT_WORKER_CONCURRENCY", "20", 1,
		"Deliveries attempted at the same time by one process.",
		func(c *Config) *int { return &c.Mail.Concurrency }),
	intVar("BACKEND_MAIL_MAX_ATTEMPTS", "8", 1,
		"Attempts before a delivery with temporary failures is marked `failed` and dead-lettered.",
		func(c *Config) *int { return &c.Mail.MaxAttempts }),
	durationVar("BACKEND_MAIL_RETRY_BASE_DELAY", "30s",
		"Delay before the first retry; each further retry doubles it; each wait is jittered between half and all of it.",
		func(c *Config) *time.Duration { return &c.Mail.RetryBaseDelay }),
	durationVar("BACKEND_MAIL_RETRY_MAX_DELAY", "1h",
		"Upper bound of the delay between two attempts.",
		func(c *Config) *time.Duration { return &c.Mail.RetryMaxDelay }),
	durationVar("BACKEND_MAIL_IDEMPOTENCY_TTL", "24h",
		"How long an idempotency key returns its first delivery; afterwards the key may be reused.",
		func(c *Config) *time.Duration { return &c.Mail.IdempotencyTTL }),
	durationVar("BACKEND_MAIL_DELIVERY_RETENTION", "720h",
		"Finished deliveries (with payloads, recipients, attempts, dead letters) older than this are deleted.",
		func(c *Config) *time.Duration { return &c.Mail.DeliveryRetention }),
	durationVar("BACKEND_MAIL_MALFORMED_COMMAND_RETENTION", "720h",
		"Malformed mail commands older than this are deleted.",
		func(c *Config) *time.Duration { return &c.Mail.MalformedCommandRetention }),
	addrVar("BACKEND_SMTP_INBOUND_ADDR", "", dev("127.0.0.1:2525"),
		"Listen address of the SMTP listener that takes orders by mail (for `orders@` BACKEND_MAIL_INBOUND_DOMAIN); "+
			"empty turns it off. `galaxy dev` listens on the loopback interface and prints the address.",
		func(c *Config) *string { return &c.Inbound.SMTPAddr }),
	stringVar("BACKEND_MAIL_INBOUND_DOMAIN", "", dev("localhost"),
		"Domain of the orders address `orders@<domain>`; mail to any other recipient is refused at RCPT. "+
			"Required when BACKEND_SMTP_INBOUND_ADDR is set.",
		func(c *Config) *string { return &c.Inbound.Domain }),
	stringVar("BACKEND_SMTP_INBOUND_TLS_CERT_FILE", "", nil,
		"PEM certificate chain for STARTTLS on the SMTP listener; with BACKEND_SMTP_INBOUND_TLS_KEY_FILE, turns STARTTLS on.",
		func(c *Config) *string { return &c.Inbound.TLSCertFile }),
	stringVar("BACKEND_SMTP_INBOUND_TLS_KEY_FILE", "", nil,
		"PEM private key of BACKEND_SMTP_INBOUND_TLS_CERT_FILE.",
		func(c *Config) *string { return &c.Inbound.TLSKeyFile }),
	durationVar("BACKEND_SMTP_INBOUND_TIMEOUT", "60s",
		"Deadline to read or write one SMTP command or message on the listener.",
		func(c *Config) *time.Duration { return &c.Inbound.Timeout }),
	durationVar("BACKEND_MAIL_INBOUND_SENDER_EVERY", "30s",
		"Rate of inbound mail per sender address: one more mail every this long (over it: a temporary 451 at MAIL FROM, 429 on the webhook).",
		func(c *Config) *time.Duration { return &c.Inbound.SenderEvery }),
	intVar("BACKEND_MAIL_INBOUND_SENDER_BURST", "20", 1,
		"Inbound mails one sender address may send at once before BACKEND_MAIL_INBOUND_SENDER_EVERY applies.",
		func(c *Config) *int { return &c.Inbound.SenderBurst }),
	intVar("BACKEND_MAIL_INBOUND_WORKERS", "4", 1,
		"Inbound mails processed at the same time by one process.",
		func(c *Config) *int { return &c.Inbound.Workers }),
	durationVar("BACKEND_MAIL_INBOUND_RETENTION", "720h",
		"Processed inbound mails (raw message and outcome) older than this are deleted.",
		func(c *Config) *time.Duration { return &c.Inbound.Retention }),
	durationVar("BACKEND_MAIL_CLEANUP_INTERVAL", "1h",
		"Period of the retention job (it also runs once at start-up).",
		func(c *Config) *time.Duration { return &c.Mail.CleanupInterval }),

	enumVar("BACKEND_OTEL_TRACES_EXPORTER", ExporterOTLP, dev(ExporterNone),
		[]string{ExporterOTLP, ExporterNone, ExporterStdout},
		"Where traces go. `otlp` honours the standard `OTEL_EXPORTER_OTLP_*` variables.",
		func(c *Config) *string { return &c.Telemetry.TracesExporter }),
	enumVar("BACKEND_OTEL_METRICS_EXPORTER", ExporterOTLP, dev(ExporterNone),
		[]string{ExporterOTLP, ExporterNone, ExporterStdout, ExporterPrometheus},
		"Where metrics go. `prometheus` serves them on `BACKEND_METRICS_ADDR`.",
		func(c *Config) *string { return &c.Telemetry.MetricsExporter }),
	addrVar("BACKEND_METRICS_ADDR", "", nil,
		"Listen address of the Prometheus `/metrics` endpoint; required when the metrics exporter is `prometheus`.",
		func(c *Config) *string { return &c.Telemetry.MetricsAddr }),

	stringVar("BACKEND_WEB_URL", "", dev("http://127.0.0.1:8090"),
		"Public address of the web client (galaxy-gateway), such as `https://galaxy.example.org`, for links in mail "+
			"(a turn report sent as a link); empty leaves the links out.",
		func(c *Config) *string { return &c.WebURL }),
	stringVar("GALAXY_HOME", ".galaxy", nil,
		"Directory where `galaxy dev` keeps its private PostgreSQL cluster between runs.",
		func(c *Config) *string { return &c.Home }),
}

// Load reads every variable through getenv (os.LookupEnv in production) and
// validates the result. The returned error lists every problem, one per line.
func Load(mode Mode, getenv func(string) (string, bool)) (*Config, error) {
	c := &Config{Mode: mode}
	var problems []string
	invalid := map[string]bool{}
	for _, v := range Vars {
		raw, ok := getenv(v.Name)
		if !ok {
			raw = v.defaultFor(mode)
		}
		if err := v.set(c, raw); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", v.Name, err))
			invalid[v.Name] = true
		}
	}
	problems = append(problems, c.crossCheck(invalid)...)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return c, nil
}

// crossCheck validates rules that involve more than one variable. Rules
// touching a variable that is already invalid are skipped: its value is
// meaningless and the operator has been told about it.
func (c *Config) crossCheck(invalid map[string]bool) []string {
	var p []string
	if c.Mode != ModeDev && c.Postgres.DSN == "" {
		p = append(p, "BACKEND_POSTGRES_DSN: required by `galaxy "+c.Mode.String()+"` (use `galaxy dev` for a private database)")
	}
	if !invalid["BACKEND_POSTGRES_MIN_CONNS"] && !invalid["BACKEND_POSTGRES_MAX_CONNS"] &&
		c.Postgres.MinConns > c.Postgres.MaxConns {
		p = append(p, fmt.Sprintf("BACKEND_POSTGRES_MIN_CONNS: %d exceeds BACKEND_POSTGRES_MAX_CONNS (%d)",
			c.Postgres.MinConns, c.Postgres.MaxConns))
	}
	if c.Telemetry.MetricsExporter == ExporterPrometheus && c.Telemetry.MetricsAddr == "" && !invalid["BACKEND_METRICS_ADDR"] {
		p = append(p, "BACKEND_METRICS_ADDR: required when BACKEND_OTEL_METRICS_EXPORTER is prometheus")
	}
	if c.Telemetry.MetricsAddr != "" && c.Telemetry.MetricsExporter != ExporterPrometheus {
		p = append(p, "BACKEND_METRICS_ADDR: set, but BACKEND_OTEL_METRICS_EXPORTER is not prometheus")
	}
	if c.Mode == ModeServe && c.InternalToken == "" {
		p = append(p, "BACKEND_INTERNAL_TOKEN: required by `galaxy serve`")
	}
	if c.InternalToken != "" && len(c.InternalToken) < 16 {
		p = append(p, "BACKEND_INTERNAL_TOKEN: must be at least 16 characters")
	}
	if c.Mode == ModeServe && c.Push.Token == "" {
		p = append(p, "BACKEND_PUSH_TOKEN: required by `galaxy serve`")
	}
	if c.Push.Token != "" && len(c.Push.Token) < 16 {
		p = append(p, "BACKEND_PUSH_TOKEN: must be at least 16 characters")
	}
	if c.Mail.SMTPMode == SMTPModeSMTP && c.Mode == ModeServe {
		if c.Mail.SMTPAddr == "" && !invalid["BACKEND_MAIL_SMTP_ADDR"] {
			p = append(p, "BACKEND_MAIL_SMTP_ADDR: required when BACKEND_MAIL_SMTP_MODE is smtp")
		}
		if c.Mail.FromEmail == "" {
			p = append(p, "BACKEND_MAIL_SMTP_FROM_EMAIL: required when BACKEND_MAIL_SMTP_MODE is smtp")
		}
	}
	if c.Inbound.SMTPAddr != "" && c.Inbound.Domain == "" {
		p = append(p, "BACKEND_MAIL_INBOUND_DOMAIN: required when BACKEND_SMTP_INBOUND_ADDR is set")
	}
	if (c.Inbound.TLSCertFile == "") != (c.Inbound.TLSKeyFile == "") {
		p = append(p, "BACKEND_SMTP_INBOUND_TLS_CERT_FILE and BACKEND_SMTP_INBOUND_TLS_KEY_FILE: set both or neither")
	}
	if c.Mail.FromEmail != "" {
		if _, err := netmail.ParseAddress(c.Mail.FromEmail); err != nil {
			p = append(p, fmt.Sprintf("BACKEND_MAIL_SMTP_FROM_EMAIL: not an email address: %q", c.Mail.FromEmail))
		}
	}
	if !invalid["BACKEND_MAIL_RETRY_BASE_DELAY"] && !invalid["BACKEND_MAIL_RETRY_MAX_DELAY"] &&
		c.Mail.RetryBaseDelay > c.Mail.RetryMaxDelay {
		p = append(p, "BACKEND_MAIL_RETRY_BASE_DELAY: exceeds BACKEND_MAIL_RETRY_MAX_DELAY")
	}
	if !invalid["BACKEND_MAIL_SMTP_TIMEOUT"] && !invalid["BACKEND_JOBS_RESCUE_STUCK_AFTER"] &&
		c.Jobs.RescueStuckAfter <= c.Mail.SMTPTimeout+30*time.Second {
		p = append(p, "BACKEND_JOBS_RESCUE_STUCK_AFTER: must exceed BACKEND_MAIL_SMTP_TIMEOUT + 30s, "+
			"or a slow send would be attempted twice")
	}
	if c.Home == "" {
		p = append(p, "GALAXY_HOME: must not be empty")
	}
	return p
}

// ValidationError lists every invalid or missing variable.
type ValidationError struct {
	Problems []string
}

// Error implements error with one problem per line.
func (e *ValidationError) Error() string {
	return "invalid configuration:\n  " + strings.Join(e.Problems, "\n  ")
}

// IsValidation reports whether err is a configuration validation error.
func IsValidation(err error) bool {
	var v *ValidationError
	return errors.As(err, &v)
}
