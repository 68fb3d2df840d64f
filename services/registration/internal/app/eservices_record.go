package app

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// recordApplication stores a flow's application file (and its review task) in tx and announces
// application.submitted.
func (s *Service) recordApplication(ctx context.Context, tx Tx, a NewApplication) (fileID, taskID string, err error) {
	a = submittedAs(ctx).over(a)
	svc, err := tx.ServiceByKey(ctx, a.ServiceKey)
	if err != nil {
		return "", "", err
	}
	form, err := tx.LatestEForm(ctx, svc.ID)
	if err != nil {
		return "", "", err
	}
	file := domain.Application{FileID: newID(), ServiceID: svc.ID, ServiceKey: svc.Key, ServiceName: svc.Name,
		ApplicantID: a.ApplicantID, Name: a.ApplicationName, Data: a.Data, EFormID: form.ID, Status: a.Status,
		Ended: a.Ended}
	taskID, err = s.insertApplication(ctx, tx, file, a.ReviewTask)
	return file.FileID, taskID, err
}

// insertApplication submits file, opens task on it when given, and announces application.submitted.
func (s *Service) insertApplication(ctx context.Context, tx Tx, file domain.Application, task *NewTask) (taskID string, err error) {
	ev, err := file.Submit(s.stamp())
	if err != nil {
		return "", err
	}
	if err := tx.AddApplication(ctx, file); err != nil {
		return "", err
	}
	if task != nil {
		taskID = newID()
		t := domain.Task{ID: taskID, FileID: file.FileID, Name: task.Name, Description: task.Description,
			RoleID: task.RoleID, Created: file.Created}
		if err := tx.AddTask(ctx, t); err != nil {
			return "", err
		}
	}
	tx.Publish(ev)
	return taskID, nil
}

// audit records e in tx, so a decision and its audit record commit together.
func (s *Service) audit(ctx context.Context, tx Tx, e domain.AuditEntry) error {
	if e.ActorID == "" || e.Action == "" {
		return errors.New("audit: an entry needs an actor and an action")
	}
	e.At = s.stamp()
	return tx.AddAudit(ctx, e)
}

// submitter is what a GovStack client said about its application when it submitted to a service that runs a
// flow (an account service): the flow records the file, and the client's applicantId and applicationName
// are kept on it rather than the flow's defaults (issue 11). It travels in the context from SubmitApplication
// to recordApplication, through flows that know nothing of it.
type submitter struct{ applicantID, applicationName string }

type submitterKey struct{}

func withSubmitter(ctx context.Context, sub Submission) context.Context {
	return context.WithValue(ctx, submitterKey{}, submitter{applicantID: sub.ApplicantID, applicationName: sub.ApplicationName})
}

func submittedAs(ctx context.Context) submitter {
	s, _ := ctx.Value(submitterKey{}).(submitter)
	return s
}

// over puts what the client gave over the flow's defaults.
func (s submitter) over(a NewApplication) NewApplication {
	if s.applicantID != "" {
		a.ApplicantID = s.applicantID
	}
	if s.applicationName != "" {
		a.ApplicationName = s.applicationName
	}
	return a
}
