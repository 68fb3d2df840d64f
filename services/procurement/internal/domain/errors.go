package domain

import (
	"fmt"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Reasons in ErrorInfo (GOVSTACK_PROCUREMENT_<REASON>).
const (
	ReasonInvalid         = "INVALID_FIELD"
	ReasonNotFound        = "NOT_FOUND"
	ReasonWrongStatus     = "WRONG_STATUS"
	ReasonPeriodEnded     = "PERIOD_ENDED"
	ReasonNotYours        = "NOT_YOURS"
	ReasonConflict        = "CONFLICT_OF_INTEREST"
	ReasonNoDeclaration   = "DECLARATION_REQUIRED"
	ReasonCompanyInactive = "COMPANY_NOT_ACTIVE"
	ReasonDuplicateBid    = "BID_EXISTS"
	ReasonStandstill      = "STANDSTILL"
	ReasonBidSealed       = "BID_SEALED"
)

// invalid is a 400 naming every bad field.
func invalid(msg string, v []apierr.FieldViolation) error {
	return apierr.Invalid(ReasonInvalid, msg, v...)
}

func field(name, format string, args ...any) apierr.FieldViolation {
	return apierr.FieldViolation{Field: name, Description: fmt.Sprintf(format, args...)}
}

// wrongStatus is the answer for a step the tender's (or award's) status does not allow.
func wrongStatus(what, status, need string) error {
	return apierr.FailedPrecondition(ReasonWrongStatus, fmt.Sprintf("%s is %s: this needs it %s", what, status, need))
}

// NotFound names what was not found.
func NotFound(what string) error { return apierr.NotFound(ReasonNotFound, what+" not found") }
