package engine_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/standin"
)

// t0 is the tests' clock at the start.
var t0 = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

// definitions wraps process bodies (process id -> body) in a definitions file with the messages and
// errors the tests use.
func definitions(processes map[string]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">`)
	for id, body := range processes {
		b.WriteString(`<bpmn:process id="` + id + `" isExecutable="true">` + body + `</bpmn:process>`)
	}
	b.WriteString(`
<bpmn:message id="Msg" name="bid"><bpmn:extensionElements><zeebe:subscription correlationKey="=tenderId"/></bpmn:extensionElements></bpmn:message>
<bpmn:message id="Cancelled" name="cancelled"><bpmn:extensionElements><zeebe:subscription correlationKey="=tenderId"/></bpmn:extensionElements></bpmn:message>
<bpmn:error id="Rejected" errorCode="REJECTED"/>
<bpmn:error id="Other" errorCode="OTHER"/>
</bpmn:definitions>`)
	return b.String()
}

// parse reads one process body as process "p".
func parse(t *testing.T, body string) *bpmn.Process {
	t.Helper()
	defs, err := bpmn.Parse([]byte(definitions(map[string]string{"p": body})), bpmn.Options{
		CheckExpression: standin.Expressions{}.Check, CheckTimer: standin.Timers{}.Check})
	if err != nil {
		t.Fatal(err)
	}
	return defs.Process("p")
}

// harness runs one instance and keeps what its effects opened, as the store would.
type harness struct {
	t         *testing.T
	eng       *engine.Engine
	m         *bpmn.Process
	st        *engine.State
	now       time.Time
	jobs      map[string]engine.Job
	timers    map[string]engine.Timer
	subs      map[string]engine.Subscription
	tasks     map[string]engine.UserTask
	children  map[string]engine.ChildStart
	incidents map[string]engine.Incident
	last      *engine.Effects
	history   []engine.HistoryEntry
}

func newHarness(t *testing.T, body string) *harness {
	t.Helper()
	return &harness{t: t, eng: engine.New(standin.Expressions{}, standin.Timers{}), m: parse(t, body),
		st: engine.NewState("inst-1", "p"), now: t0, jobs: map[string]engine.Job{}, timers: map[string]engine.Timer{},
		subs: map[string]engine.Subscription{}, tasks: map[string]engine.UserTask{}, children: map[string]engine.ChildStart{},
		incidents: map[string]engine.Incident{}}
}

// step applies tr and fails the test on an error.
func (h *harness) step(tr engine.Trigger) *engine.Effects {
	h.t.Helper()
	fx, err := h.try(tr)
	if err != nil {
		h.t.Fatalf("step %T: %v", tr, err)
	}
	return fx
}

// try applies tr and records its effects.
func (h *harness) try(tr engine.Trigger) (*engine.Effects, error) {
	fx, err := h.eng.Step(h.m, h.st, tr, h.now)
	if err != nil {
		return nil, err
	}
	h.last = fx
	h.history = append(h.history, fx.History...)
	for _, j := range fx.Jobs {
		h.jobs[j.ID] = j
	}
	for _, id := range fx.CancelJobs {
		h.mustHave(h.jobs, id, "cancelled job")
		delete(h.jobs, id)
	}
	for _, x := range fx.Timers {
		h.timers[x.ID] = x
	}
	for _, id := range fx.CancelTimers {
		h.mustHave(h.timers, id, "cancelled timer")
		delete(h.timers, id)
	}
	for _, x := range fx.Subscriptions {
		h.subs[x.ID] = x
	}
	for _, id := range fx.CloseSubscriptions {
		h.mustHave(h.subs, id, "closed subscription")
		delete(h.subs, id)
	}
	for _, x := range fx.UserTasks {
		h.tasks[x.ID] = x
	}
	for _, id := range fx.CancelUserTasks {
		h.mustHave(h.tasks, id, "cancelled user task")
		delete(h.tasks, id)
	}
	for _, x := range fx.Children {
		h.children[x.ID] = x
	}
	for _, id := range fx.CancelChildren {
		h.mustHave(h.children, id, "cancelled child")
		delete(h.children, id)
	}
	for _, x := range fx.Incidents {
		h.incidents[x.ID] = x
	}
	for _, id := range fx.ResolvedIncidents {
		h.mustHave(h.incidents, id, "resolved incident")
		delete(h.incidents, id)
	}
	// What the trigger consumed (the completed job, the fired timer) the store deletes too; anything else
	// the state dropped without a cancel effect would be left behind in the database.
	c := consumed(tr)
	prune(h.t, h.jobs, h.st.Jobs, c)
	prune(h.t, h.tasks, h.st.Tasks, c)
	prune(h.t, h.timers, h.st.Timers, c)
	prune(h.t, h.subs, h.st.Subs, c)
	prune(h.t, h.children, h.st.Children, c)
	return fx, nil
}

func (h *harness) mustHave(m any, id, what string) {
	h.t.Helper()
	if !reflect.ValueOf(m).MapIndex(reflect.ValueOf(id)).IsValid() {
		h.t.Fatalf("%s %s was never created", what, id)
	}
}

func (h *harness) start(vars map[string]any) *engine.Effects {
	h.t.Helper()
	return h.step(engine.Start{Vars: vars})
}

// job returns the one open job of element.
func (h *harness) job(element string) engine.Job {
	h.t.Helper()
	return only(h.t, h.jobs, element, func(j engine.Job) string { return j.Element })
}

func (h *harness) task(element string) engine.UserTask {
	h.t.Helper()
	return only(h.t, h.tasks, element, func(x engine.UserTask) string { return x.Element })
}

func (h *harness) timer(element string) engine.Timer {
	h.t.Helper()
	return only(h.t, h.timers, element, func(x engine.Timer) string { return x.Element })
}

func (h *harness) sub(element string) engine.Subscription {
	h.t.Helper()
	return only(h.t, h.subs, element, func(x engine.Subscription) string { return x.Element })
}

func only[T any](t *testing.T, m map[string]T, element string, of func(T) string) T {
	t.Helper()
	var found []T
	for _, v := range m {
		if of(v) == element {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one open wait of %s, have %d (all: %v)", element, len(found), m)
	}
	return found[0]
}

func (h *harness) completeJob(element string, vars map[string]any) *engine.Effects {
	h.t.Helper()
	return h.step(engine.JobCompleted{JobID: h.job(element).ID, Vars: vars})
}

func (h *harness) completeTask(element string, vars map[string]any) *engine.Effects {
	h.t.Helper()
	return h.step(engine.UserTaskCompleted{TaskID: h.task(element).ID, Vars: vars})
}

func (h *harness) fire(element string) *engine.Effects {
	h.t.Helper()
	x := h.timer(element)
	h.now = x.Due
	return h.step(engine.TimerFired{TimerID: x.ID})
}

func (h *harness) correlate(element string, vars map[string]any) *engine.Effects {
	h.t.Helper()
	return h.step(engine.MessageCorrelated{SubscriptionID: h.sub(element).ID, Vars: vars})
}

// wantStatus checks the instance's status.
func (h *harness) wantStatus(want engine.Status) {
	h.t.Helper()
	if h.st.Status != want {
		h.t.Fatalf("status %s, want %s (waiting at %v, incidents %v)", h.st.Status, want, h.st.ElementsWaiting(), h.incidents)
	}
}

// wantWaiting checks where the instance waits (element ids in element-instance order).
func (h *harness) wantWaiting(want ...string) {
	h.t.Helper()
	got := h.st.ElementsWaiting()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		h.t.Fatalf("waiting at %v, want %v", got, want)
	}
}

// wantVar checks a variable of the ended instance, or of the root scope while it runs.
func (h *harness) wantVar(name string, want any) {
	h.t.Helper()
	vars := h.st.Variables
	if root := h.st.Root(); root != nil {
		vars = root.Vars
	}
	if got := vars[name]; !reflect.DeepEqual(got, want) {
		h.t.Fatalf("variable %s = %#v, want %#v (all %v)", name, got, want, vars)
	}
}

// wantReason checks err is an apierr error with reason.
func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	var ae *apierr.Error
	if !errors.As(err, &ae) || ae.Reason != reason {
		t.Fatalf("want an error with reason %s, got %v", reason, err)
	}
}

// seq is a start event, then body (which must contain X connected in and out by f1/f2), then an end event.
func seq(el string) string {
	return `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="X"/>` + el +
		`<bpmn:sequenceFlow id="f2" sourceRef="X" targetRef="E"/><bpmn:endEvent id="E"/>`
}

// service is a service task element with the given id, job type and extra extension/children markup.
func service(id, typ, extra string) string {
	return `<bpmn:serviceTask id="` + id + `"><bpmn:extensionElements><zeebe:taskDefinition type="` + typ +
		`"/>` + extra + `</bpmn:extensionElements></bpmn:serviceTask>`
}

// roundTrip stores and loads a state as the store does.
func roundTrip(t *testing.T, st *engine.State) *engine.State {
	t.Helper()
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var out engine.State
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func prune[T, U any](t *testing.T, have map[string]T, state map[string]U, consumed string) {
	t.Helper()
	for id := range have {
		if _, ok := state[id]; !ok {
			if id != consumed {
				t.Fatalf("%s left the state without a cancel effect", id)
			}
			delete(have, id)
		}
	}
}

// consumed is the wait a trigger uses up.
func consumed(tr engine.Trigger) string {
	switch t := tr.(type) {
	case engine.JobCompleted:
		return t.JobID
	case engine.JobErrorThrown:
		return t.JobID
	case engine.UserTaskCompleted:
		return t.TaskID
	case engine.TimerFired:
		return t.TimerID
	case engine.MessageCorrelated:
		return t.SubscriptionID
	case engine.ChildEnded:
		return t.ChildID
	case engine.ChildStartFailed:
		return t.ChildID
	}
	return ""
}
