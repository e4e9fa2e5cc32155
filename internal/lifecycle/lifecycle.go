// Package lifecycle starts long-lived components in order, supervises them
// through one control channel, and stops them in reverse order within a
// shutdown budget.
//
// It follows the pattern of seed 002: the main goroutine owns the group and
// waits on a single channel that carries either the shutdown signal (context
// cancellation) or the first failure a running component reports; both lead
// to the same orderly shutdown.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// Component is anything with a lifetime: a listener, a worker pool, a pool of
// connections, a cache. Start must return once the component is usable (a
// listener is bound, a cache is warm); long-running work continues in
// goroutines the component owns. Stop must release everything and return
// before ctx's deadline.
type Component interface {
	// Name identifies the component in logs and errors.
	Name() string
	// Start brings the component up; an error means it is not running.
	Start(ctx context.Context) error
	// Stop brings it down; it is called once, only after a successful Start.
	Stop(ctx context.Context) error
}

// Func adapts a pair of functions to Component.
type Func struct {
	ComponentName string
	StartFunc     func(ctx context.Context) error
	StopFunc      func(ctx context.Context) error
}

// Name implements Component.
func (f Func) Name() string { return f.ComponentName }

// Start implements Component; a nil StartFunc does nothing.
func (f Func) Start(ctx context.Context) error {
	if f.StartFunc == nil {
		return nil
	}
	return f.StartFunc(ctx)
}

// Stop implements Component; a nil StopFunc does nothing.
func (f Func) Stop(ctx context.Context) error {
	if f.StopFunc == nil {
		return nil
	}
	return f.StopFunc(ctx)
}

type started struct {
	c           Component
	stopTimeout time.Duration
}

// Group is an ordered set of started components. It is used by a single
// goroutine (the composition root), except for Fail, which any goroutine may
// call.
type Group struct {
	logger   *slog.Logger
	started  []started
	ctrl     chan error
	stopping atomic.Bool
}

// NewGroup returns an empty group.
func NewGroup(logger *slog.Logger) *Group {
	// One slot is enough: the first failure triggers shutdown, later ones
	// are logged and dropped.
	return &Group{logger: logger, ctrl: make(chan error, 1)}
}

// Start starts c now and records it, so that Stop will stop it. stopTimeout
// bounds c's Stop (zero: only the overall budget applies). On error nothing is
// recorded: the caller is expected to Stop the group.
func (g *Group) Start(ctx context.Context, c Component, stopTimeout time.Duration) error {
	begin := time.Now()
	if err := c.Start(ctx); err != nil {
		g.logger.Error("component failed to start", "component", c.Name(), "error", err)
		return fmt.Errorf("start %s: %w", c.Name(), err)
	}
	g.started = append(g.started, started{c: c, stopTimeout: stopTimeout})
	g.logger.Info("component started", "component", c.Name(), "duration", time.Since(begin).String())
	return nil
}

// Fail reports that a running component has failed. It never blocks. The
// first failure makes Wait return; later ones are only logged.
func (g *Group) Fail(component string, err error) {
	if g.stopping.Load() {
		// Components that end because we are stopping them are not failures.
		g.logger.Debug("component ended during shutdown", "component", component, "error", err)
		return
	}
	err = fmt.Errorf("%s failed: %w", component, err)
	g.logger.Error("component failed while running", "component", component, "error", err)
	select {
	case g.ctrl <- err:
	default:
	}
}

// Wait blocks until ctx is cancelled (a shutdown signal) or a component
// fails, and returns the failure (nil for a signal).
func (g *Group) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		g.logger.Info("shutdown requested")
		return nil
	case err := <-g.ctrl:
		return err
	}
}

// Stop stops every started component in reverse start order. Each Stop gets
// the smaller of its own timeout and what is left of budget; a component that
// fails to stop is logged and the others are still stopped. It returns every
// stop error joined.
func (g *Group) Stop(budget time.Duration) error {
	g.stopping.Store(true)
	deadline := time.Now().Add(budget)
	var errs []error
	for i := len(g.started) - 1; i >= 0; i-- {
		s := g.started[i]
		d := deadline
		if s.stopTimeout > 0 {
			d = minTime(d, time.Now().Add(s.stopTimeout))
		}
		ctx, cancel := context.WithDeadline(context.Background(), d)
		begin := time.Now()
		err := s.c.Stop(ctx)
		cancel()
		if err != nil {
			g.logger.Error("component failed to stop cleanly", "component", s.c.Name(), "error", err,
				"duration", time.Since(begin).String())
			errs = append(errs, fmt.Errorf("stop %s: %w", s.c.Name(), err))
			continue
		}
		g.logger.Info("component stopped", "component", s.c.Name(), "duration", time.Since(begin).String())
	}
	g.started = nil
	return errors.Join(errs...)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
