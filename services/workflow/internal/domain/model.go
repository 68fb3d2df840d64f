// Package domain is the Workflow BB's model around the engine: deployed process versions, instances as
// stored, jobs with their leases, user tasks and who may act on them, incidents, flow triggers, history and
// the domain events the BB publishes. The BPMN model is in domain/bpmn, the step function in domain/engine.
package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// Definition is one deployed version of a process.
type Definition struct {
	ID          string // <key>:<version>:<uuid>
	Key         string // the BPMN process id
	Version     int
	Name        string
	Type        string // None, Private, Public
	IsClosed    bool
	Description string
	VersionTag  string
	Category    string
	XML         string
	StartEvents []string
	Enabled     bool
	Deleted     bool
	DeployedAt  time.Time
	DeployedBy  string
}

// DefinitionID is the id of version of key: key:version:uuid, as Camunda spells process definition ids.
func DefinitionID(key string, version int, uuid string) string {
	return fmt.Sprintf("%s:%d:%s", key, version, uuid)
}

// LooksLikeDefinitionID reports whether s is a definition id rather than a BPMN process id (which cannot
// contain a colon: BPMN ids are XML NCNames).
func LooksLikeDefinitionID(s string) bool { return strings.Contains(s, ":") }

// InstanceState is an instance's state as the API spells it.
type InstanceState string

// The states; a running instance may also be suspended (a flag, shown as the state "suspended").
const (
	StateRunning   InstanceState = "running"
	StateCompleted InstanceState = "completed"
	StateStopped   InstanceState = "stopped"
	StateFailed    InstanceState = "failed"
	StateSuspended InstanceState = "suspended"
)

// StateOf is the stored state of an engine status.
func StateOf(s engine.Status) InstanceState {
	switch s {
	case engine.StatusCompleted:
		return StateCompleted
	case engine.StatusTerminated:
		return StateStopped
	case engine.StatusFailed:
		return StateFailed
	}
	return StateRunning
}

// Instance is a process instance as stored: its row and the engine's state document.
type Instance struct {
	ID             string
	DefinitionID   string
	ProcessKey     string
	Version        int
	State          InstanceState
	Suspended      bool
	BusinessKey    string
	IdempotencyKey string
	ParentID       string
	StartedBy      string
	ErrorCode      string
	Doc            *engine.State
	Rev            int64
	OpenIncidents  int
	StartedAt      time.Time
	UpdatedAt      time.Time
	EndedAt        *time.Time
}

// Ended reports whether the instance has ended.
func (i Instance) Ended() bool { return i.State != StateRunning }

// ShownState is the state the API shows: "suspended" for a suspended running instance.
func (i Instance) ShownState() InstanceState {
	if i.Suspended && i.State == StateRunning {
		return StateSuspended
	}
	return i.State
}

// Job is a job row: work a worker leases.
type Job struct {
	ID           string
	InstanceID   string
	ProcessKey   string
	ElementID    string
	EI           string
	Type         string
	Retries      int
	Headers      map[string]string
	DueAt        time.Time
	Worker       string
	Epoch        int
	LeaseUntil   *time.Time
	ErrorMessage string
}

// Lease is who holds a job: the worker and the epoch its activation got.
type Lease struct {
	Worker string
	Epoch  int
}

// CheckLease refuses a worker that does not hold the job's current lease at now: another worker took it
// over (a new epoch), or it expired. Fencing by epoch means a worker that paused past its lease cannot
// complete a job someone else is doing.
func (j Job) CheckLease(l Lease, now time.Time) error {
	switch {
	case j.LeaseUntil == nil || j.Worker == "":
		return leaseLost("the job is not leased to anyone (activate it first)")
	case j.Worker != l.Worker || j.Epoch != l.Epoch:
		return leaseLost(fmt.Sprintf("the job's lease is held by worker %q with epoch %d, not %q with epoch %d", j.Worker, j.Epoch, l.Worker, l.Epoch))
	case !now.Before(*j.LeaseUntil):
		return leaseLost("the lease expired at " + j.LeaseUntil.UTC().Format(time.RFC3339Nano) + "; the job may be done by another worker")
	}
	return nil
}

// Incident is an incident row.
type Incident struct {
	ID         string
	InstanceID string
	ProcessKey string
	ElementID  string
	EI         string
	Kind       string
	Message    string
	JobID      string
	Open       bool
	CreatedAt  time.Time
	ResolvedAt *time.Time
}

// HistoryEntry is one line of the audit trail.
type HistoryEntry struct {
	Seq          int64
	InstanceID   string
	DefinitionID string
	At           time.Time
	Kind         string
	ElementID    string
	Actor        string // the signed-in user
	Client       string // the IM client (affiliation)
	Detail       map[string]any
}

// FlowTrigger starts TargetKey when an instance of SourceKey ends in state On.
type FlowTrigger struct {
	ID        string
	SourceKey string
	On        InstanceState // completed or failed
	TargetKey string
	CreatedAt time.Time
}

// Form is a deployed Camunda form.
type Form struct {
	ID      string
	Version int
	Schema  map[string]any
}
