package app

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// maxCallDepth bounds call activities calling call activities in one transaction (a process calling
// itself would otherwise never stop).
const maxCallDepth = 16

// run is one transaction's work on instances: the steps, and the rows and events they cause.
type run struct {
	s     *Service
	ctx   context.Context
	tx    Tx
	now   time.Time
	actor actor
	depth int
	// jobTypes are the job types created, for the waiting workers to be woken after the commit.
	jobTypes  map[string]bool
	scheduled bool // a timer or signal was written: the loop may have something due soon
	// inline is the parent whose call activity is starting a child in this step, if any.
	inline *inlineParent
}

func (s *Service) newRun(ctx context.Context, tx Tx) *run {
	return &run{s: s, ctx: ctx, tx: tx, now: s.now(), actor: actorOf(ctx), jobTypes: map[string]bool{}}
}

// after wakes whoever waits for what the run's committed transaction created.
func (s *Service) after(r *run) {
	for t := range r.jobTypes {
		s.waiters.notify(t)
	}
	if r.scheduled {
		s.poke()
	}
}

// inTx runs fn in a transaction with a fresh run each attempt, then wakes waiters after the commit.
func (s *Service) inTx(ctx context.Context, fn func(r *run) error) error {
	var last *run
	start := time.Now()
	err := s.store.InTx(ctx, func(tx Tx) error {
		last = s.newRun(ctx, tx)
		return fn(last)
	})
	if err == nil && last != nil {
		s.metrics.Step(time.Since(start))
		s.after(last)
	}
	return err
}

// step applies tr to inst (locked by the caller, or new) and writes the outcome. Follow-ups the engine
// cannot do itself run as further steps of the same instance in the same transaction: a message buffered
// for a subscription just opened, a called process that does not exist.
func (r *run) step(inst *domain.Instance, model *bpmn.Process, tr engine.Trigger, w *StepWrite) error {
	queue := []engine.Trigger{tr}
	for len(queue) > 0 {
		fx, err := r.s.eng.Step(model, inst.Doc, queue[0], r.now)
		if err != nil {
			return err
		}
		r.consume(inst, queue[0], w)
		queue = queue[1:]
		more, err := r.apply(inst, model, fx, w)
		if err != nil {
			return err
		}
		queue = append(queue, more...)
	}
	inst.Rev++
	inst.UpdatedAt = r.now
	inst.State, inst.ErrorCode = domain.StateOf(inst.Doc.Status), inst.Doc.ErrorCode
	w.Instance = inst
	return r.tx.Write(r.ctx, *w)
}

// consume removes the row of the wait a trigger used up (the completed job, the fired timer, the
// correlated subscription), unless the instance still waits for it (a non-interrupting message boundary).
func (r *run) consume(inst *domain.Instance, tr engine.Trigger, w *StepWrite) {
	switch t := tr.(type) {
	case engine.JobCompleted:
		w.DeleteJobs = append(w.DeleteJobs, t.JobID)
	case engine.JobErrorThrown:
		w.DeleteJobs = append(w.DeleteJobs, t.JobID)
	case engine.TimerFired:
		w.DeleteTimers = append(w.DeleteTimers, t.TimerID)
	case engine.MessageCorrelated:
		if _, open := inst.Doc.Subs[t.SubscriptionID]; !open {
			w.Subscriptions, w.DeleteSubscriptions = dropOrDelete(w.Subscriptions, w.DeleteSubscriptions, t.SubscriptionID,
				func(s Subscription) string { return s.ID })
		}
	}
}

// dropOrDelete removes id from rows created in this transaction, or else marks its stored row for deletion.
func dropOrDelete[T any](created []T, deleted []string, id string, idOf func(T) string) ([]T, []string) {
	for i, c := range created {
		if idOf(c) == id {
			return append(created[:i:i], created[i+1:]...), deleted
		}
	}
	return created, append(deleted, id)
}

// apply turns a step's effects into rows and events, and returns follow-up triggers for the same instance.
func (r *run) apply(inst *domain.Instance, model *bpmn.Process, fx *engine.Effects, w *StepWrite) ([]engine.Trigger, error) {
	var more []engine.Trigger
	for _, j := range fx.Jobs {
		w.Jobs = append(w.Jobs, domain.Job{ID: j.ID, InstanceID: inst.ID, ProcessKey: inst.ProcessKey, ElementID: j.Element,
			EI: j.EI, Type: j.Type, Retries: j.Retries, Headers: j.Headers, DueAt: r.now})
		r.jobTypes[j.Type] = true
	}
	for _, id := range fx.CancelJobs {
		w.Jobs, w.DeleteJobs = dropOrDelete(w.Jobs, w.DeleteJobs, id, func(j domain.Job) string { return j.ID })
	}
	for _, t := range fx.Timers {
		w.Timers = append(w.Timers, Timer{ID: t.ID, InstanceID: inst.ID, ElementID: t.Element, EI: t.EI, DueAt: t.Due})
		r.scheduled = true
	}
	for _, id := range fx.CancelTimers {
		w.Timers, w.DeleteTimers = dropOrDelete(w.Timers, w.DeleteTimers, id, func(t Timer) string { return t.ID })
	}
	for _, id := range fx.CloseSubscriptions {
		w.Subscriptions, w.DeleteSubscriptions = dropOrDelete(w.Subscriptions, w.DeleteSubscriptions, id, func(s Subscription) string { return s.ID })
	}
	for _, sub := range fx.Subscriptions {
		w.Subscriptions = append(w.Subscriptions, Subscription{ID: sub.ID, InstanceID: inst.ID, ElementID: sub.Element,
			Name: sub.Name, CorrelationKey: sub.CorrelationKey})
		tr, err := r.buffered(inst, sub)
		if err != nil {
			return nil, err
		}
		if tr != nil {
			more = append(more, *tr)
		}
	}
	if err := r.applyTasks(inst, model, fx, w); err != nil {
		return nil, err
	}
	r.applyIncidents(inst, fx, w)
	for _, h := range fx.History {
		w.History = append(w.History, r.history(inst, h.Kind, h.Element, h.Detail))
	}
	for _, id := range fx.CancelChildren {
		w.Signals = append(w.Signals, domain.Signal{ID: newID(), InstanceID: id, Kind: domain.SignalCancelChild, FireAt: r.now})
		r.scheduled = true
	}
	for _, c := range fx.Children {
		if tr := r.startChild(inst, c); tr != nil {
			more = append(more, tr)
		}
	}
	if fx.Ended != nil {
		if err := r.ended(inst, fx.Ended, w); err != nil {
			return nil, err
		}
	}
	return more, nil
}

// buffered looks for a message published before the subscription opened and still alive: it correlates
// now, in the same transaction, once.
func (r *run) buffered(inst *domain.Instance, sub engine.Subscription) (*engine.Trigger, error) {
	if err := r.tx.LockMessageKey(r.ctx, sub.Name, sub.CorrelationKey); err != nil {
		return nil, err
	}
	m, ok, err := r.tx.BufferedMessage(r.ctx, sub.Name, sub.CorrelationKey, inst.ID, r.now)
	if err != nil || !ok {
		return nil, err
	}
	if fresh, err := r.tx.RecordCorrelation(r.ctx, m.ID, inst.ID); err != nil || !fresh {
		return nil, err
	}
	var tr engine.Trigger = engine.MessageCorrelated{SubscriptionID: sub.ID, Vars: m.Variables}
	return &tr, nil
}

// applyTasks creates and cancels user tasks, with the form each is checked against.
func (r *run) applyTasks(inst *domain.Instance, model *bpmn.Process, fx *engine.Effects, w *StepWrite) error {
	for _, id := range fx.CancelUserTasks {
		w.UserTasks, w.CancelUserTasks = dropOrDelete(w.UserTasks, w.CancelUserTasks, id, func(t domain.UserTask) string { return t.ID })
	}
	for _, t := range fx.UserTasks {
		task := domain.UserTask{ID: t.ID, InstanceID: inst.ID, ProcessKey: inst.ProcessKey, ElementID: t.Element, EI: t.EI,
			Name: t.Name, State: domain.TaskOpen, Assignee: t.Assignee, CandidateGroups: t.CandidateGroups,
			CandidateUsers: t.CandidateUsers, DueAt: t.Due, FollowUpAt: t.FollowUp, CreatedAt: r.now}
		form, key, err := r.formOf(model, t)
		if err != nil {
			return err
		}
		task.Form, task.FormKey = form, key
		w.UserTasks = append(w.UserTasks, task)
		r.tx.Publish(domain.TaskCreated{Task: task, At: r.now})
	}
	return nil
}

// formOf finds a task's form: embedded in the process, or deployed on its own.
func (r *run) formOf(model *bpmn.Process, t engine.UserTask) (map[string]any, string, error) {
	switch {
	case t.FormKey != "":
		var form map[string]any
		if err := json.Unmarshal([]byte(model.Forms[strings.TrimPrefix(t.FormKey, bpmn.FormKeyPrefix)]), &form); err != nil {
			return nil, t.FormKey, nil // checked at deploy; an unreadable form leaves the task without one
		}
		return form, t.FormKey, nil
	case t.FormID != "":
		f, err := r.tx.FormIn(r.ctx, t.FormID)
		if apierr.KindOf(err) == apierr.KindNotFound {
			return nil, t.FormID, nil
		}
		return f.Schema, t.FormID, err
	}
	return nil, "", nil
}

func (r *run) applyIncidents(inst *domain.Instance, fx *engine.Effects, w *StepWrite) {
	for _, id := range fx.ResolvedIncidents {
		w.ResolveIncidents = append(w.ResolveIncidents, id)
		inst.OpenIncidents = max(0, inst.OpenIncidents-1)
		r.tx.Publish(domain.IncidentResolved{Incident: domain.Incident{ID: id, InstanceID: inst.ID, ProcessKey: inst.ProcessKey}, At: r.now})
	}
	for _, i := range fx.Incidents {
		inc := domain.Incident{ID: i.ID, InstanceID: inst.ID, ProcessKey: inst.ProcessKey, ElementID: i.Element, EI: i.EI,
			Kind: i.Kind, Message: i.Message, Open: true, CreatedAt: r.now}
		w.Incidents = append(w.Incidents, inc)
		inst.OpenIncidents++
		r.tx.Publish(domain.IncidentRaised{Incident: inc, At: r.now})
	}
}

// history is an audit line of inst by the run's actor.
func (r *run) history(inst *domain.Instance, kind, element string, detail map[string]any) domain.HistoryEntry {
	return domain.HistoryEntry{InstanceID: inst.ID, DefinitionID: inst.DefinitionID, At: r.now, Kind: kind,
		ElementID: element, Actor: r.actor.user, Client: r.actor.client, Detail: detail}
}

// ended records an instance's end: its parent is told (a signal), flow triggers fire, open incidents close.
func (r *run) ended(inst *domain.Instance, end *engine.End, w *StepWrite) error {
	state := domain.StateOf(end.Status)
	at := r.now
	inst.EndedAt, inst.State, inst.ErrorCode = &at, state, end.ErrorCode
	w.ResolveAllIncidents = inst.OpenIncidents > 0
	inst.OpenIncidents = 0
	r.tx.Publish(domain.InstanceEnded{Instance: *inst, At: r.now})
	if end.Parent != nil {
		if err := r.tellParent(inst, end, w); err != nil {
			return err
		}
	}
	triggers, err := r.tx.FlowTriggersFor(r.ctx, inst.ProcessKey, state)
	if err != nil {
		return err
	}
	for _, t := range triggers {
		payload, err := json.Marshal(flowStart{TriggerID: t.ID, SourceInstance: inst.ID, TargetKey: t.TargetKey, Vars: end.Variables})
		if err != nil {
			return err
		}
		w.Signals = append(w.Signals, domain.Signal{ID: newID(), Kind: domain.SignalFlowTrigger, Payload: payload, FireAt: r.now})
		r.scheduled = true
	}
	return nil
}

// childEnded is the payload of a child_ended signal.
type childEnded struct {
	ChildID   string         `json:"childId"`
	Status    engine.Status  `json:"status"`
	Vars      map[string]any `json:"vars,omitempty"`
	ErrorCode string         `json:"errorCode,omitempty"`
}

// flowStart is the payload of a flow_trigger signal.
type flowStart struct {
	TriggerID      string         `json:"triggerId"`
	SourceInstance string         `json:"sourceInstance"`
	TargetKey      string         `json:"targetKey"`
	Vars           map[string]any `json:"vars,omitempty"`
}
