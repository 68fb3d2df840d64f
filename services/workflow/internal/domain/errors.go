package domain

import (
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Reasons of the BB's errors (GOVSTACK_WORKFLOW_<REASON> on the wire).
const (
	ReasonInvalidBPMN        = "INVALID_BPMN"
	ReasonProcessNotFound    = "PROCESS_NOT_FOUND"
	ReasonProcessDisabled    = "PROCESS_DISABLED"
	ReasonInstanceNotFound   = "INSTANCE_NOT_FOUND"
	ReasonInstanceEnded      = "INSTANCE_ENDED"
	ReasonInstanceSuspended  = "INSTANCE_SUSPENDED"
	ReasonJobNotFound        = "JOB_NOT_FOUND"
	ReasonLeaseLost          = "LEASE_LOST"
	ReasonTaskNotFound       = "TASK_NOT_FOUND"
	ReasonTaskNotOpen        = "TASK_NOT_OPEN"
	ReasonTaskAssigned       = "TASK_ASSIGNED"
	ReasonNotACandidate      = "NOT_A_CANDIDATE"
	ReasonFormInvalid        = "FORM_INVALID"
	ReasonFormNotFound       = "FORM_NOT_FOUND"
	ReasonIncidentNotFound   = "INCIDENT_NOT_FOUND"
	ReasonTriggerNotFound    = "TRIGGER_NOT_FOUND"
	ReasonSignInRequired     = "SIGN_IN_REQUIRED"
	ReasonAdminOnly          = "ADMIN_ONLY"
	ReasonInvalidValue       = "INVALID_VALUE"
	ReasonMessageUnknown     = "MESSAGE_NOT_CORRELATED"
	ReasonBusinessKeyActive  = "BUSINESS_KEY_ACTIVE"
	ReasonCalledInstanceStop = "CALLED_INSTANCE"
)

func leaseLost(msg string) error { return apierr.FailedPrecondition(ReasonLeaseLost, msg) }

// Invalid is a caller's mistake about field: a 400 naming it.
func Invalid(field, msg string) error {
	return apierr.Invalid(ReasonInvalidValue, field+": "+msg, apierr.FieldViolation{Field: field, Description: msg})
}

func taskNotOpen(t *UserTask) error {
	return apierr.FailedPrecondition(ReasonTaskNotOpen, "the task is "+t.State+", not open")
}

func taskAssigned(t *UserTask) error {
	return apierr.FailedPrecondition(ReasonTaskAssigned, "the task is assigned to someone else ("+t.Assignee+")")
}

func notACandidate(t *UserTask) error {
	return apierr.PermissionDenied(ReasonNotACandidate, "you are neither the task's assignee nor one of its candidates "+
		"(candidate groups "+strings.Join(t.CandidateGroups, ", ")+"): a task goes to its assignee and to holders of its candidate groups")
}
