package pgstore

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// MapError translates what Postgres says into the apierr vocabulary, once, at the repository boundary:
//
//	pgx.ErrNoRows           → NotFound           NOT_FOUND
//	23505 unique            → AlreadyExists      ALREADY_EXISTS
//	40001, 40P01            → Aborted            CONFLICT (retry)
//	23P01 exclusion         → FailedPrecondition CONFLICT (e.g. an overlapping appointment)
//	23503 foreign key       → FailedPrecondition CONSTRAINT_VIOLATION
//	23514 check, 22xxx data → Invalid            CONSTRAINT_VIOLATION / INVALID_VALUE
//	57014 statement timeout → DeadlineExceeded   QUERY_TIMEOUT
//	08xxx, 53300, 57P01..03 → Unavailable        DATABASE_UNAVAILABLE (Retry-After 1 s)
//	dial, network, cut conn → Unavailable        DATABASE_UNAVAILABLE (Retry-After 1 s)
//
// Other errors, and errors that already carry an *apierr.Error, are returned unchanged. The result wraps err,
// so errors.Is/As still see the driver error. Messages name the constraint (a schema name, chosen by us) but
// never Postgres's DETAIL, which quotes the offending row's values.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apierr.As(err); ok {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apierr.Wrap(apierr.KindNotFound, "NOT_FOUND", "not found", err)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		if lostConnection(err) {
			return unavailable(err)
		}
		return err
	}
	switch code := pgErr.Code; {
	case code == "23505":
		return apierr.Wrap(apierr.KindAlreadyExists, "ALREADY_EXISTS", withConstraint("already exists", pgErr), err)
	case code == "40001" || code == "40P01":
		return apierr.Wrap(apierr.KindAborted, "CONFLICT", "a concurrent change conflicted; retry", err)
	case code == "23P01":
		return apierr.Wrap(apierr.KindFailedPrecondition, "CONFLICT", withConstraint("conflicts with an existing entry", pgErr), err)
	case code == "23503":
		return apierr.Wrap(apierr.KindFailedPrecondition, "CONSTRAINT_VIOLATION", withConstraint("refers to a missing or still referenced entry", pgErr), err)
	case code == "23514":
		return apierr.Wrap(apierr.KindInvalidArgument, "CONSTRAINT_VIOLATION", withConstraint("violates a rule", pgErr), err)
	case strings.HasPrefix(code, "22"):
		return apierr.Wrap(apierr.KindInvalidArgument, "INVALID_VALUE", "invalid value", err)
	case code == "57014":
		return apierr.Wrap(apierr.KindDeadlineExceeded, "QUERY_TIMEOUT", "the query took too long and was cancelled", err)
	case strings.HasPrefix(code, "08") || code == "53300" || code == "57P01" || code == "57P02" || code == "57P03":
		return unavailable(err)
	}
	return err
}

// retryAfter is the Retry-After of a database that cannot be reached: the pools reconnect within a second
// of Postgres coming back.
const retryAfter = time.Second

func unavailable(err error) error {
	e := apierr.Wrap(apierr.KindUnavailable, "DATABASE_UNAVAILABLE", "the database is unavailable; retry shortly", err)
	e.RetryAfter = retryAfter
	return e
}

// lostConnection recognises a server that cannot be reached or a connection that broke: the pool's dial
// error, network errors, and an answer cut off mid-way.
func lostConnection(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true // even when the dial timed out: the server did not answer
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false // the caller's own deadline: DeadlineExceeded, not a database that is away
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

func withConstraint(msg string, pgErr *pgconn.PgError) string {
	if pgErr.ConstraintName == "" {
		return msg
	}
	return msg + " (" + pgErr.ConstraintName + ")"
}
