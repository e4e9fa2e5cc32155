// Package gateway is galaxy-gateway's composition root and HTTP edge: its
// configuration (GATEWAY_*), the routes of the web client, the session and
// cross-site protections around them, the push subscriptions to every
// backend replica and the live event stream to browsers.
//
// The gateway is a client of the backend, not a second backend: it reaches
// the backend only through the public HTTP API (internal/apiclient) and the
// push stream, and imports no backend domain package.
package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/gateway/live"
	"github.com/galaxy-platform/galaxy/internal/gateway/session"
	"github.com/galaxy-platform/galaxy/internal/lifecycle"
	"github.com/galaxy-platform/galaxy/internal/web"
	"github.com/galaxy-platform/galaxy/internal/web/console"
)

// sessionCacheTTL is how long a resolved session is trusted by the event
// stream; pages check the session on every request anyway.
const sessionCacheTTL = 30 * time.Second

// Gateway is the assembled program.
type Gateway struct {
	cfg      Config
	logger   *slog.Logger
	api      *apiclient.ClientWithResponses
	hub      *live.Hub
	events   *live.Handler
	subs     []*live.Subscriber
	resolver *session.Resolver
	ui       *web.UI
	console  *console.Console
	server   *server
}

// New wires the gateway; nothing listens or connects until Run.
func New(cfg Config, logger *slog.Logger) (*Gateway, error) {
	api, err := apiclient.NewClientWithResponses(cfg.BackendURL, apiclient.WithHTTPClient(backendHTTPClient()))
	if err != nil {
		return nil, fmt.Errorf("backend client: %w", err)
	}
	g := &Gateway{cfg: cfg, logger: logger, api: api, hub: live.NewHub()}
	g.events = live.NewHandler(g.hub, g.identify, live.WithHandlerLogger(logger))
	g.resolver = session.NewResolver(api, cfg.InternalToken, sessionCacheTTL)
	for _, addr := range cfg.PushAddrs {
		g.subs = append(g.subs, live.NewSubscriber(addr, cfg.PushToken, g.hub, logger))
	}
	g.ui, err = web.New(web.Options{
		API: api, Cookies: session.Cookies{Secure: cfg.CookieSecure}, Resolver: g.resolver,
		InternalToken: cfg.InternalToken, DevMail: cfg.DevMail, Logger: logger,
	})
	if err != nil {
		return nil, err
	}
	if g.console, err = console.New(console.Options{API: api, SecureCookie: cfg.CookieSecure, Logger: logger}); err != nil {
		return nil, err
	}
	g.server = newServer(cfg.HTTPAddr, g.routes(), logger)
	return g, nil
}

// backendHTTPClient keeps enough idle connections to the backend for a busy
// gateway: the default of 2 per host would make every page open new ones.
func backendHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 256
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// Run starts the gateway, calls onReady (may be nil) with the bound address
// once the listener is up, and runs until ctx ends or a component fails.
func (g *Gateway) Run(ctx context.Context, onReady func(addr fmt.Stringer)) error {
	group := lifecycle.NewGroup(g.logger)
	components := []lifecycle.Component{}
	for _, s := range g.subs {
		components = append(components, s)
	}
	// Stopped before the listener (reverse order): closing the hub ends every
	// open event stream after it flushed what was queued, so the listener
	// drains at once instead of waiting on streams that never end.
	components = append(components, g.server, lifecycle.Func{ComponentName: "live-streams", StopFunc: func(ctx context.Context) error {
		g.hub.Close()
		return g.events.Wait(ctx)
	}})
	g.server.fail = group.Fail
	for _, c := range components {
		if err := group.Start(ctx, c, 0); err != nil {
			_ = group.Stop(g.cfg.ShutdownTimeout)
			return err
		}
	}
	if onReady != nil {
		onReady(g.server.Addr())
	}
	err := group.Wait(ctx)
	if stopErr := group.Stop(g.cfg.ShutdownTimeout); err == nil {
		err = stopErr
	}
	return err
}
