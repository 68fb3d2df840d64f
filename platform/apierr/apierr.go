// Package apierr is the error vocabulary shared by every building block.
//
// Domain and application code return *Error values (wrapped with %w as they travel up); the gRPC layer
// (package grpcerr) turns them into a status with errdetails, and the gateway turns that into HTTP. The
// package imports no grpc, so a BB's domain may use it.
package apierr

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind classifies an error the way a caller must react to it. Each maps to one gRPC code and one HTTP status.
type Kind int

const (
	KindInternal           Kind = iota // a bug or an unexpected failure: 500, message never shown to callers
	KindInvalidArgument                // the caller's input is wrong: 400
	KindNotFound                       // 404
	KindAlreadyExists                  // 409
	KindFailedPrecondition             // the state does not allow it now: 400 (gRPC FAILED_PRECONDITION)
	KindAborted                        // a concurrent change won; retry: 409
	KindUnauthenticated                // 401
	KindPermissionDenied               // 403
	KindResourceExhausted              // rate or size limit: 429
	KindUnavailable                    // a dependency is down; retry later: 503
	KindDeadlineExceeded               // 504
)

var kindNames = [...]string{"INTERNAL", "INVALID_ARGUMENT", "NOT_FOUND", "ALREADY_EXISTS", "FAILED_PRECONDITION",
	"ABORTED", "UNAUTHENTICATED", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "DEADLINE_EXCEEDED"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// FieldViolation names one bad field of a request and says what is wrong with it.
type FieldViolation struct {
	Field       string
	Description string
	// Reason, when set, is a stable UPPER_SNAKE code of the rule the field broke (PASSWORD_TOO_SHORT), for
	// a client to show its own words; Description stays the English explanation.
	Reason string
}

// Error is a typed error a caller may see. Message is safe to show; Err (the cause) is not shown.
type Error struct {
	Kind       Kind
	Reason     string // short UPPER_SNAKE word, e.g. RECORD_NOT_FOUND; prefixed GOVSTACK_<BB>_ on the wire
	Message    string
	Violations []FieldViolation
	// RetryAfter, when set on an Unavailable or ResourceExhausted error, tells the caller when to try again
	// (gRPC RetryInfo; the gateway's Retry-After header).
	RetryAfter time.Duration
	// HTTPStatus, when set to a 4xx status, is the status the BB's GovStack OpenAPI prescribes for this
	// error where it differs from the Kind's (Messaging's 405 "Invalid input"). It travels in the ErrorInfo
	// metadata as httpStatus; the gateway answers with it. The Kind still decides the gRPC code.
	HTTPStatus int
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New builds an *Error of any kind.
func New(k Kind, reason, msg string) *Error { return &Error{Kind: k, Reason: reason, Message: msg} }

// Wrap builds an *Error that keeps cause for logs and errors.Is, but shows only msg.
func Wrap(k Kind, reason, msg string, cause error) *Error {
	return &Error{Kind: k, Reason: reason, Message: msg, Err: cause}
}

func Invalid(reason, msg string, v ...FieldViolation) error {
	return &Error{Kind: KindInvalidArgument, Reason: reason, Message: msg, Violations: v}
}
func NotFound(reason, msg string) error      { return New(KindNotFound, reason, msg) }
func AlreadyExists(reason, msg string) error { return New(KindAlreadyExists, reason, msg) }
func FailedPrecondition(reason, msg string) error {
	return New(KindFailedPrecondition, reason, msg)
}
func Aborted(reason, msg string) error          { return New(KindAborted, reason, msg) }
func Unauthenticated(reason, msg string) error  { return New(KindUnauthenticated, reason, msg) }
func PermissionDenied(reason, msg string) error { return New(KindPermissionDenied, reason, msg) }
func ResourceExhausted(reason, msg string) error {
	return New(KindResourceExhausted, reason, msg)
}
func Unavailable(reason, msg string) error      { return New(KindUnavailable, reason, msg) }
func DeadlineExceeded(reason, msg string) error { return New(KindDeadlineExceeded, reason, msg) }

// KindOf reports the Kind of the first *Error in err's chain, or Internal when there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// JoinInvalid makes one InvalidArgument of the errors that are not nil, with every field violation of each,
// so that a client learns every bad field at once; the first error's reason stays. An error that is not an
// InvalidArgument *Error is returned as it is (it is not about a field).
func JoinInvalid(errs ...error) error {
	var first *Error
	var violations []FieldViolation
	var msgs []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		e, ok := As(err)
		if !ok || e.Kind != KindInvalidArgument {
			return err
		}
		if first == nil {
			first = e
		}
		violations = append(violations, e.Violations...)
		msgs = append(msgs, e.Message)
	}
	if first == nil {
		return nil
	}
	if len(msgs) == 1 {
		return first
	}
	return Invalid(first.Reason, strings.Join(msgs, "; "), violations...)
}

// WithField returns a refusal of kind with reason and msg that names the field it is about (a BadRequest
// violation), so that a form shows it next to that field whatever the error's kind.
func WithField(kind Kind, reason, msg string, v FieldViolation) error {
	return &Error{Kind: kind, Reason: reason, Message: msg, Violations: []FieldViolation{v}}
}
