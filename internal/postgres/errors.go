package postgres

import (
	"context"
	"errors"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// SQLSTATE codes the platform reacts to.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeCheckViolation      = "23514"
	codeSerialization       = "40001"
	codeDeadlock            = "40P01"
	codeQueryCanceled       = "57014"
	codeAdminShutdown       = "57P01"
	codeCannotConnectNow    = "57P03"
	codeTooManyConnections  = "53300"
)

// IsNoRows reports whether err means a query found no row.
func IsNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// UniqueViolation reports whether err is a unique-constraint violation, and
// which constraint, so that stores can map it to their own sentinel.
func UniqueViolation(err error) (constraint string, ok bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation {
		return pgErr.ConstraintName, true
	}
	return "", false
}

// Translate maps database failures to platform errors. Errors that already
// carry a platform code pass through unchanged; domain stores are expected to
// map no-rows and unique violations to their own sentinels first, and this is
// the safety net for the rest:
//
//   - no rows → not_found
//   - unique violation → conflict
//   - foreign key or check violation → failed_precondition
//   - serialization failure, deadlock, shutdown, connection trouble, deadline → unavailable
//
// Anything else is returned as is and becomes an internal error at the edge.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	if IsNoRows(err) {
		return errs.Wrap(err, errs.NotFound, "not found")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeUniqueViolation:
			return errs.Wrap(err, errs.Conflict, "already exists")
		case codeForeignKeyViolation, codeCheckViolation:
			return errs.Wrap(err, errs.FailedPrecondition, "the change conflicts with related data")
		case codeSerialization, codeDeadlock, codeQueryCanceled, codeAdminShutdown, codeCannotConnectNow, codeTooManyConnections:
			return errs.Wrap(err, errs.Unavailable, "the database is busy, try again")
		}
		return err
	}
	if timedOut(err) {
		return errs.Wrap(err, errs.Unavailable, "the database did not answer in time")
	}
	if cannotConnect(err) {
		return errs.Wrap(err, errs.Unavailable, "the database is unreachable")
	}
	return err
}

// Unreachable reports an error of a database that is out of reach or did
// not answer in time (or of a caller that gave up waiting): trying the same
// work again at once, or piece by piece, would only multiply the wait.
func Unreachable(err error) bool {
	return errors.Is(err, context.Canceled) || timedOut(err) || cannotConnect(err)
}

// timedOut reports a deadline, a timeout or a network failure on the way.
func timedOut(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || errors.As(err, &netErr)
}

// cannotConnect reports a failure to open a connection.
func cannotConnect(err error) bool {
	var connErr *pgconn.ConnectError
	return errors.As(err, &connErr)
}
