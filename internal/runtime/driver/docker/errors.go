package docker

import (
	"context"
	"errors"
	"net"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// dockerErr turns an error of the Docker client into the platform's error,
// keeping it as the cause. An unreachable daemon, a timeout or an ended ctx
// is errs.Unavailable (worth a retry); Docker's "not found" and "conflict"
// keep their meaning; anything else is the driver's or the daemon's fault,
// errs.Internal.
func dockerErr(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return e
	}
	var netErr net.Error
	code := errs.Internal
	switch {
	case client.IsErrConnectionFailed(err):
		return errs.Wrap(err, errs.Unavailable, "Docker daemon unreachable")
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		code = errs.Unavailable
	case cerrdefs.IsNotFound(err):
		code = errs.NotFound
	case cerrdefs.IsConflict(err), cerrdefs.IsAlreadyExists(err):
		code = errs.Conflict
	case cerrdefs.IsUnavailable(err), errors.As(err, &netErr):
		code = errs.Unavailable
	}
	return errs.Wrap(err, code, format, args...)
}
