// Package bpmn reads BPMN 2.0 XML as Camunda Modeler and bpmn.io save it in Camunda 8 mode (the zeebe:*
// extension elements) into an immutable process model, and refuses at deploy time — naming the element and
// its line — anything the engine would not run. The model is read-only once Parse returns it: the engine
// shares one model between every instance of a process version.
package bpmn

// Kind is the BPMN element type of a flow node, spelled as in the XML.
type Kind string

// The flow nodes the engine runs.
const (
	StartEvent             Kind = "startEvent"
	EndEvent               Kind = "endEvent"
	IntermediateCatchEvent Kind = "intermediateCatchEvent"
	IntermediateThrowEvent Kind = "intermediateThrowEvent"
	BoundaryEvent          Kind = "boundaryEvent"
	Task                   Kind = "task"
	ServiceTask            Kind = "serviceTask"
	UserTask               Kind = "userTask"
	SendTask               Kind = "sendTask"
	ReceiveTask            Kind = "receiveTask"
	ScriptTask             Kind = "scriptTask"
	ManualTask             Kind = "manualTask"
	ExclusiveGateway       Kind = "exclusiveGateway"
	ParallelGateway        Kind = "parallelGateway"
	EventBasedGateway      Kind = "eventBasedGateway"
	SubProcess             Kind = "subProcess"
	CallActivity           Kind = "callActivity"
)

// IsActivity reports whether elements of this kind are activities: they can carry boundary events,
// input/output mappings and multi-instance loops.
func (k Kind) IsActivity() bool {
	switch k {
	case Task, ServiceTask, UserTask, SendTask, ReceiveTask, ScriptTask, ManualTask, SubProcess, CallActivity:
		return true
	}
	return false
}

// EventKind is what an event waits for or does.
type EventKind string

// The event definitions the engine runs; EventNone is an event without a definition.
const (
	EventNone      EventKind = ""
	EventTimer     EventKind = "timer"
	EventMessage   EventKind = "message"
	EventError     EventKind = "error"
	EventTerminate EventKind = "terminate"
)

// TimerType is which of BPMN's three timer definitions a timer uses.
type TimerType string

// Timer definitions: a point in time, a duration from when the timer starts, or a repeating cycle
// (ISO 8601 R/… or cron).
const (
	TimerDate     TimerType = "date"
	TimerDuration TimerType = "duration"
	TimerCycle    TimerType = "cycle"
)

// Timer is a timer event definition; Value is a literal or an `=` expression.
type Timer struct {
	Type  TimerType
	Value string
}

// Message is a message event definition: the message's name and, on catching events, the expression of
// the key it correlates on (zeebe:subscription correlationKey).
type Message struct {
	Name           string
	CorrelationKey string
}

// Mapping is one zeebe:input or zeebe:output: Source is an expression, Target a variable name (a dotted
// name sets a field of a context variable).
type Mapping struct {
	Source, Target string
}

// Job is a zeebe:taskDefinition: the type workers (or a built-in connector) activate jobs by, and how often
// a failing job is retried.
type Job struct {
	Type    string
	Retries string
	Headers map[string]string
}

// Assignment is who may work on a user task (zeebe:assignmentDefinition), its form and its dates.
type Assignment struct {
	Assignee        string
	CandidateGroups string
	CandidateUsers  string
	// FormKey is a Camunda form embedded in the process (camunda-forms:bpmn:<id>); FormID one deployed on
	// its own. At most one is set.
	FormKey      string
	FormID       string
	DueDate      string
	FollowUpDate string
}

// Script is a zeebe:script: the expression a script task evaluates and the variable it stores the result in.
type Script struct {
	Expression     string
	ResultVariable string
}

// Call is a zeebe:calledElement: the process a call activity starts and how variables cross over.
type Call struct {
	ProcessID string
	// PropagateAllChildVariables copies every variable of the child into the parent when it ends
	// (otherwise only the output mappings); PropagateAllParentVariables hands the child every variable the
	// call activity sees (otherwise only the input mappings). Both default to true, as in Zeebe.
	PropagateAllChildVariables  bool
	PropagateAllParentVariables bool
}

// Loop is a multi-instance marker with its zeebe:loopCharacteristics.
type Loop struct {
	Sequential          bool
	InputCollection     string // expression giving the list
	InputElement        string // variable each inner instance gets its item in
	OutputCollection    string // variable the collected outputs are stored in
	OutputElement       string // expression each inner instance contributes
	CompletionCondition string // expression; when true the remaining instances are cancelled
}

// Element is one flow node.
type Element struct {
	ID, Name string
	Kind     Kind
	Line     int
	// Scope is the id of the process or sub-process the element is in.
	Scope              string
	Incoming, Outgoing []string // sequence flow ids, in document order
	// Default is the default flow of an exclusive gateway or activity ("" when none).
	Default string

	Event     EventKind
	Timer     *Timer
	Message   *Message
	ErrorCode string // the code an error end event throws, or an error boundary catches ("" catches any)
	// AttachedTo is the activity a boundary event is on; Interrupting says whether it cancels it.
	AttachedTo   string
	Interrupting bool
	// Boundaries are the ids of the boundary events attached to this activity.
	Boundaries []string

	Job        *Job
	Inputs     []Mapping
	Outputs    []Mapping
	Assignment *Assignment
	Script     *Script
	Call       *Call
	Loop       *Loop
	// Lane is the lane the element is drawn in, for display.
	Lane string
}

// Flow is a sequence flow; Condition is an expression ("" for an unconditional flow).
type Flow struct {
	ID, Name       string
	Source, Target string
	Condition      string
	Line           int
}

// Scope is a process or sub-process: its own elements and where it starts.
type Scope struct {
	ID       string
	Elements []string
	// NoneStart is the start event without a definition, where a start through the API or a sub-process's
	// activation begins ("" when the process starts only by timer or message).
	NoneStart string
	// EventStarts are a process's timer and message start events.
	EventStarts []string
}

// Lane is a lane of a pool, kept for display.
type Lane struct {
	ID, Name string
	Elements []string
}

// Artifact is a text annotation, association, group or data reference: kept for display, not run.
type Artifact struct {
	ID, Kind, Text string
	Line           int
}

// Process is one executable process of a definitions file.
type Process struct {
	ID, Name   string
	Line       int
	VersionTag string
	Elements   map[string]*Element
	Flows      map[string]*Flow
	// Scopes holds the process itself (by the process id) and each sub-process (by its id).
	Scopes map[string]*Scope
	// Forms are the Camunda forms embedded in the process (zeebe:userTaskForm), JSON by id.
	Forms     map[string]string
	Lanes     []Lane
	Artifacts []Artifact
}

// Root is the process's own scope.
func (p *Process) Root() *Scope { return p.Scopes[p.ID] }

// Participant is a pool of a collaboration diagram; ProcessRef is empty for a pool drawn collapsed.
type Participant struct {
	ID, Name, ProcessRef string
}

// MessageFlow is a message flow between pools, kept for display.
type MessageFlow struct {
	ID, Name, Source, Target string
}

// Definitions is a parsed file: its executable processes and what the diagram shows around them.
type Definitions struct {
	ID           string
	Processes    []*Process
	Participants []Participant
	MessageFlows []MessageFlow
	// Artifacts are the collaboration's annotations and associations.
	Artifacts []Artifact
}

// Process returns the executable process with id, or nil.
func (d *Definitions) Process(id string) *Process {
	for _, p := range d.Processes {
		if p.ID == id {
			return p
		}
	}
	return nil
}
