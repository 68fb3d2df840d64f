package domain

import "time"

// Event is a domain event the BB publishes (internal/events encodes each into its outbox event).
type Event interface{ isEvent() }

// InstanceStarted is an instance's start.
type InstanceStarted struct {
	Instance Instance
	At       time.Time
}

// InstanceEnded is an instance's end; Instance.State says how (completed, failed, stopped).
type InstanceEnded struct {
	Instance Instance
	At       time.Time
}

// TaskCreated is a user task given to people.
type TaskCreated struct {
	Task UserTask
	At   time.Time
}

// TaskAssigned is a user task claimed or assigned (By: who did it).
type TaskAssigned struct {
	Task UserTask
	By   string
	At   time.Time
}

// TaskCompleted is a user task done (By: who did it).
type TaskCompleted struct {
	Task UserTask
	By   string
	At   time.Time
}

// IncidentRaised is an incident an operator must look at.
type IncidentRaised struct {
	Incident Incident
	At       time.Time
}

// IncidentResolved is an incident resolved (or made moot by its element's end).
type IncidentResolved struct {
	Incident Incident
	At       time.Time
}

// ProcessNotified is what a service task of type govstack:publish-event publishes.
type ProcessNotified struct {
	Name       string
	InstanceID string
	ProcessKey string
	ElementID  string
	Variables  map[string]any
	At         time.Time
}

func (InstanceStarted) isEvent()  {}
func (InstanceEnded) isEvent()    {}
func (TaskCreated) isEvent()      {}
func (TaskAssigned) isEvent()     {}
func (TaskCompleted) isEvent()    {}
func (IncidentRaised) isEvent()   {}
func (IncidentResolved) isEvent() {}
func (ProcessNotified) isEvent()  {}

// SignalKind is what one instance asks of another (or of the engine) through a signal row.
type SignalKind string

// Signals: a called instance's end for its parent, a parent's cancel for its child, a flow trigger's start,
// a published message for a waiting instance.
const (
	SignalChildEnded  SignalKind = "child_ended"
	SignalCancelChild SignalKind = "cancel_child"
	SignalFlowTrigger SignalKind = "flow_trigger"
	SignalCorrelate   SignalKind = "correlate"
)

// Signal is a claimed or new signal row.
type Signal struct {
	ID         string
	InstanceID string
	Kind       SignalKind
	Payload    []byte // JSON, by kind
	FireAt     time.Time
	Owner      string
	Epoch      int
	Attempts   int
}
