// Package testkit holds the assertions every building block's tests make of gRPC answers, and the poll
// they wait with — one copy for all BBs (issue 13), beside pgstore/pgtest and natsbus/natstest.
package testkit

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Eventually polls cond until it returns nil, and fails t with cond's last error once timeout has passed:
// tests wait for what happens asynchronously with a deadline, never with a guessed sleep.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still failing after %v: %v", what, timeout, err)
		}
		time.Sleep(20 * time.Millisecond) // the polling interval, not synchronisation
	}
}

// WantCode asserts err's gRPC code and returns its status.
func WantCode(t testing.TB, err error, code codes.Code) *status.Status {
	t.Helper()
	st, _ := status.FromError(err)
	if st.Code() != code {
		t.Fatalf("want %v, got %v", code, err)
	}
	return st
}

// WantReason asserts err's code and ErrorInfo reason: reason is the whole reason
// (GOVSTACK_REGISTRATION_EMAIL_TAKEN) or what follows the BB's prefix (EMAIL_TAKEN).
func WantReason(t testing.TB, err error, code codes.Code, reason string) *status.Status {
	t.Helper()
	st := WantCode(t, err, code)
	for _, d := range st.Details() {
		if ei, ok := d.(*errdetails.ErrorInfo); ok {
			if got := ei.GetReason(); got != reason && !strings.HasSuffix(got, "_"+reason) {
				t.Fatalf("reason %s, want %s (%v)", got, reason, err)
			}
			return st
		}
	}
	t.Fatalf("no ErrorInfo in %v", err)
	return st
}

// WantViolation asserts err is InvalidArgument with a field violation, with a description, on field.
func WantViolation(t testing.TB, err error, field string) {
	t.Helper()
	st := WantCode(t, err, codes.InvalidArgument)
	var seen []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				if v.GetField() == field && v.GetDescription() != "" {
					return
				}
				seen = append(seen, v.GetField())
			}
		}
	}
	t.Fatalf("no violation on %q in %v (fields %v)", field, err, seen)
}
