package app

import (
	"encoding/json"
	"fmt"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// startSpec is how an instance is started.
type startSpec struct {
	ID             string // "" for a fresh id
	Event          string // "" for the start event without a trigger
	Vars           map[string]any
	BusinessKey    string
	IdempotencyKey string
	StartedBy      string
	Parent         *engine.ParentRef
}

// startInstance creates an instance of def and runs its first step, in r's transaction.
func (r *run) startInstance(def domain.Definition, spec startSpec) (*domain.Instance, error) {
	model, err := r.s.model(def)
	if err != nil {
		return nil, err
	}
	id := spec.ID
	if id == "" {
		id = newID()
	}
	inst := &domain.Instance{ID: id, DefinitionID: def.ID, ProcessKey: def.Key, Version: def.Version, State: domain.StateRunning,
		BusinessKey: spec.BusinessKey, IdempotencyKey: spec.IdempotencyKey, StartedBy: spec.StartedBy,
		Doc: engine.NewState(id, def.Key), StartedAt: r.now, UpdatedAt: r.now}
	if spec.Parent != nil {
		inst.ParentID = spec.Parent.InstanceID
	}
	r.tx.Publish(domain.InstanceStarted{Instance: *inst, At: r.now})
	w := StepWrite{New: true}
	if err := r.step(inst, model, engine.Start{Event: spec.Event, Vars: spec.Vars, Parent: spec.Parent}, &w); err != nil {
		return nil, err
	}
	return inst, nil
}

// startChild starts a call activity's child in the same transaction. When the child ends at once, its end
// goes straight back to the parent's next step; otherwise the child tells its parent later with a signal.
// A process that cannot be started is an incident on the call activity (ChildStartFailed).
func (r *run) startChild(parent *domain.Instance, c engine.ChildStart) engine.Trigger {
	if r.depth >= maxCallDepth {
		return engine.ChildStartFailed{ChildID: c.ID, Message: fmt.Sprintf("call activities nested deeper than %d in one step: does the process call itself?", maxCallDepth)}
	}
	def, err := r.tx.LatestDefinitionIn(r.ctx, c.ProcessID, true)
	if err != nil {
		return engine.ChildStartFailed{ChildID: c.ID, Message: "process " + c.ProcessID + " cannot be started: " + failureText(err)}
	}
	r.depth++
	defer func() { r.depth-- }()
	saved := r.inline
	r.inline = &inlineParent{id: parent.ID}
	defer func() { r.inline = saved }()
	if _, err := r.startInstance(def, startSpec{ID: c.ID, Vars: c.Vars, Parent: &engine.ParentRef{InstanceID: parent.ID, Element: c.EI},
		StartedBy: parent.ID}); err != nil {
		return engine.ChildStartFailed{ChildID: c.ID, Message: "process " + c.ProcessID + " could not start: " + failureText(err)}
	}
	if end := r.inline.end; end != nil {
		return engine.ChildEnded{ChildID: end.ChildID, Status: end.Status, Vars: end.Vars, ErrorCode: end.ErrorCode}
	}
	return nil
}

// inlineParent is a parent instance whose child is being started in its own step.
type inlineParent struct {
	id  string
	end *childEnded
}

// failureText says why something failed, without internal detail of unexpected errors.
func failureText(err error) string {
	if apierr.KindOf(err) == apierr.KindInternal {
		return "an internal error"
	}
	return err.Error()
}

// tellParent records a called instance's end for its parent: in the parent's current step when the parent
// is starting it now, else as a signal.
func (r *run) tellParent(inst *domain.Instance, end *engine.End, w *StepWrite) error {
	msg := childEnded{ChildID: inst.ID, Status: end.Status, Vars: end.Variables, ErrorCode: end.ErrorCode}
	if r.inline != nil && r.inline.id == end.Parent.InstanceID {
		r.inline.end = &msg
		return nil
	}
	payload, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	w.Signals = append(w.Signals, domain.Signal{ID: newID(), InstanceID: end.Parent.InstanceID, Kind: domain.SignalChildEnded,
		Payload: payload, FireAt: r.now})
	r.scheduled = true
	return nil
}
