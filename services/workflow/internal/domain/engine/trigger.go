package engine

// Trigger is what makes an instance move: one of the types below.
type Trigger interface{ isTrigger() }

// Start starts a new instance at a start event: Event "" is the process's start event without a trigger
// (a start through the API, a flow trigger, a call activity), otherwise a timer or message start event.
type Start struct {
	Event  string
	Vars   map[string]any
	Parent *ParentRef
}

// JobCompleted is a worker's (or connector's) result for a job.
type JobCompleted struct {
	JobID string
	Vars  map[string]any
}

// JobErrorThrown is a worker reporting a business error for a job: a BPMN error with a code, caught by an
// error boundary event.
type JobErrorThrown struct {
	JobID, Code, Message string
	Vars                 map[string]any
}

// TimerFired is a timer that came due.
type TimerFired struct {
	TimerID string
}

// MessageCorrelated is a published message delivered to one of the instance's subscriptions.
type MessageCorrelated struct {
	SubscriptionID string
	Vars           map[string]any
}

// UserTaskCompleted is a person's completion of a user task, with the form's data.
type UserTaskCompleted struct {
	TaskID string
	Vars   map[string]any
}

// ChildEnded is a called instance's end, delivered to the parent.
type ChildEnded struct {
	ChildID   string
	Status    Status
	Vars      map[string]any
	ErrorCode string
}

// ChildStartFailed says a call activity's child could not be started (no such process): an incident.
type ChildStartFailed struct {
	ChildID, Message string
}

// Cancel terminates the instance; ByParent is set when its parent's call activity was cancelled.
type Cancel struct {
	ByParent bool
}

// ResolveIncident redoes what an incident stopped, after an operator fixed its cause.
type ResolveIncident struct {
	IncidentID string
}

// SetVariables sets variables on an element instance's scope (the root when EI is empty): an operator's
// fix.
type SetVariables struct {
	EI   string
	Vars map[string]any
}

func (Start) isTrigger()             {}
func (JobCompleted) isTrigger()      {}
func (JobErrorThrown) isTrigger()    {}
func (TimerFired) isTrigger()        {}
func (MessageCorrelated) isTrigger() {}
func (UserTaskCompleted) isTrigger() {}
func (ChildEnded) isTrigger()        {}
func (ChildStartFailed) isTrigger()  {}
func (Cancel) isTrigger()            {}
func (ResolveIncident) isTrigger()   {}
func (SetVariables) isTrigger()      {}
