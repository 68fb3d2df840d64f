package app

import (
	"context"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"
)

// RunWorker does procurement's service tasks of the process until ctx is done: one long-polling loop per job
// type, asking Workflow (through the IM) for jobs, doing each, completing or failing it.
func (s *Service) RunWorker(ctx context.Context, worker string) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, jt := range JobTypes {
		g.Go(func() error { s.workLoop(gctx, worker, jt); return nil })
	}
	return g.Wait()
}

func (s *Service) workLoop(ctx context.Context, worker, jobType string) {
	pause := time.Duration(0)
	var down outage
	for ctx.Err() == nil {
		if pause > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
		}
		jobs, err := s.Workflow.ActivateJobs(ctx, jobType, worker, 10, 10*time.Second)
		if err != nil {
			if ctx.Err() == nil {
				down.failed(s.Logger, jobType, err)
			}
			pause = min(max(2*pause, 500*time.Millisecond), 30*time.Second) // Workflow or the IM is down: back off
			continue
		}
		down.recovered(s.Logger, jobType)
		pause = 0
		for _, j := range jobs {
			s.doJob(ctx, worker, j)
		}
	}
}

// outageWarning is how long activation may fail before it is a warning: the IM or Workflow restarting (a
// rolling update, or govstack dev stopping its IM first) is over sooner.
const outageWarning = 30 * time.Second

// outage is one work loop's run of failed activations, logged when it starts (info), when it has lasted
// outageWarning (a warning) and when it ends — not once per retry.
type outage struct {
	since  time.Time
	warned bool
}

func (o *outage) failed(log *slog.Logger, jobType string, err error) {
	switch {
	case o.since.IsZero():
		o.since = time.Now()
		log.Info("cannot activate jobs through the IM; retrying with backoff", "type", jobType, "err", err)
	case !o.warned && time.Since(o.since) >= outageWarning:
		o.warned = true
		log.Warn("cannot activate jobs through the IM for "+outageWarning.String()+": is Workflow or the IM down?",
			"type", jobType, "err", err)
	}
}

func (o *outage) recovered(log *slog.Logger, jobType string) {
	if !o.since.IsZero() {
		log.Info("activating jobs again", "type", jobType, "after", time.Since(o.since).Round(time.Second).String())
	}
	*o = outage{}
}

func (s *Service) doJob(ctx context.Context, worker string, j Job) {
	vars, err := s.DoJob(ctx, j)
	if err == nil {
		err = s.Workflow.CompleteJob(ctx, j, worker, vars)
		if err != nil {
			s.Logger.Warn("complete job", "job", j.Key, "type", j.Type, "err", err)
		}
		return
	}
	s.Logger.Warn("job failed", "job", j.Key, "type", j.Type, "err", err)
	retries := max(j.Retries-1, 0)
	if ferr := s.Workflow.FailJob(ctx, j, worker, retries, err.Error(), 2*time.Second); ferr != nil {
		s.Logger.Warn("fail job", "job", j.Key, "err", ferr)
	}
}
