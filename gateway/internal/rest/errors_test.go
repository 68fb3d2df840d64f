package rest

import (
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
)

// A field violation keeps the code of the rule it broke (Registration's PASSWORD_TOO_SHORT), so a client can
// word it itself.
func TestConvertDetailsKeepsTheViolationsReason(t *testing.T) {
	out, fromBB := convertDetails([]any{
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "password", Description: "use at least 12 characters", Reason: "PASSWORD_TOO_SHORT"},
			{Field: "email", Description: "required"}}},
		&errdetails.ErrorInfo{Reason: "GOVSTACK_REGISTRATION_WEAK_PASSWORD", Domain: "govstack.registration"},
	})
	if !fromBB || len(out) != 3 || out[0].Type != "fieldViolation" || out[0].Field != "password" ||
		out[0].Reason != "PASSWORD_TOO_SHORT" || out[1].Field != "email" || out[1].Reason != "" {
		t.Errorf("details %+v", out)
	}
}
