package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// StartInput starts a process.
type StartInput struct {
	ProcessID      string // a BPMN process id (its latest enabled version) or a definition id
	Vars           map[string]any
	StartedBy      string
	BusinessKey    string
	IdempotencyKey string
}

// Start starts an instance and runs it until it first waits. A start repeated with the same idempotency
// key, or with the business key of an instance still active, returns that instance instead: the unique
// indexes make this hold across replicas racing with the same request.
func (s *Service) Start(ctx context.Context, in StartInput) (domain.Instance, error) {
	def, err := s.Process(ctx, in.ProcessID)
	if err != nil {
		return domain.Instance{}, err
	}
	if !def.Enabled {
		return domain.Instance{}, apierr.FailedPrecondition(domain.ReasonProcessDisabled, "process version "+def.ID+" is disabled")
	}
	if in.StartedBy == "" {
		in.StartedBy = actorOf(ctx).name()
	}
	var out domain.Instance
	start := func() error {
		return s.inTx(ctx, func(r *run) error {
			if found, ok, err := r.tx.FindStarted(ctx, def.Key, in.IdempotencyKey, in.BusinessKey); err != nil || ok {
				out = found
				return err
			}
			inst, err := r.startInstance(def, startSpec{Vars: in.Vars, BusinessKey: in.BusinessKey,
				IdempotencyKey: in.IdempotencyKey, StartedBy: in.StartedBy})
			if err == nil {
				out = *inst
			}
			return err
		})
	}
	err = start()
	if apierr.KindOf(err) == apierr.KindAlreadyExists {
		err = start() // a replica started the same one a moment before: this finds it
	}
	return out, err
}

// Instance returns an instance.
func (s *Service) Instance(ctx context.Context, id string) (domain.Instance, error) {
	if id == "" {
		return domain.Instance{}, domain.Invalid("instanceId", "required")
	}
	inst, err := s.store.Instance(ctx, id)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return inst, apierr.NotFound(domain.ReasonInstanceNotFound, "no instance "+quote(id))
	}
	return inst, err
}

// Instances lists instances, newest first; ProcessKey may be a definition id.
func (s *Service) Instances(ctx context.Context, f InstanceFilter) ([]domain.Instance, error) {
	if domain.LooksLikeDefinitionID(f.ProcessKey) {
		f.DefinitionID, f.ProcessKey = f.ProcessKey, ""
	}
	switch f.State {
	case "", domain.StateRunning, domain.StateSuspended, domain.StateCompleted, domain.StateStopped, domain.StateFailed:
	default:
		return nil, domain.Invalid("state", "must be running, suspended, completed, stopped or failed (got "+quote(string(f.State))+")")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = min(max(f.Limit, 100), 1000)
	}
	return s.store.Instances(ctx, f)
}

// Stop terminates an instance and everything it waits for.
func (s *Service) Stop(ctx context.Context, id string) (domain.Instance, error) {
	if err := requireAdmin(ctx, "stopping an instance"); err != nil {
		return domain.Instance{}, err
	}
	return s.onInstance(ctx, id, true, func(r *run, inst *domain.Instance, w *StepWrite) error {
		model, err := r.modelOf(inst)
		if err != nil {
			return err
		}
		return r.step(inst, model, engine.Cancel{}, w)
	})
}

// Suspend pauses an instance: its jobs are not activated, its timers do not fire, its tasks cannot be
// completed and messages do not reach it, until it is resumed.
func (s *Service) Suspend(ctx context.Context, id string) (domain.Instance, error) {
	return s.setSuspended(ctx, id, true)
}

// Resume undoes Suspend.
func (s *Service) Resume(ctx context.Context, id string) (domain.Instance, error) {
	return s.setSuspended(ctx, id, false)
}

func (s *Service) setSuspended(ctx context.Context, id string, suspended bool) (domain.Instance, error) {
	if err := requireAdmin(ctx, "suspending and resuming an instance"); err != nil {
		return domain.Instance{}, err
	}
	return s.onInstance(ctx, id, true, func(r *run, inst *domain.Instance, w *StepWrite) error {
		if inst.Suspended == suspended {
			return nil
		}
		inst.Suspended = suspended
		inst.Rev++
		inst.UpdatedAt = r.now
		kind := map[bool]string{true: "instance.suspended", false: "instance.resumed"}[suspended]
		w.Instance, w.History = inst, []domain.HistoryEntry{r.history(inst, kind, "", nil)}
		if err := r.tx.SetSuspended(r.ctx, inst.ID, suspended); err != nil {
			return err
		}
		if !suspended {
			r.scheduled = true // timers that came due meanwhile fire now
		}
		return r.tx.Write(r.ctx, *w)
	})
}

// Variables returns an instance's process variables.
func (s *Service) Variables(ctx context.Context, id string) (map[string]any, error) {
	inst, err := s.Instance(ctx, id)
	if err != nil {
		return nil, err
	}
	return RootVariables(inst), nil
}

// RootVariables are the root scope's variables (kept on the state once the instance has ended).
func RootVariables(inst domain.Instance) map[string]any {
	if inst.Doc == nil {
		return map[string]any{}
	}
	if root := inst.Doc.Root(); root != nil && root.Vars != nil {
		return root.Vars
	}
	if inst.Doc.Variables != nil {
		return inst.Doc.Variables
	}
	return map[string]any{}
}

// SetVariables sets process variables: an operator fixing what an incident needs.
func (s *Service) SetVariables(ctx context.Context, id string, vars map[string]any) (map[string]any, error) {
	if err := requireAdmin(ctx, "changing an instance's variables"); err != nil {
		return nil, err
	}
	if len(vars) == 0 {
		return nil, domain.Invalid("variables", "required: a JSON object of the variables to set")
	}
	inst, err := s.onInstance(ctx, id, true, func(r *run, inst *domain.Instance, w *StepWrite) error {
		model, err := r.modelOf(inst)
		if err != nil {
			return err
		}
		return r.step(inst, model, engine.SetVariables{Vars: vars}, w)
	})
	return RootVariables(inst), err
}

// History is an instance's audit trail, oldest first.
func (s *Service) History(ctx context.Context, id string) ([]domain.HistoryEntry, error) {
	if _, err := s.Instance(ctx, id); err != nil {
		return nil, err
	}
	return s.store.History(ctx, id)
}

// onInstance runs fn on a locked, running instance in one transaction; evenSuspended lets fn run on a
// suspended one (operators' actions).
func (s *Service) onInstance(ctx context.Context, id string, evenSuspended bool, fn func(r *run, inst *domain.Instance, w *StepWrite) error) (domain.Instance, error) {
	if id == "" {
		return domain.Instance{}, domain.Invalid("instanceId", "required")
	}
	var out domain.Instance
	err := s.inTx(ctx, func(r *run) error {
		inst, err := r.lock(id)
		if err != nil {
			return err
		}
		if inst.Suspended && !evenSuspended {
			return suspendedError(inst)
		}
		if err := fn(r, &inst, &StepWrite{}); err != nil {
			return err
		}
		out = inst
		return nil
	})
	return out, err
}

// lock locks a running instance.
func (r *run) lock(id string) (domain.Instance, error) {
	inst, err := r.tx.LockInstance(r.ctx, id)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return inst, apierr.NotFound(domain.ReasonInstanceNotFound, "no instance "+quote(id))
	}
	if err != nil {
		return inst, err
	}
	if inst.Ended() {
		return inst, apierr.FailedPrecondition(domain.ReasonInstanceEnded, "the instance has ended ("+string(inst.State)+")")
	}
	return inst, nil
}

// modelOf is the process model of an instance's version (read once per process: versions never change).
func (r *run) modelOf(inst *domain.Instance) (*bpmn.Process, error) {
	if m, ok := r.s.models.Load(inst.DefinitionID); ok {
		return m.(*bpmn.Process), nil
	}
	d, err := r.tx.DefinitionIn(r.ctx, inst.DefinitionID)
	if err != nil {
		return nil, err
	}
	return r.s.model(d)
}

func suspendedError(inst domain.Instance) error {
	return apierr.FailedPrecondition(domain.ReasonInstanceSuspended, "instance "+inst.ID+" is suspended: resume it first")
}
