package app

import (
	"context"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// Bounds of job activation.
const (
	maxActivate     = 100
	maxRequestWait  = 60 * time.Second
	maxLease        = 24 * time.Hour
	activationPoll  = time.Second // a long poll re-checks this often even without a notification
	defaultActivate = 10
)

// ActivateInput asks for jobs of a type.
type ActivateInput struct {
	Type   string
	Worker string
	Max    int
	Lease  time.Duration
	// Wait is how long to wait for a job when none is available (a long poll).
	Wait time.Duration
	// Fetch names the variables to hand over (all when empty).
	Fetch []string
}

// ActivatedJob is a leased job with the variables its element sees.
type ActivatedJob struct {
	domain.Job
	Variables map[string]any
}

// Activate leases up to in.Max jobs of in.Type to in.Worker. With in.Wait it waits for a job to be created
// (woken when one is, on any replica), else it answers at once, possibly with none.
func (s *Service) Activate(ctx context.Context, in ActivateInput) ([]ActivatedJob, error) {
	if err := checkActivate(&in, s.opts.JobLease); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(in.Wait)
	for {
		wake := s.waiters.channel(in.Type) // before the claim: a job created after it still wakes us
		jobs, err := s.store.ClaimJobs(ctx, in.Type, in.Worker, in.Max, in.Lease, s.now())
		if err != nil {
			return nil, err
		}
		left := time.Until(deadline)
		if len(jobs) > 0 || left <= 0 || ctx.Err() != nil {
			s.metrics.JobsActivated(in.Type, len(jobs))
			return s.withVariables(ctx, jobs, in.Fetch)
		}
		s.waiters.wait(ctx, wake, min(left, activationPoll))
	}
}

func checkActivate(in *ActivateInput, lease time.Duration) error {
	in.Type, in.Worker = strings.TrimSpace(in.Type), strings.TrimSpace(in.Worker)
	switch {
	case in.Type == "":
		return domain.Invalid("type", "required: the job type the worker does")
	case in.Worker == "":
		return domain.Invalid("worker", "required: the worker's name (it holds the lease)")
	case in.Max < 0 || in.Max > maxActivate:
		return domain.Invalid("maxJobsToActivate", "must be between 1 and 100")
	case in.Lease < 0 || in.Lease > maxLease:
		return domain.Invalid("timeout", "must be between 1 ms and 24 h")
	case in.Wait < 0 || in.Wait > maxRequestWait:
		return domain.Invalid("requestTimeout", "must be between 0 and 60000 ms")
	}
	if in.Max == 0 {
		in.Max = defaultActivate
	}
	if in.Lease == 0 {
		in.Lease = lease
	}
	return nil
}

// withVariables adds the variables each job's element sees.
func (s *Service) withVariables(ctx context.Context, jobs []domain.Job, fetch []string) ([]ActivatedJob, error) {
	out := make([]ActivatedJob, 0, len(jobs))
	if len(jobs) == 0 {
		return out, nil
	}
	ids := make([]string, 0, len(jobs))
	for _, j := range jobs {
		ids = append(ids, j.InstanceID)
	}
	docs, err := s.store.InstancesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		inst, ok := docs[j.InstanceID]
		if !ok {
			continue // its instance is gone (it cannot be: jobs are deleted with their instance's end)
		}
		vars := engine.VisibleVariables(inst.Doc, j.EI)
		if len(fetch) > 0 {
			picked := map[string]any{}
			for _, name := range fetch {
				if v, ok := vars[name]; ok {
					picked[name] = v
				}
			}
			vars = picked
		}
		out = append(out, ActivatedJob{Job: j, Variables: vars})
	}
	return out, nil
}

// CompleteJob completes a leased job; the instance goes on in the same transaction.
func (s *Service) CompleteJob(ctx context.Context, id string, lease domain.Lease, vars map[string]any) error {
	return s.completeJob(ctx, id, lease, vars, nil)
}

// completeJob completes a job and publishes events (a connector's) in the same transaction.
func (s *Service) completeJob(ctx context.Context, id string, lease domain.Lease, vars map[string]any, events []domain.Event) error {
	return s.onJob(ctx, id, lease, func(r *run, inst *domain.Instance, j domain.Job) error {
		for _, ev := range events {
			if n, ok := ev.(domain.ProcessNotified); ok && n.At.IsZero() {
				n.At = r.now
				ev = n
			}
			r.tx.Publish(ev)
		}
		model, err := r.modelOf(inst)
		if err != nil {
			return err
		}
		if err := r.step(inst, model, engine.JobCompleted{JobID: id, Vars: vars}, &StepWrite{}); err != nil {
			return err
		}
		s.metrics.JobCompleted(j.Type)
		return nil
	})
}

// ThrowJobError throws a BPMN error at the job's element.
func (s *Service) ThrowJobError(ctx context.Context, id string, lease domain.Lease, code, msg string, vars map[string]any) error {
	if strings.TrimSpace(code) == "" {
		return domain.Invalid("errorCode", "required: the BPMN error code an error boundary event catches")
	}
	return s.onJob(ctx, id, lease, func(r *run, inst *domain.Instance, j domain.Job) error {
		model, err := r.modelOf(inst)
		if err != nil {
			return err
		}
		return r.step(inst, model, engine.JobErrorThrown{JobID: id, Code: code, Message: msg, Vars: vars}, &StepWrite{})
	})
}

// FailJob reports a failure: retried after backoff while retries are left, else an incident.
func (s *Service) FailJob(ctx context.Context, id string, lease domain.Lease, retries int, msg string, backoff time.Duration) error {
	if retries < 0 || backoff < 0 {
		return domain.Invalid("retries", "retries and retryBackOff cannot be negative")
	}
	return s.onJob(ctx, id, lease, func(r *run, inst *domain.Instance, j domain.Job) error {
		s.metrics.JobFailed(j.Type)
		j.Retries, j.ErrorMessage, j.Worker, j.LeaseUntil = retries, msg, "", nil
		j.DueAt = r.now.Add(backoff)
		if err := r.tx.UpdateJob(r.ctx, j); err != nil {
			return err
		}
		w := StepWrite{Instance: inst, History: []domain.HistoryEntry{r.history(inst, "job.failed", j.ElementID,
			map[string]any{"job": j.ID, "retries": retries, "message": msg})}}
		if retries == 0 {
			inc := domain.Incident{ID: newID(), InstanceID: inst.ID, ProcessKey: inst.ProcessKey, ElementID: j.ElementID, EI: j.EI,
				Kind: engine.IncidentJobNoRetries, Message: orText(msg, "the job failed and has no retries left"), JobID: j.ID, Open: true, CreatedAt: r.now}
			w.Incidents = []domain.Incident{inc}
			inst.OpenIncidents++
			r.tx.Publish(domain.IncidentRaised{Incident: inc, At: r.now})
		}
		inst.Rev++
		inst.UpdatedAt = r.now
		return r.tx.Write(r.ctx, w)
	})
}

// ReleaseJob hands a job its holder will not do back to the pool at once, spending no retry: a worker that
// stops says so instead of holding the job until its lease runs out.
func (s *Service) ReleaseJob(ctx context.Context, id string, lease domain.Lease) error {
	return s.inTx(ctx, func(r *run) error {
		j, err := r.lockJob(id, lease)
		if err != nil {
			return err
		}
		j.Worker, j.LeaseUntil, j.DueAt = "", nil, r.now
		return r.tx.UpdateJob(r.ctx, j)
	})
}

// ExtendJobLease gives the lease holder d more, from now.
func (s *Service) ExtendJobLease(ctx context.Context, id string, lease domain.Lease, d time.Duration) (domain.Job, error) {
	if d <= 0 || d > maxLease {
		return domain.Job{}, domain.Invalid("timeout", "must be between 1 ms and 24 h")
	}
	var out domain.Job
	err := s.inTx(ctx, func(r *run) error {
		j, err := r.lockJob(id, lease)
		if err != nil {
			return err
		}
		until := r.now.Add(d)
		j.LeaseUntil, j.DueAt = &until, until
		out = j
		return r.tx.UpdateJob(r.ctx, j)
	})
	return out, err
}

// onJob runs fn on a job its caller holds the lease of, with the job's instance locked first.
func (s *Service) onJob(ctx context.Context, id string, lease domain.Lease, fn func(r *run, inst *domain.Instance, j domain.Job) error) error {
	return s.inTx(ctx, func(r *run) error {
		inst, j, err := r.tx.LockInstanceOfJob(r.ctx, id)
		if apierr.KindOf(err) == apierr.KindNotFound {
			return jobNotFound(id)
		}
		if err != nil {
			return err
		}
		if inst.Ended() {
			return apierr.FailedPrecondition(domain.ReasonInstanceEnded, "the instance has ended ("+string(inst.State)+")")
		}
		if inst.Suspended {
			return suspendedError(inst)
		}
		if err := j.CheckLease(lease, r.now); err != nil {
			return err
		}
		return fn(r, &inst, j)
	})
}

// lockJob locks a job and checks the caller holds its lease.
func (r *run) lockJob(id string, lease domain.Lease) (domain.Job, error) {
	j, err := r.tx.LockJob(r.ctx, id)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return j, jobNotFound(id)
	}
	if err != nil {
		return j, err
	}
	return j, j.CheckLease(lease, r.now)
}

func jobNotFound(id string) error {
	return apierr.NotFound(domain.ReasonJobNotFound, "no job "+quote(id)+" waits: it was completed, or its element was cancelled")
}
