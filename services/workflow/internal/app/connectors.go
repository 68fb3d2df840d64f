package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// Connector does the jobs of well-known types itself (a built-in worker), usually by calling another BB
// through the Information Mediator. It gets the job's headers and the variables its element sees (after
// input mappings) and returns the variables to complete it with.
type Connector interface {
	Types() []string
	Do(ctx context.Context, job ConnectorJob) (ConnectorResult, error)
}

// ConnectorJob is a job as a connector sees it. ID is the job's id: connectors send it as the
// Idempotency-Key of their calls, so a job retried after a crash does not act twice.
type ConnectorJob struct {
	ID, Type, InstanceID, ProcessKey, ElementID string
	Headers                                     map[string]string
	Variables                                   map[string]any
}

// ConnectorResult is what a connector's job produced: variables, and events to publish with the completion.
type ConnectorResult struct {
	Variables map[string]any
	Events    []domain.Event
}

// PermanentError marks a connector failure retrying cannot fix (the job's inputs are wrong): the job gets
// no more retries and an incident says why.
type PermanentError struct{ Err error }

func (e PermanentError) Error() string { return e.Err.Error() }
func (e PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError.
func Permanent(format string, args ...any) error { return PermanentError{fmt.Errorf(format, args...)} }

// connectorLease is how long a connector holds a job: longer than a call through the IM can take.
const connectorLease = 2 * time.Minute

// RunConnectors does the jobs of the connectors' types until ctx is done, long-polling for each type.
func (s *Service) RunConnectors(ctx context.Context, connectors []Connector, log *slog.Logger) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, c := range connectors {
		for _, typ := range c.Types() {
			g.Go(func() error { s.runConnector(gctx, c, typ, log); return nil })
		}
	}
	return g.Wait()
}

func (s *Service) runConnector(ctx context.Context, c Connector, typ string, log *slog.Logger) {
	worker := "connector@" + s.owner
	failures := 0
	for ctx.Err() == nil {
		jobs, err := s.Activate(ctx, ActivateInput{Type: typ, Worker: worker, Max: 10, Lease: connectorLease, Wait: 30 * time.Second})
		if err != nil {
			if ctx.Err() == nil {
				failures++
				log.Warn("connector cannot activate jobs; retrying", "type", typ, "error", err.Error())
				pauseFor(ctx, min(time.Duration(failures)*time.Second, 30*time.Second))
			}
			continue
		}
		failures = 0
		for i, j := range jobs {
			if ctx.Err() != nil || !s.doJob(ctx, c, j, worker, log) {
				s.releaseJobs(jobs[i:], worker, log)
				break
			}
		}
	}
}

// releaseJobs hands back the jobs a stopping connector will not do, so that the next replica (or this one
// started again) does them at once rather than when their two-minute lease runs out. A job whose call was
// cut short is among them: doing it again is safe, as each call carries the job id as its Idempotency-Key.
func (s *Service) releaseJobs(jobs []ActivatedJob, worker string, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, j := range jobs {
		if err := s.ReleaseJob(ctx, j.ID, domain.Lease{Worker: worker, Epoch: j.Epoch}); err != nil {
			log.Warn("a stopping connector could not hand its job back; it waits for its lease", "job", j.ID, "type", j.Type, "error", err.Error())
		}
	}
}

// doJob runs one job through its connector and completes or fails it; false when it stopped before either.
func (s *Service) doJob(ctx context.Context, c Connector, j ActivatedJob, worker string, log *slog.Logger) bool {
	callCtx, cancel := context.WithTimeout(ctx, connectorLease-10*time.Second)
	res, err := c.Do(callCtx, ConnectorJob{ID: j.ID, Type: j.Type, InstanceID: j.InstanceID, ProcessKey: j.ProcessKey,
		ElementID: j.ElementID, Headers: j.Headers, Variables: j.Variables})
	cancel()
	if ctx.Err() != nil {
		return false // stopping: runConnector hands the job back
	}
	lease := domain.Lease{Worker: worker, Epoch: j.Epoch}
	if err == nil {
		err = s.completeJob(ctx, j.ID, lease, res.Variables, res.Events)
		if err != nil {
			log.Warn("connector could not complete its job", "job", j.ID, "type", j.Type, "error", err.Error())
		}
		return true
	}
	retries := j.Retries - 1
	var perm PermanentError
	if errors.As(err, &perm) {
		retries = 0
	}
	backoff := retryBackoff(j.Retries)
	if ferr := s.FailJob(ctx, j.ID, lease, max(retries, 0), err.Error(), backoff); ferr != nil {
		log.Warn("connector could not report a failure", "job", j.ID, "type", j.Type, "error", ferr.Error())
	}
	return true
}

// retryBackoff grows with the retries spent: 2 s, 10 s, 1 min, then 5 min.
func retryBackoff(retriesLeft int) time.Duration {
	steps := []time.Duration{5 * time.Minute, time.Minute, 10 * time.Second, 2 * time.Second}
	return steps[min(max(retriesLeft, 0), len(steps)-1)]
}

func pauseFor(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// PublishEvent is the built-in connector of type govstack-publish-event: it publishes
// govstack.workflow.v1.process.notified with the job's variables (its input mappings choose them), named by
// the header "name" (or the variable "name"), in the transaction that completes the job.
type PublishEvent struct{}

// TypePublishEvent is the job type of PublishEvent.
const TypePublishEvent = "govstack-publish-event"

// Types implements Connector.
func (PublishEvent) Types() []string { return []string{TypePublishEvent} }

// Do implements Connector.
func (PublishEvent) Do(_ context.Context, j ConnectorJob) (ConnectorResult, error) {
	name := j.Headers["name"]
	if n, ok := j.Variables["name"].(string); ok && name == "" {
		name = n
	}
	if name == "" {
		return ConnectorResult{}, Permanent("the event has no name: set the task header \"name\"")
	}
	return ConnectorResult{Events: []domain.Event{domain.ProcessNotified{Name: name, InstanceID: j.InstanceID,
		ProcessKey: j.ProcessKey, ElementID: j.ElementID, Variables: j.Variables}}}, nil
}
