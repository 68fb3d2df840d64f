package testkit

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The assertions pass on the answers they describe (their failing side is t.Fatalf, which the BBs' own
// tests exercise whenever they catch a regression).
func TestAssertionsAcceptWhatTheyDescribe(t *testing.T) {
	st, err := status.New(codes.InvalidArgument, "bad").WithDetails(
		&errdetails.ErrorInfo{Reason: "GOVSTACK_TEST_BAD_FIELD"},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "a.b", Description: "wrong"}}})
	if err != nil {
		t.Fatal(err)
	}
	WantCode(t, st.Err(), codes.InvalidArgument)
	WantReason(t, st.Err(), codes.InvalidArgument, "BAD_FIELD")
	WantReason(t, st.Err(), codes.InvalidArgument, "GOVSTACK_TEST_BAD_FIELD")
	WantViolation(t, st.Err(), "a.b")
	n := 0
	Eventually(t, time.Second, "the third try", func() error {
		if n++; n < 3 {
			return errors.New("not yet")
		}
		return nil
	})
}
