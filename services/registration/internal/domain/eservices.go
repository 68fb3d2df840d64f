package domain

import (
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Property is one code/value pair of a service's description body.
type Property struct {
	Code  string `json:"code"`
	Value string `json:"value"`
}

// Service is a GovStack registration service (a process an applicant applies to).
type Service struct {
	ID, Key, Name, Version, Type string
	IsExecutable, IsClosed       bool
	Description                  string
	Body                         []Property
}

// EForm is one version of a service's form: the JSON Schema submitted data must satisfy.
type EForm struct {
	ID, ServiceID, Name, Description, Version string
	Latest                                    bool
	Schema                                    map[string]any
}

// Application is an application file.
type Application struct {
	FileID, ServiceID, ServiceKey, ServiceName string
	ApplicantID, Name                          string
	Data                                       map[string]any
	EFormID                                    string
	DocumentURLs                               []string
	Status                                     string // StatusPending, ...
	Ended                                      bool
	Created, Registered, Updated               time.Time
}

// Task status codes (the column tasks.status).
const (
	TaskPending   = "PENDING"
	TaskCompleted = "COMPLETED"
)

// Task is an operator's step on an application file.
type Task struct {
	ID, MainTaskID, FileID, Name, Description string
	RoleID, AssigneeID, Status                string
	Created                                   time.Time
	Completed                                 time.Time // zero while pending
	CompletedBy, CompletedByName              string
	Decision, Comment                         string // Decision: StatusApproved, StatusRejected, StatusSendBack
	Data                                      map[string]any
	// From the file and its service (read-only joins).
	ServiceID, ServiceKey, ServiceName, EFormID, ApplicantID string
}

// Document is an uploaded file.
type Document struct {
	ID, Name, ContentType string
	Size                  int64
	SHA256                string
	Content               []byte
	Metadata, UploadedBy  string
	Created               time.Time
}

// StatusTitle is the human title of a status code (GovStack statusModel).
func StatusTitle(code string) string {
	switch code {
	case StatusPending:
		return "Pending"
	case StatusApproved:
		return "Approved"
	case StatusSendBack:
		return "Sent back"
	case StatusRejected:
		return "Rejected"
	}
	return code
}

// Decisions are the words an operator completes a review task with, and the status each gives the file.
var Decisions = map[string]string{"approve": StatusApproved, "reject": StatusRejected, "sendback": StatusSendBack}

// DecisionWords lists the accepted decisions in a stable order, for messages.
const DecisionWords = "approve, reject, sendback"

// ParseDecision turns an operator's decision word (any case) into the file status it leads to.
func ParseDecision(word string) (string, error) {
	st, ok := Decisions[strings.ToLower(strings.TrimSpace(word))]
	if !ok {
		return "", apierr.Invalid("INVALID_DECISION", "data.decision must be one of "+DecisionWords,
			apierr.FieldViolation{Field: "additionalData.data.decision", Description: "one of " + DecisionWords + "; got " + quote(word)})
	}
	return st, nil
}

// FinalStatus reports whether a file in status st is ended (no further decisions).
func FinalStatus(st string) bool { return st == StatusApproved || st == StatusRejected }

// ParseID checks that id (named field in messages) is a UUID and returns it in canonical form.
func ParseID(field, id string) (string, error) {
	u, err := uuid.Parse(strings.TrimSpace(id))
	if err != nil {
		return "", apierr.Invalid("INVALID_ID", field+" must be a UUID",
			apierr.FieldViolation{Field: field, Description: "not a UUID: " + quote(id)})
	}
	return u.String(), nil
}

// LookupID reads the id of a thing looked up by id (an application file, a task, an e-form, a service, a
// document). The GovStack spec types these ids as plain strings and documents 404 for an unknown one, so an
// id that is not a UUID — which no stored thing has — is simply not found, as any unknown id is.
func LookupID(reason, what, id string) (string, error) {
	u, err := uuid.Parse(strings.TrimSpace(id))
	if err != nil {
		return "", apierr.NotFound(reason, "no "+what+" with id "+quote(id))
	}
	return u.String(), nil
}

// FilterID reads an id used as a list filter; ok is false when no stored thing can have it, so the list is
// empty (not an error).
func FilterID(id string) (string, bool) {
	u, err := uuid.Parse(strings.TrimSpace(id))
	if err != nil {
		return "", false
	}
	return u.String(), true
}

// DocumentPath is the path a document is served at; UploadDocument returns it and documentUrls carry it.
func DocumentPath(id string) string { return "/documents/" + id }

// ParseDocumentURL returns the document id of a URL this BB issued: "/documents/<uuid>", or an absolute
// http(s) URL whose path ends so (the gateway may prefix its own base or the /r1/... route).
func ParseDocumentURL(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	if u.Scheme == "" && (u.Host != "" || !strings.HasPrefix(u.Path, "/")) {
		return "", false
	}
	dir, last, ok := cutLast(u.Path)
	if !ok || !strings.HasSuffix(dir, "/documents") && dir != "/documents" {
		return "", false
	}
	id, err := uuid.Parse(last)
	if err != nil {
		return "", false
	}
	return id.String(), true
}

func cutLast(p string) (dir, last string, ok bool) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", "", false
	}
	return p[:i], p[i+1:], true
}

func quote(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return `"` + s + `"`
}

// ApplicationItem is an application file with its open task (or, when none is open, its latest), as lists
// show it.
type ApplicationItem struct {
	Application
	Task Task // zero when the file has no task
}
