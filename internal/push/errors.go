package push

import "github.com/galaxy-platform/galaxy/internal/errs"

// Why a subscription ended. Each is an *errs.Error, so the gRPC edge turns it
// into a status through the one code table (errs.Code.GRPCCode), and each
// message tells the gateway what to do next.
var (
	// ErrTooSlow ends a subscription whose send queue overflowed: the
	// subscriber fell behind and is cut off so that publishers never wait.
	// It maps to RESOURCE_EXHAUSTED.
	ErrTooSlow = errs.E(errs.RateLimited, "subscriber too slow: resubscribe with your last epoch and cursor")
	// ErrShuttingDown ends subscriptions when the server stops, after every
	// event already published has been sent. It maps to UNAVAILABLE.
	ErrShuttingDown = errs.E(errs.Unavailable, "push server shutting down: resubscribe with your last epoch and cursor")
	// ErrClosed is the reason of a subscription its owner closed.
	ErrClosed = errs.E(errs.Unavailable, "subscription closed")
	// ErrUnauthenticated answers a subscriber without the right bearer
	// token. It maps to UNAUTHENTICATED.
	ErrUnauthenticated = errs.E(errs.Unauthenticated, "missing or invalid bearer token")
)
