package engine

import "time"

// Effects are what one step asks of the world outside the instance. The app writes them in the step's
// transaction: a job row for each job, a timer row for each timer, and so on; cancelled ones are deleted.
type Effects struct {
	Jobs               []Job
	CancelJobs         []string
	Timers             []Timer
	CancelTimers       []string
	Subscriptions      []Subscription
	CloseSubscriptions []string
	UserTasks          []UserTask
	CancelUserTasks    []string
	// Children are call activities' child instances to start; CancelChildren child instances to terminate.
	Children       []ChildStart
	CancelChildren []string
	Incidents      []Incident
	// ResolvedIncidents are incidents that no longer stand: resolved, or their element was cancelled.
	ResolvedIncidents []string
	History           []HistoryEntry
	// Ended is set when the instance ended in this step.
	Ended *End
}

// Job is work for a worker or a built-in connector: a service, send or script task, or a message throw.
type Job struct {
	ID      string
	Type    string
	Retries int
	Headers map[string]string
	Element string // the BPMN element
	EI      string // the element instance waiting for it
}

// Timer is a timer to schedule.
type Timer struct {
	ID      string
	Due     time.Time
	Element string // the timer event
	EI      string
}

// Subscription opens a message subscription: the instance waits for a message with Name and
// CorrelationKey.
type Subscription struct {
	ID             string
	Name           string
	CorrelationKey string
	Element        string // the catching event or receive task
	EI             string
}

// UserTask is a task for a person.
type UserTask struct {
	ID              string
	Element         string
	EI              string
	Name            string
	Assignee        string
	CandidateGroups []string
	CandidateUsers  []string
	// FormKey is an embedded form (camunda-forms:bpmn:<id>); FormID a form deployed on its own.
	FormKey string
	FormID  string
	Due     *time.Time
	// FollowUp is when the assignee should look at it again.
	FollowUp *time.Time
}

// ChildStart starts a called process: the latest enabled version of ProcessID, as instance ID, with Vars.
type ChildStart struct {
	ID        string
	ProcessID string
	Vars      map[string]any
	Element   string // the call activity
	EI        string
}

// Incident is a problem an operator must look at before the instance can go on.
type Incident struct {
	ID      string
	Element string
	EI      string
	Kind    string
	Message string
}

// Incident kinds raised by the engine; the app raises IncidentJobNoRetries.
const (
	IncidentExpression     = "EXPRESSION_FAILED"
	IncidentCondition      = "NO_FLOW_TAKEN"
	IncidentCalledProcess  = "CALLED_PROCESS_NOT_STARTED"
	IncidentJobNoRetries   = "JOB_NO_RETRIES"
	IncidentStepLimit      = "STEP_LIMIT"
	IncidentNotACollection = "NOT_A_COLLECTION"
)

// HistoryEntry is one line of the instance's audit trail.
type HistoryEntry struct {
	Kind    string
	Element string
	EI      string
	Detail  map[string]any
}

// History kinds.
const (
	HistoryInstanceStarted    = "instance.started"
	HistoryInstanceEnded      = "instance.ended"
	HistoryElementActivated   = "element.activated"
	HistoryElementCompleted   = "element.completed"
	HistoryElementTerminated  = "element.terminated"
	HistoryVariablesChanged   = "variables.changed"
	HistoryIncidentRaised     = "incident.raised"
	HistoryIncidentResolved   = "incident.resolved"
	HistoryErrorThrown        = "error.thrown"
	HistoryMessageCorrelated  = "message.correlated"
	HistoryTimerFired         = "timer.fired"
	HistoryUserTaskCompleted  = "task.completed"
	HistoryJobCompleted       = "job.completed"
	HistoryChildInstanceEnded = "child.ended"
)

// End is how the instance ended.
type End struct {
	Status    Status
	Variables map[string]any
	ErrorCode string
	// Parent, when set, is the call activity to tell (a ChildEnded trigger on the parent instance).
	Parent *ParentRef
}
