package app

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/form"
)

// Incidents lists incidents, open ones unless resolved is asked for.
func (s *Service) Incidents(ctx context.Context, instanceID string, state string) ([]domain.Incident, error) {
	switch state {
	case "", "open", "resolved":
	default:
		return nil, domain.Invalid("state", "must be open or resolved (got "+quote(state)+")")
	}
	return s.store.Incidents(ctx, IncidentFilter{InstanceID: instanceID, Open: state != "resolved"})
}

// ResolveIncident retries what an incident stopped, after its cause was fixed: a job gets retries more
// attempts (at least one); an engine incident redoes the step that failed.
func (s *Service) ResolveIncident(ctx context.Context, id string, retries int) (domain.Incident, error) {
	if err := requireAdmin(ctx, "resolving an incident"); err != nil {
		return domain.Incident{}, err
	}
	inc, err := s.store.Incident(ctx, id)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return inc, apierr.NotFound(domain.ReasonIncidentNotFound, "no incident "+quote(id))
	}
	if err != nil {
		return inc, err
	}
	err = s.inTx(ctx, func(r *run) error {
		inst, err := r.lock(inc.InstanceID)
		if err != nil {
			return err
		}
		locked, err := r.tx.LockIncident(r.ctx, id)
		if err != nil {
			return err
		}
		if !locked.Open {
			return apierr.FailedPrecondition(domain.ReasonIncidentNotFound, "the incident is already resolved")
		}
		if locked.JobID != "" {
			return r.resolveJobIncident(&inst, locked, retries)
		}
		model, err := r.modelOf(&inst)
		if err != nil {
			return err
		}
		return r.step(&inst, model, engine.ResolveIncident{IncidentID: id}, &StepWrite{})
	})
	inc.Open = false
	return inc, err
}

// resolveJobIncident gives the failed job more retries and closes its incident.
func (r *run) resolveJobIncident(inst *domain.Instance, inc domain.Incident, retries int) error {
	j, err := r.tx.LockJob(r.ctx, inc.JobID)
	if err != nil {
		return err
	}
	j.Retries, j.DueAt, j.Worker, j.LeaseUntil = max(retries, 1), r.now, "", nil
	if err := r.tx.UpdateJob(r.ctx, j); err != nil {
		return err
	}
	r.jobTypes[j.Type] = true
	inst.OpenIncidents = max(0, inst.OpenIncidents-1)
	inst.Rev++
	inst.UpdatedAt = r.now
	r.tx.Publish(domain.IncidentResolved{Incident: inc, At: r.now})
	return r.tx.Write(r.ctx, StepWrite{Instance: inst, ResolveIncidents: []string{inc.ID},
		History: []domain.HistoryEntry{r.history(inst, engine.HistoryIncidentResolved, inc.ElementID, map[string]any{"incident": inc.ID, "retries": j.Retries})}})
}

// PutForm deploys a Camunda form under id (a new version if it exists).
func (s *Service) PutForm(ctx context.Context, id string, schema map[string]any) (domain.Form, error) {
	if err := requireAdmin(ctx, "deploying a form"); err != nil {
		return domain.Form{}, err
	}
	if strings.TrimSpace(id) == "" {
		return domain.Form{}, domain.Invalid("formId", "required")
	}
	raw, err := json.Marshal(schema)
	if err != nil {
		return domain.Form{}, err
	}
	if _, err := form.Parse(raw); err != nil {
		return domain.Form{}, domain.Invalid("schema", err.Error())
	}
	var out domain.Form
	err = s.inTx(ctx, func(r *run) error {
		out, err = r.tx.InsertForm(r.ctx, domain.Form{ID: id, Schema: schema})
		return err
	})
	return out, err
}

// Form returns the latest version of a deployed form.
func (s *Service) Form(ctx context.Context, id string) (domain.Form, error) {
	f, err := s.store.Form(ctx, id)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return f, apierr.NotFound(domain.ReasonFormNotFound, "no form "+quote(id))
	}
	return f, err
}

// CreateFlowTrigger makes instances of source that end as on start target.
func (s *Service) CreateFlowTrigger(ctx context.Context, source, on, target string) (domain.FlowTrigger, error) {
	if err := requireAdmin(ctx, "creating a flow trigger"); err != nil {
		return domain.FlowTrigger{}, err
	}
	t := domain.FlowTrigger{ID: newID(), SourceKey: strings.TrimSpace(source), On: domain.InstanceState(on), TargetKey: strings.TrimSpace(target)}
	switch {
	case t.SourceKey == "":
		return t, domain.Invalid("sourceProcessId", "required: the process whose instances are watched")
	case t.TargetKey == "":
		return t, domain.Invalid("targetProcessId", "required: the process to start")
	case t.On != domain.StateCompleted && t.On != domain.StateFailed:
		return t, domain.Invalid("on", "must be completed or failed (got "+quote(on)+")")
	}
	err := s.inTx(ctx, func(r *run) error {
		t.CreatedAt = r.now
		return r.tx.InsertFlowTrigger(r.ctx, t)
	})
	return t, err
}

// FlowTriggers lists the flow triggers.
func (s *Service) FlowTriggers(ctx context.Context) ([]domain.FlowTrigger, error) {
	return s.store.FlowTriggers(ctx)
}

// DeleteFlowTrigger removes a flow trigger.
func (s *Service) DeleteFlowTrigger(ctx context.Context, id string) error {
	if err := requireAdmin(ctx, "deleting a flow trigger"); err != nil {
		return err
	}
	return s.inTx(ctx, func(r *run) error { return r.tx.DeleteFlowTrigger(r.ctx, id) })
}

// Status is the dashboard's summary.
func (s *Service) Status(ctx context.Context) (Status, error) {
	return s.store.Status(ctx, s.now())
}
