package grpcerr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func details(st *status.Status) (*errdetails.ErrorInfo, *errdetails.BadRequest) {
	var info *errdetails.ErrorInfo
	var br *errdetails.BadRequest
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			info = d
		case *errdetails.BadRequest:
			br = d
		}
	}
	return info, br
}

func TestToStatus(t *testing.T) {
	downstream := status.Error(codes.NotFound, "no such schema")
	tests := []struct {
		name       string
		err        error
		code       codes.Code
		msg        string
		reason     string // "" = no ErrorInfo expected
		violations []string
	}{
		{"invalid with violations", apierr.Invalid("BAD_RECORD", "the record is invalid",
			apierr.FieldViolation{Field: "data.name", Description: "required"},
			apierr.FieldViolation{Field: "data.age", Description: "must be a number", Reason: "NOT_A_NUMBER"}),
			codes.InvalidArgument, "the record is invalid", "GOVSTACK_REGISTRIES_BAD_RECORD",
			[]string{"data.name: required", "data.age: must be a number (NOT_A_NUMBER)"}},
		{"a refusal naming its field", apierr.WithField(apierr.KindNotFound, "COMPANY_NOT_FOUND", "no company",
			apierr.FieldViolation{Field: "companyId", Description: "not in the registry"}),
			codes.NotFound, "no company", "GOVSTACK_REGISTRIES_COMPANY_NOT_FOUND", []string{"companyId: not in the registry"}},
		{"not found", apierr.NotFound("RECORD_NOT_FOUND", "no record 42"), codes.NotFound, "no record 42",
			"GOVSTACK_REGISTRIES_RECORD_NOT_FOUND", nil},
		{"wrapped", fmt.Errorf("get record: %w", apierr.NotFound("RECORD_NOT_FOUND", "no record 42")),
			codes.NotFound, "no record 42", "GOVSTACK_REGISTRIES_RECORD_NOT_FOUND", nil},
		{"already exists", apierr.AlreadyExists("DUPLICATE", "dup"), codes.AlreadyExists, "dup", "GOVSTACK_REGISTRIES_DUPLICATE", nil},
		{"failed precondition", apierr.FailedPrecondition("CLOSED", "closed"), codes.FailedPrecondition, "closed", "GOVSTACK_REGISTRIES_CLOSED", nil},
		{"aborted", apierr.Aborted("CONFLICT", "retry"), codes.Aborted, "retry", "GOVSTACK_REGISTRIES_CONFLICT", nil},
		{"unauthenticated", apierr.Unauthenticated("NO_TOKEN", "no token"), codes.Unauthenticated, "no token", "GOVSTACK_REGISTRIES_NO_TOKEN", nil},
		{"permission denied", apierr.PermissionDenied("DENIED", "denied"), codes.PermissionDenied, "denied", "GOVSTACK_REGISTRIES_DENIED", nil},
		{"resource exhausted", apierr.ResourceExhausted("RATE", "slow down"), codes.ResourceExhausted, "slow down", "GOVSTACK_REGISTRIES_RATE", nil},
		{"unavailable hides cause", apierr.Wrap(apierr.KindUnavailable, "DB_DOWN", "try later", errors.New("dial tcp 10.0.0.3")),
			codes.Unavailable, "try later", "GOVSTACK_REGISTRIES_DB_DOWN", nil},
		{"deadline kind", apierr.DeadlineExceeded("SLOW", "too slow"), codes.DeadlineExceeded, "too slow", "GOVSTACK_REGISTRIES_SLOW", nil},
		{"empty reason uses kind", apierr.NotFound("", "gone"), codes.NotFound, "gone", "GOVSTACK_REGISTRIES_NOT_FOUND", nil},
		{"prefixed reason kept", apierr.NotFound("GOVSTACK_IM_NO_ROUTE", "x"), codes.NotFound, "x", "GOVSTACK_IM_NO_ROUTE", nil},
		{"internal kind hides message", apierr.New(apierr.KindInternal, "BUG", "secret detail"),
			codes.Internal, InternalMessage, "GOVSTACK_REGISTRIES_BUG", nil},
		{"unknown kind", apierr.New(apierr.Kind(99), "ODD", "odd"), codes.Internal, InternalMessage, "GOVSTACK_REGISTRIES_ODD", nil},
		{"plain error", errors.New("pq: password authentication failed"), codes.Internal, InternalMessage,
			"GOVSTACK_REGISTRIES_INTERNAL", nil},
		{"status passes through", downstream, codes.NotFound, "no such schema", "", nil},
		{"wrapped status passes through", fmt.Errorf("call schemas: %w", downstream), codes.NotFound, "no such schema", "", nil},
		{"canceled", fmt.Errorf("query: %w", context.Canceled), codes.Canceled, "the request was canceled",
			"GOVSTACK_REGISTRIES_CANCELED", nil},
		{"deadline", context.DeadlineExceeded, codes.DeadlineExceeded, "the deadline expired before the operation completed",
			"GOVSTACK_REGISTRIES_DEADLINE_EXCEEDED", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := ToStatus("registries", tt.err)
			if st.Code() != tt.code || st.Message() != tt.msg {
				t.Errorf("got %v %q, want %v %q", st.Code(), st.Message(), tt.code, tt.msg)
			}
			info, br := details(st)
			switch {
			case tt.reason == "" && info != nil:
				t.Errorf("unexpected ErrorInfo %v", info)
			case tt.reason != "" && info == nil:
				t.Errorf("no ErrorInfo, want reason %s", tt.reason)
			case tt.reason != "":
				if info.Reason != tt.reason || info.Domain != "govstack.registries" {
					t.Errorf("ErrorInfo = %s/%s, want %s/govstack.registries", info.Reason, info.Domain, tt.reason)
				}
			}
			var got []string
			for _, v := range br.GetFieldViolations() {
				line := v.Field + ": " + v.Description
				if v.Reason != "" {
					line += " (" + v.Reason + ")"
				}
				got = append(got, line)
			}
			if strings.Join(got, "|") != strings.Join(tt.violations, "|") {
				t.Errorf("violations = %q, want %q", got, tt.violations)
			}
		})
	}
}

func TestToStatusNil(t *testing.T) {
	if st := ToStatus("registries", nil); st.Code() != codes.OK || st.Err() != nil {
		t.Errorf("ToStatus(nil) = %v", st)
	}
}

func TestUnaryServerInterceptor(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		code    codes.Code
		logged  bool
		noLeaks string
	}{
		{"ok", nil, codes.OK, false, ""},
		{"domain error", apierr.NotFound("RECORD_NOT_FOUND", "no record"), codes.NotFound, false, ""},
		{"unknown error logged not sent", errors.New("disk full at /var/lib"), codes.Internal, true, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			icpt := UnaryServerInterceptor("registries", slog.New(slog.NewJSONHandler(&buf, nil)))
			info := &grpc.UnaryServerInfo{FullMethod: "/govstack.registries.v1.Registries/GetRecord"}
			resp, err := icpt(context.Background(), "req", info, func(context.Context, any) (any, error) {
				if tt.err != nil {
					return "partial", tt.err
				}
				return "resp", nil
			})
			if got := status.Code(err); got != tt.code {
				t.Fatalf("code %v, want %v", got, tt.code)
			}
			if tt.err == nil && resp != "resp" {
				t.Errorf("response %v lost", resp)
			}
			if tt.err != nil && resp != nil {
				t.Errorf("response %v returned with an error", resp)
			}
			if tt.noLeaks != "" && strings.Contains(status.Convert(err).Message(), tt.noLeaks) {
				t.Errorf("cause sent to the caller: %v", err)
			}
			logged := strings.Contains(buf.String(), `"level":"ERROR"`)
			if logged != tt.logged {
				t.Errorf("logged = %v, want %v; log: %s", logged, tt.logged, buf.String())
			}
			if tt.logged && (!strings.Contains(buf.String(), "disk full") || !strings.Contains(buf.String(), info.FullMethod)) {
				t.Errorf("log lacks cause or method: %s", buf.String())
			}
		})
	}
}

func TestToStatusRetryInfo(t *testing.T) {
	err := fmt.Errorf("register: %w", &apierr.Error{Kind: apierr.KindUnavailable, Reason: "REGISTRIES_UNAVAILABLE",
		Message: "try again later", RetryAfter: 1500 * time.Millisecond})
	st := ToStatus("registration", err)
	if st.Code() != codes.Unavailable {
		t.Fatalf("code = %v", st.Code())
	}
	var retry *errdetails.RetryInfo
	for _, d := range st.Details() {
		if r, ok := d.(*errdetails.RetryInfo); ok {
			retry = r
		}
	}
	if retry == nil || retry.GetRetryDelay().AsDuration() != 1500*time.Millisecond {
		t.Fatalf("RetryInfo = %v", retry)
	}
	if info, _ := details(st); info == nil || info.Reason != "GOVSTACK_REGISTRATION_REGISTRIES_UNAVAILABLE" {
		t.Fatalf("ErrorInfo = %v", info)
	}
	for _, d := range ToStatus("registration", apierr.Unavailable("X", "down")).Details() {
		if _, ok := d.(*errdetails.RetryInfo); ok {
			t.Fatal("RetryInfo without RetryAfter")
		}
	}
}

func TestToStatusHTTPStatus(t *testing.T) {
	err := &apierr.Error{Kind: apierr.KindInvalidArgument, Reason: "INVALID_INPUT", Message: "Invalid input", HTTPStatus: 405}
	info, _ := details(ToStatus("messaging", err))
	if got := info.GetMetadata()[HTTPStatusKey]; got != "405" {
		t.Fatalf("httpStatus metadata = %q, want 405", got)
	}
	// Only a 4xx is carried: a BB cannot make an error look like a success or a server fault.
	for _, code := range []int{0, 200, 500} {
		err.HTTPStatus = code
		info, _ := details(ToStatus("messaging", err))
		if got, ok := info.GetMetadata()[HTTPStatusKey]; ok {
			t.Errorf("HTTPStatus %d: metadata %q, want none", code, got)
		}
	}
}

// sqlStateErr stands in for a driver error that carries a SQLSTATE.
type sqlStateErr string

func (e sqlStateErr) Error() string    { return "server says " + string(e) }
func (e sqlStateErr) SQLState() string { return string(e) }

// A dependency that cannot be reached is 503 with a RetryInfo, never a 500 — even when the BB did not map
// the driver's error itself (issue 12).
func TestToStatusUnreachableDependency(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, err := range []error{dial, fmt.Errorf("query: %w", io.ErrUnexpectedEOF), sqlStateErr("57P01"), sqlStateErr("08006")} {
		st := ToStatus("scheduling", fmt.Errorf("list: %w", err))
		if st.Code() != codes.Unavailable {
			t.Errorf("%v: code %v, want Unavailable", err, st.Code())
		}
		var retry bool
		for _, d := range st.Details() {
			_, ok := d.(*errdetails.RetryInfo)
			retry = retry || ok
		}
		if !retry || strings.Contains(st.Message(), "127.0.0.1") {
			t.Errorf("%v: retry info %v, message %q", err, retry, st.Message())
		}
	}
	for _, err := range []error{sqlStateErr("23505"), context.DeadlineExceeded} {
		if ToStatus("scheduling", err).Code() == codes.Unavailable {
			t.Errorf("%v became Unavailable", err)
		}
	}
}

func TestToStatusInternalWrappingALostConnection(t *testing.T) {
	err := apierr.Wrap(apierr.KindInternal, "STORE", "could not save", fmt.Errorf("commit: %w", io.ErrUnexpectedEOF))
	if st := ToStatus("messaging", err); st.Code() != codes.Unavailable {
		t.Fatalf("code %v, want Unavailable", st.Code())
	}
}
