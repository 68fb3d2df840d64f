package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/outbox"
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
)

// recordApplication stores a flow's application file (and its review task) in tx and writes
// application.submitted to the outbox.
func (s *Service) recordApplication(ctx context.Context, tx pgx.Tx, a NewApplication) (fileID, taskID string, err error) {
	a = submittedAs(ctx).over(a)
	svc, err := store.GetServiceByKey(ctx, tx, a.ServiceKey)
	if err != nil {
		return "", "", err
	}
	form, err := store.LatestEForm(ctx, tx, svc.ID)
	if err != nil {
		return "", "", err
	}
	status := a.Status
	if status == "" {
		status = domain.StatusPending
	}
	now := s.stamp()
	file := domain.Application{FileID: newID(), ServiceID: svc.ID, ServiceKey: svc.Key, ServiceName: svc.Name,
		ApplicantID: a.ApplicantID, Name: a.ApplicationName, Data: a.Data, EFormID: form.ID, Status: status,
		Ended: a.Ended, Created: now, Registered: now, Updated: now}
	taskID, err = s.insertApplication(ctx, tx, file, a.ReviewTask)
	return file.FileID, taskID, err
}

// insertApplication stores file, opens task on it when given, and announces application.submitted.
func (s *Service) insertApplication(ctx context.Context, tx pgx.Tx, file domain.Application, task *NewTask) (taskID string, err error) {
	if err := store.InsertApplication(ctx, tx, file); err != nil {
		return "", err
	}
	if task != nil {
		taskID = newID()
		t := domain.Task{ID: taskID, FileID: file.FileID, Name: task.Name, Description: task.Description,
			RoleID: task.RoleID, Created: file.Created}
		if err := store.InsertTask(ctx, tx, t); err != nil {
			return "", err
		}
	}
	return taskID, s.announce(ctx, tx, EventApplicationSubmitted, file, "", "")
}

// announce writes an application event about file to the outbox.
func (s *Service) announce(ctx context.Context, tx pgx.Tx, eventType string, file domain.Application, comment, operator string) error {
	return outbox.Add(ctx, tx, outbox.Event{Type: eventType, Source: eventSource, Subject: file.FileID,
		Payload: &registrationv1.ApplicationEvent{FileId: file.FileID, ServiceId: file.ServiceID,
			ServiceName: file.ServiceName, ApplicantId: file.ApplicantID, Status: file.Status, Comment: comment,
			OperatorId: operator, OccurredAt: timestamppb.New(s.now())}})
}

// setApplicationStatus moves a flow's application file to status (ended when final) in tx, e.g. a buyer
// account application to APPROVED when the account is activated.
func (s *Service) setApplicationStatus(ctx context.Context, tx pgx.Tx, fileID, status string, ended bool) error {
	switch status {
	case domain.StatusPending, domain.StatusApproved, domain.StatusRejected, domain.StatusSendBack:
	default:
		return fmt.Errorf("setApplicationStatus: unknown status %q", status)
	}
	return store.SetApplicationStatus(ctx, tx, fileID, status, ended, s.stamp())
}

// AuditEntry is one administrator or operator decision, kept in the audit table.
type AuditEntry struct {
	ActorID string         // the deciding account
	Action  string         // e.g. "task.complete", "application.update", "staff.bulk_register"
	Subject string         // what it was about: a file id, task id, hospital id
	Detail  map[string]any // the decision's data (no passwords or tokens)
}

// audit records e in tx, so a decision and its audit record commit together.
func (s *Service) audit(ctx context.Context, tx pgx.Tx, e AuditEntry) error {
	if e.ActorID == "" || e.Action == "" {
		return errors.New("audit: an entry needs an actor and an action")
	}
	return store.InsertAudit(ctx, tx, store.AuditRecord{At: s.stamp(), ActorID: e.ActorID, Action: e.Action,
		Subject: e.Subject, Detail: e.Detail})
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
