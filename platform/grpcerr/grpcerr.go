// Package grpcerr turns apierr errors into gRPC statuses with errdetails (ARCHITECTURE.md §8), so that every
// BB reports errors the same way and the gateway can map them to HTTP.
package grpcerr

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// InternalMessage is all a caller learns about an unexpected failure; the cause goes to the log only.
const InternalMessage = "internal error"

// UnavailableMessage is what a caller learns when the BB cannot reach its database or broker.
const UnavailableMessage = "the building block cannot reach its database or message broker right now; retry shortly"

// UnavailableRetryAfter is the Retry-After given with it: the BBs reconnect within a second of Postgres
// coming back (measured: 0.2–0.7 s).
const UnavailableRetryAfter = time.Second

// unreachable recognises "cannot reach a dependency" wherever it comes from (issue 12): network and dial
// errors (a pool that cannot connect reports the dial error), a connection cut mid-call, and the SQLSTATEs of
// a server that is down or going down (class 08, 53300 too many connections, 57P01–57P03 shutdown). The
// SQLSTATE is read through the SQLState method the Postgres driver's errors have, so this package needs no
// driver.
func unreachable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false // a net.Error too, but the caller's deadline, not a dependency's absence
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		code := pg.SQLState()
		return strings.HasPrefix(code, "08") || code == "53300" || code == "57P01" || code == "57P02" || code == "57P03"
	}
	return false
}

var codeOf = map[apierr.Kind]codes.Code{
	apierr.KindInvalidArgument:    codes.InvalidArgument,
	apierr.KindNotFound:           codes.NotFound,
	apierr.KindAlreadyExists:      codes.AlreadyExists,
	apierr.KindFailedPrecondition: codes.FailedPrecondition,
	apierr.KindAborted:            codes.Aborted,
	apierr.KindUnauthenticated:    codes.Unauthenticated,
	apierr.KindPermissionDenied:   codes.PermissionDenied,
	apierr.KindResourceExhausted:  codes.ResourceExhausted,
	apierr.KindUnavailable:        codes.Unavailable,
	apierr.KindDeadlineExceeded:   codes.DeadlineExceeded,
	apierr.KindInternal:           codes.Internal,
}

// ToStatus converts err for a response of building block bb (e.g. "registries"); nil gives nil (OK).
//
//   - an *apierr.Error anywhere in the chain gives its Kind's code and Message, an ErrorInfo with reason
//     GOVSTACK_<BB>_<REASON> and domain govstack.<bb>, a BadRequest when it has field violations, and a
//     RetryInfo when it has a RetryAfter;
//     Kind Internal keeps its message private like any unknown error;
//   - a gRPC status error (e.g. from a call to another BB) passes through unchanged;
//   - context.Canceled and context.DeadlineExceeded give Canceled and DeadlineExceeded;
//   - anything else is Internal with the message "internal error".
func ToStatus(bb string, err error) *status.Status {
	st, _ := convert(bb, err)
	return st
}

// convert also reports whether the cause was hidden from the caller, so the interceptor knows to log it.
func convert(bb string, err error) (st *status.Status, hidden bool) {
	if err == nil {
		return nil, false
	}
	if e, ok := apierr.As(err); ok {
		code, known := codeOf[e.Kind]
		if (!known || code == codes.Internal) && unreachable(err) {
			// A BB that wrapped a lost connection as internal: it is still a dependency that is away.
			st := withInfo(codes.Unavailable, UnavailableMessage, bb, "DEPENDENCY_UNAVAILABLE", nil, nil)
			return withRetry(st, UnavailableRetryAfter), true
		}
		if !known || code == codes.Internal {
			return withInfo(codes.Internal, InternalMessage, bb, reasonOr(e.Reason, "INTERNAL"), nil, nil), true
		}
		st := withInfo(code, e.Message, bb, reasonOr(e.Reason, e.Kind.String()), e.Violations, httpStatusMetadata(e.HTTPStatus))
		return withRetry(st, e.RetryAfter), false
	}
	// A status travels as a plain error value; errors.As finds it even when wrapped with %w.
	var se interface{ GRPCStatus() *status.Status }
	if errors.As(err, &se) {
		return se.GRPCStatus(), false
	}
	switch {
	case errors.Is(err, context.Canceled):
		return withInfo(codes.Canceled, "the request was canceled", bb, "CANCELED", nil, nil), false
	case errors.Is(err, context.DeadlineExceeded):
		return withInfo(codes.DeadlineExceeded, "the deadline expired before the operation completed", bb,
			"DEADLINE_EXCEEDED", nil, nil), false
	}
	if unreachable(err) {
		st := withInfo(codes.Unavailable, UnavailableMessage, bb, "DEPENDENCY_UNAVAILABLE", nil, nil)
		return withRetry(st, UnavailableRetryAfter), true
	}
	return withInfo(codes.Internal, InternalMessage, bb, "INTERNAL", nil, nil), true
}

// HTTPStatusKey is the ErrorInfo metadata key of a status the BB's spec prescribes (apierr.Error.HTTPStatus).
const HTTPStatusKey = "httpStatus"

func httpStatusMetadata(code int) map[string]string {
	if code < 400 || code > 499 {
		return nil
	}
	return map[string]string{HTTPStatusKey: strconv.Itoa(code)}
}

func reasonOr(reason, fallback string) string {
	if reason == "" {
		return fallback
	}
	return reason
}

// Reason returns the wire form of a reason: GOVSTACK_<BB>_<REASON>. A reason that already carries the
// GOVSTACK_ prefix is kept, so errors relayed from another BB are not prefixed twice.
func Reason(bb, reason string) string {
	if strings.HasPrefix(reason, "GOVSTACK_") {
		return reason
	}
	return "GOVSTACK_" + strings.ToUpper(bb) + "_" + reason
}

// Domain returns the ErrorInfo domain of bb: govstack.<bb>.
func Domain(bb string) string { return "govstack." + strings.ToLower(bb) }

func withInfo(code codes.Code, msg, bb, reason string, violations []apierr.FieldViolation, meta map[string]string) *status.Status {
	st := status.New(code, msg)
	details := []protoadapt.MessageV1{&errdetails.ErrorInfo{Reason: Reason(bb, reason), Domain: Domain(bb), Metadata: meta}}
	if len(violations) > 0 {
		br := &errdetails.BadRequest{}
		for _, v := range violations {
			br.FieldViolations = append(br.FieldViolations,
				&errdetails.BadRequest_FieldViolation{Field: v.Field, Description: v.Description, Reason: v.Reason})
		}
		details = append(details, br)
	}
	if withDetails, err := st.WithDetails(details...); err == nil {
		return withDetails // WithDetails fails only for an OK status or unmarshalable details
	}
	return st
}

// withRetry adds a RetryInfo to st when the error says when to try again; the gateway turns it into the
// Retry-After header.
func withRetry(st *status.Status, after time.Duration) *status.Status {
	if after <= 0 {
		return st
	}
	if withDetails, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(after)}); err == nil {
		return withDetails
	}
	return st
}

// UnaryServerInterceptor converts every error a handler returns with ToStatus. Causes hidden from the
// caller are logged at error level with the method, so the "internal error" a caller reports can be found.
func UnaryServerInterceptor(bb string, log *slog.Logger) grpc.UnaryServerInterceptor {
	if log == nil {
		log = slog.Default()
	}
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		if err == nil {
			return resp, nil
		}
		st, hidden := convert(bb, withSpecStatus(info.FullMethod, err))
		if hidden {
			log.ErrorContext(ctx, "request failed", "bb", bb, "method", info.FullMethod, "error", err.Error())
		}
		return nil, st.Err()
	}
}
