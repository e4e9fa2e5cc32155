// Package drivertest is the conformance suite every driver.Driver passes, so
// that the runtime sees the same behaviour from the inprocess driver in tests
// and dev as from the docker driver in production.
//
// Use it from a driver's tests:
//
//	func TestConformance(t *testing.T) {
//		drivertest.Run(t, func(t *testing.T) driver.Driver { return newDriver(t) })
//	}
//
// Every engine the suite starts is a real one (engine.Server, or the
// galaxy-engine container), driven through engine.Client with its token.
package drivertest

import (
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// NewDriver returns the driver under test for one subtest. It registers its
// own cleanup (closing the driver); it may return the same driver to several
// subtests, which run in parallel and use distinct game ids.
type NewDriver func(t *testing.T) driver.Driver

// Option adjusts the suite to a driver.
type Option func(*suite)

// WithUnmanaged provides a way to create, outside the driver, an engine for
// gameID that lacks the galaxy.backend label (docker: a container carrying
// every other label), so the suite can check that List ignores it. The
// function registers its own cleanup. Without it that check is skipped.
func WithUnmanaged(start func(t *testing.T, gameID string)) Option {
	return func(s *suite) { s.unmanaged = start }
}

// WithHealthTimeout bounds each wait for an engine to answer /healthz
// (default 30 s).
func WithHealthTimeout(d time.Duration) Option {
	return func(s *suite) { s.healthTimeout = d }
}

// suite is the configured conformance suite.
type suite struct {
	newDriver     NewDriver
	unmanaged     func(t *testing.T, gameID string)
	healthTimeout time.Duration
}

// Run runs the conformance suite against the drivers newDriver returns. Each
// behaviour is a parallel subtest named for it.
func Run(t *testing.T, newDriver NewDriver, opts ...Option) {
	t.Helper()
	s := &suite{newDriver: newDriver, healthTimeout: 30 * time.Second}
	for _, o := range opts {
		o(s)
	}
	tests := []struct {
		name string
		fn   func(t *testing.T)
	}{
		{"a started engine answers its game with the per-game token only", s.testStartServes},
		{"a stopped engine is exited and the next start continues from its state", s.testStopRestart},
		{"a start of a running engine adopts it", s.testAdopt},
		{"concurrent starts of one game yield one engine", s.testConcurrentStarts},
		{"a start with another token replaces the engine over its state", s.testTokenChange},
		{"a removed engine is missing with its state, and removing again succeeds", s.testRemove},
		{"an unknown game is missing, not found to stop, and removable", s.testUnknown},
		{"invalid game ids and specs are refused", s.testInvalid},
		{"engines without the backend label are not listed", s.testUnmanaged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t)
		})
	}
}
