package engine

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// Status is where a process instance is in its life.
type Status string

// An instance is active until it completes (an end was reached and nothing is left), is terminated (stopped
// by an operator or its parent), or fails (a BPMN error nothing caught).
const (
	StatusActive     Status = "active"
	StatusCompleted  Status = "completed"
	StatusTerminated Status = "terminated"
	StatusFailed     Status = "failed"
)

// State is a process instance's whole execution state; it is stored as one document (JSON) with the
// instance. Element instances form a tree: the root (the process), sub-processes and multi-instance bodies
// are scopes; the elements waiting in them (a task for its job, an event for its timer) are leaves.
type State struct {
	ID      string `json:"id"`
	Process string `json:"process"`
	Status  Status `json:"status"`
	// Seq numbers what the instance creates (element instances, jobs, timers, …): ids are derived from it,
	// so a step is deterministic.
	Seq      int64                       `json:"seq"`
	Elements map[string]*ElementInstance `json:"elements"`
	// What each outside wait is for: by the id of the job, user task, timer, subscription or child
	// instance, the element instance waiting for it.
	Jobs      map[string]string   `json:"jobs,omitempty"`
	Tasks     map[string]string   `json:"tasks,omitempty"`
	Timers    map[string]TimerRef `json:"timers,omitempty"`
	Subs      map[string]WaitRef  `json:"subs,omitempty"`
	Children  map[string]string   `json:"children,omitempty"`
	Incidents map[string]string   `json:"incidents,omitempty"`
	// Parent is the call activity that started this instance (nil for an instance started otherwise).
	Parent *ParentRef `json:"parent,omitempty"`
	// Variables are the root scope's variables once the instance has ended (kept for the API).
	Variables map[string]any `json:"variables,omitempty"`
	// ErrorCode is the BPMN error a failed instance ended with.
	ErrorCode string `json:"errorCode,omitempty"`
}

// ParentRef names the call activity waiting for this instance.
type ParentRef struct {
	InstanceID string `json:"instanceId"`
	Element    string `json:"element"` // the call activity's element instance in the parent
}

// TimerRef is what a timer is for: the element instance that waits (an activity for its boundary timer,
// an event-based gateway, a timer catch event), the timer element, and how often it has fired.
type TimerRef struct {
	Element string    `json:"ei"`
	Event   string    `json:"event"`
	Fired   int       `json:"fired,omitempty"`
	Value   string    `json:"value"` // the timer's value, its expression evaluated when it started
	Due     time.Time `json:"due"`
}

// WaitRef is what a message subscription is for: the waiting element instance and the catching element.
type WaitRef struct {
	Element string `json:"ei"`
	Event   string `json:"event"`
}

// ElementInstance is one element being run: a scope, or an element waiting for something.
type ElementInstance struct {
	ID      string `json:"id"`
	Element string `json:"element"` // the BPMN element id (the process id for the root)
	Parent  string `json:"parent,omitempty"`
	// Vars are the scope's local variables: the root's process variables, input mappings, a
	// multi-instance inner instance's item and loopCounter.
	Vars map[string]any `json:"vars,omitempty"`
	// Body is set on a multi-instance body; Loop is an inner instance's loopCounter (from 1).
	Body *Body `json:"body,omitempty"`
	Loop int   `json:"loop,omitempty"`
	// Joins are the flows that have arrived at each parallel gateway of this scope and wait for the rest.
	Joins map[string][]string `json:"joins,omitempty"`
	// Incident is set while the element is stuck on an incident; it says what to redo when it is resolved.
	Incident *Stuck `json:"incident,omitempty"`
}

// Body is the state of a multi-instance body.
type Body struct {
	Items     []any `json:"items"`
	Next      int   `json:"next"` // index of the next item to start (sequential)
	Completed int   `json:"completed"`
	Outputs   []any `json:"outputs,omitempty"`
}

// Stuck records an incident on an element instance and the operation to redo when it is resolved.
type Stuck struct {
	ID   string         `json:"id"`
	Op   string         `json:"op"`
	Flow string         `json:"flow,omitempty"`
	Vars map[string]any `json:"vars,omitempty"`
}

// What resolving an incident redoes.
const (
	opActivate   = "activate"   // the element's activation (or, for a gateway or event, entering it again)
	opComplete   = "complete"   // the completion, with the variables it had
	opInnerDone  = "innerDone"  // an inner instance's output element
	opAfterInner = "afterInner" // a multi-instance body's completion condition
)

// NewState returns the state of an instance that has not started yet.
func NewState(id, process string) *State {
	return &State{ID: id, Process: process, Status: StatusActive, Elements: map[string]*ElementInstance{},
		Jobs: map[string]string{}, Tasks: map[string]string{}, Timers: map[string]TimerRef{},
		Subs: map[string]WaitRef{}, Children: map[string]string{}, Incidents: map[string]string{}}
}

// ensureMaps makes the maps of a state read from JSON (where empty maps are omitted) writable.
func (st *State) ensureMaps() {
	if st.Elements == nil {
		st.Elements = map[string]*ElementInstance{}
	}
	if st.Jobs == nil {
		st.Jobs = map[string]string{}
	}
	if st.Tasks == nil {
		st.Tasks = map[string]string{}
	}
	if st.Timers == nil {
		st.Timers = map[string]TimerRef{}
	}
	if st.Subs == nil {
		st.Subs = map[string]WaitRef{}
	}
	if st.Children == nil {
		st.Children = map[string]string{}
	}
	if st.Incidents == nil {
		st.Incidents = map[string]string{}
	}
}

// nextKey numbers an element instance.
func (st *State) nextKey() string {
	st.Seq++
	return strconv.FormatInt(st.Seq, 10)
}

// nextID is a fresh id for something the outside world keeps (a job, a timer, a user task, a child
// instance): a UUID derived from the instance id and the sequence, the same on every replay of the step.
func (st *State) nextID() string {
	st.Seq++
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte(st.ID+"/"+strconv.FormatInt(st.Seq, 10))).String()
}

// Root is the process's element instance (nil once the instance has ended).
func (st *State) Root() *ElementInstance {
	for _, ei := range st.Elements {
		if ei.Parent == "" {
			return ei
		}
	}
	return nil
}

// children are the element instances directly inside ei, oldest first.
func (st *State) children(id string) []*ElementInstance {
	var out []*ElementInstance
	for _, ei := range st.Elements {
		if ei.Parent == id {
			out = append(out, ei)
		}
	}
	slices.SortFunc(out, func(a, b *ElementInstance) int { return compareKeys(a.ID, b.ID) })
	return out
}

// compareKeys orders element instance keys by number.
func compareKeys(a, b string) int {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return cmp.Compare(x, y)
}

// sortedKeys returns a map's keys in order, so that effects come out the same on every run.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Active reports whether the instance still runs.
func (st *State) Active() bool { return st.Status == StatusActive }

// ElementsWaiting lists the BPMN element ids of the element instances that are not scopes: where the
// instance stands (for the API and the dashboard).
func (st *State) ElementsWaiting() []string {
	var out []string
	for _, k := range sortedKeys(st.Elements) {
		ei := st.Elements[k]
		if ei.Parent != "" && ei.Body == nil && len(st.children(ei.ID)) == 0 {
			out = append(out, ei.Element)
		}
	}
	return out
}
