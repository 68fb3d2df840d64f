package app

import "context"

// Flow is how an account service plugs into the e-services engine: what a GovStack application
// submission to it does, and what an operator's decision on one of its tasks does.
type Flow struct {
	// Submit runs the flow for formData submitted through POST /services/{id}/applications (already
	// checked against the e-form) and returns the application file the flow recorded. Nil: the engine's
	// generic review (a PENDING file and a review task).
	Submit func(ctx context.Context, sub Submission) (fileID string, err error)
	// Prepare runs before an operator's decision commits, outside its transaction: calls to other BBs
	// (e.g. adding an approved domain to the registry). It must be idempotent: a failed decision is retried.
	Prepare func(ctx context.Context, d Decision) error
	// Decided runs inside the decision's transaction: the flow's own state and events.
	Decided func(ctx context.Context, tx Tx, d Decision) error
}

// Submission is an application submitted through the GovStack API.
type Submission struct {
	ServiceKey      string
	ApplicantID     string // from the access token when there is one
	ApplicationName string
	Data            map[string]any
	DocumentURLs    []string
}

// Decision is an operator's completion of a review task.
type Decision struct {
	FileID      string
	TaskID      string
	ServiceKey  string
	ApplicantID string
	Status      string // domain.StatusApproved, StatusRejected or StatusSendBack
	Comment     string
	OperatorID  string         // the deciding account
	Data        map[string]any // the application's form data
}

// NewApplication is an application file a flow records in the engine (in the flow's transaction).
type NewApplication struct {
	ServiceKey      string
	ApplicantID     string
	ApplicationName string
	Data            map[string]any
	Status          string // domain.StatusPending unless the flow decides at once
	Ended           bool
	// ReviewTask, when set, is opened on the file for an operator of RoleID.
	ReviewTask *NewTask
}

// NewTask is an operator task on an application file.
type NewTask struct {
	Name        string
	Description string
	RoleID      string // usertoken.RoleAdmin or RoleStaff
}
