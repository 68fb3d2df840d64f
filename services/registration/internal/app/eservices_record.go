package app

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// recordApplication stores a flow's application file (and its review task) in tx and writes
// application.submitted to the outbox.
func (s *Service) recordApplication(ctx context.Context, tx pgx.Tx, a NewApplication) (fileID, taskID string, err error) {
	return "", "", errors.New("recordApplication: not implemented yet")
}

// setApplicationStatus moves a flow's application file to status (ended when final) in tx, e.g. a buyer
// account application to APPROVED when the account is activated.
func (s *Service) setApplicationStatus(ctx context.Context, tx pgx.Tx, fileID, status string, ended bool) error {
	return errors.New("setApplicationStatus: not implemented yet")
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
	return errors.New("audit: not implemented yet")
}
