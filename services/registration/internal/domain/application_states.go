package domain

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// An application file is submitted PENDING (or as its flow decided at once); an operator's decision on
// its review task moves it to APPROVED or REJECTED, which end it, or SENDBACK, which returns it to the
// applicant and keeps it open. An ended file takes no decision and no edit. A task is PENDING until it is
// completed, once.

// knownStatus reports whether st is an application status code.
func knownStatus(st string) bool {
	switch st {
	case StatusPending, StatusApproved, StatusRejected, StatusSendBack:
		return true
	}
	return false
}

// Submit opens the file (FileID, service and applicant set) at now: PENDING unless its flow decided at
// once. It raises ApplicationSubmitted.
func (a *Application) Submit(now time.Time) (ApplicationSubmitted, error) {
	if a.Status == "" {
		a.Status = StatusPending
	}
	if !knownStatus(a.Status) {
		return ApplicationSubmitted{}, fmt.Errorf("application %s: unknown status %q", a.FileID, a.Status)
	}
	a.Created, a.Registered, a.Updated = now, now, now
	return ApplicationSubmitted{File: *a, At: now}, nil
}

// RequireOpen refuses a change to an ended file.
func (a Application) RequireOpen() error {
	if a.Ended {
		return apierr.FailedPrecondition("APPLICATION_ENDED", "application file "+a.FileID+" is "+a.Status+" and can no longer change")
	}
	return nil
}

// ApplicationEdit is an operator's change of a file; empty parts are kept (Data nil, DocumentURLs nil).
type ApplicationEdit struct {
	Name         string
	Data         map[string]any // already checked against the file's e-form
	DocumentURLs []string
}

// Edit applies e to an open file at now and returns the names of the changed parts, for the audit record.
func (a *Application) Edit(e ApplicationEdit, now time.Time) ([]string, error) {
	if err := a.RequireOpen(); err != nil {
		return nil, err
	}
	changed := []string{}
	if e.Data != nil {
		a.Data = e.Data
		changed = append(changed, "formData")
	}
	if e.Name != "" {
		a.Name = e.Name
		changed = append(changed, "applicationName")
	}
	if e.DocumentURLs != nil {
		a.DocumentURLs = e.DocumentURLs
		changed = append(changed, "documentUrls")
	}
	a.Updated = now
	return changed, nil
}

// Decide records an operator's decision (StatusApproved, StatusRejected or StatusSendBack) on an open file
// at now. It raises ApplicationDecided.
func (a *Application) Decide(status, comment, operatorID string, now time.Time) (ApplicationDecided, error) {
	if DecisionWord(status) == "" {
		return ApplicationDecided{}, fmt.Errorf("application %s: %q is not a decision", a.FileID, status)
	}
	if a.Ended {
		return ApplicationDecided{}, apierr.FailedPrecondition("APPLICATION_ENDED", "application file "+a.FileID+" is already "+a.Status)
	}
	a.Status, a.Ended, a.Updated = status, FinalStatus(status), now
	return ApplicationDecided{File: *a, Comment: comment, OperatorID: operatorID, At: now}, nil
}

// ApproveByActivation approves an account service's file when its account is activated: the activation
// is the decision, so no operator decides it and nothing is announced beyond account.activated.
func (a *Application) ApproveByActivation(now time.Time) {
	a.Status, a.Ended, a.Updated = StatusApproved, true, now
}

// DecisionWord is the operator's word for a file status (the inverse of Decisions; "" for none).
func DecisionWord(status string) string {
	for _, w := range slices.Sorted(maps.Keys(Decisions)) {
		if Decisions[w] == status {
			return w
		}
	}
	return ""
}

// ErrTaskCompleted is the answer for a decision on a task that was already decided.
func ErrTaskCompleted(t Task) error {
	return apierr.FailedPrecondition("TASK_COMPLETED",
		fmt.Sprintf("task %s was already completed (%s) on %s", t.ID, DecisionWord(t.Decision), t.Completed.Format("2006-01-02 15:04 MST")))
}

// Complete records operatorID's decision (a file status) and comment on a pending task at now.
func (t *Task) Complete(status, comment, operatorID, operatorName string, now time.Time) error {
	if t.Status == TaskCompleted {
		return ErrTaskCompleted(*t)
	}
	t.Status, t.Completed, t.CompletedBy, t.CompletedByName = TaskCompleted, now, operatorID, operatorName
	t.Decision, t.Comment = status, comment
	return nil
}

// GovStackStatus is the task's status in the GovStack API: PENDING while open, then the status its
// decision gave the file (APPROVED, REJECTED or SENDBACK).
func (t Task) GovStackStatus() string {
	if t.Status == TaskCompleted && t.Decision != "" {
		return t.Decision
	}
	return StatusPending
}
