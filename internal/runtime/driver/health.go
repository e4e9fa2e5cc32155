package driver

import (
	"context"
	"errors"
	"time"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
)

// DefaultHealthTimeout is WaitHealthy's bound when given none: an engine
// binds its port in milliseconds once its process runs, but a loaded Docker
// host may take seconds to start the process.
const DefaultHealthTimeout = 30 * time.Second

// Backoff of WaitHealthy: quick first retries because the port is usually
// bound within milliseconds, capped so a slow start is not hammered.
const (
	healthFirstDelay = 20 * time.Millisecond
	healthMaxDelay   = 500 * time.Millisecond
	// healthCallTimeout bounds one probe, so a connection that hangs (a
	// paused container) does not eat the whole budget.
	healthCallTimeout = 2 * time.Second
)

// WaitHealthy polls the engine's GET /healthz at endpoint (an Engine's
// Endpoint) with exponential backoff until it answers 200, for at most
// timeout (zero or less: DefaultHealthTimeout). Docker reports a container
// running as soon as its entrypoint starts, before the engine binds its
// port; only after WaitHealthy succeeds may the runtime call /admin/init
// (seed 000).
//
// Errors: errs.InvalidArgument for an endpoint that is not an http(s) URL;
// errs.Unavailable when the engine did not answer in time or ctx ended, with
// the last probe's failure as the cause.
func WaitHealthy(ctx context.Context, endpoint string, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = DefaultHealthTimeout
	}
	// /healthz needs no token.
	c, err := engine.NewClient(endpoint, "", engine.WithHealthTimeout(healthCallTimeout))
	if err != nil {
		return errs.Wrap(err, errs.InvalidArgument, "engine endpoint %q is invalid", endpoint)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	delay := healthFirstDelay
	var last error
	for {
		last = c.Healthz(ctx)
		if last == nil {
			return nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return errs.Wrap(last, errs.Unavailable, "engine at %s not healthy after %s", endpoint, timeout)
			}
			return errs.Wrap(errors.Join(ctx.Err(), last), errs.Unavailable, "waiting for engine at %s ended", endpoint)
		case <-t.C:
		}
		delay = min(delay*2, healthMaxDelay)
	}
}
