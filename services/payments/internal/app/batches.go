package app

import (
	"context"
	"fmt"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// BatchHandOver is a bulk payment as the caller sent it.
type BatchHandOver struct {
	Instructions           []domain.InstructionInput
	ProgramID, Institution string
}

// SubmitBatch accepts a batch: checked (amounts in the currency's scale, one currency, one payer, no
// repeated instruction, none handed over before), stored with its instructions RECEIVED, and left for the
// validation worker. Emits batch.received; audited.
func (s *Service) SubmitBatch(ctx context.Context, a Actor, h BatchHandOver) (domain.Batch, error) {
	if a.CallbackURL != "" {
		if err := domain.CheckCallbackURL(a.CallbackURL); err != nil {
			return domain.Batch{}, err
		}
	}
	in, err := domain.NewBatchInput(h.Instructions, s.opts.MaxBatch)
	if err != nil {
		return domain.Batch{}, err
	}
	now := s.now()
	b := domain.Batch{ID: s.newID(), Tenant: a.Tenant, Client: a.Client, CorrelationID: a.CorrelationID,
		CallbackURL: a.CallbackURL, ProgramID: h.ProgramID, Institution: h.Institution, Payer: in.Payer,
		Currency: in.Currency, Status: domain.BatchReceived, ApprovalsRequired: 1, CreatedAt: now}
	if b.ApprovalsRequired, err = s.approvalsRequired(in); err != nil {
		return domain.Batch{}, err
	}
	for i := range in.Instructions {
		in.Instructions[i].BatchID, in.Instructions[i].Tenant, in.Instructions[i].RailID = b.ID, b.Tenant, s.newID()
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.InsertBatch(ctx, b, in.Instructions); err != nil {
			return err
		}
		tx.Publish(domain.BatchEvent{Kind: domain.BatchEventReceived, Batch: withStats(b, in.Instructions), At: now})
		return tx.Audit(ctx, s.audit(a, "batch.submit", "batch:"+b.ID, map[string]any{
			"instructions": len(in.Instructions), "currency": b.Currency, "payer": b.Payer,
			"total": domain.FormatAmount(total(in.Instructions), b.Currency)}))
	})
	return withStats(b, in.Instructions), err
}

// approvalsRequired is 2 for a batch whose total is above the four-eyes threshold, else 1.
func (s *Service) approvalsRequired(in domain.BatchInput) (int, error) {
	if s.opts.FourEyesAbove == "" {
		return 1, nil
	}
	limit, err := domain.ParseAmount("GOVSTACK_PAYMENTS_FOUR_EYES_ABOVE", s.opts.FourEyesAbove, in.Currency)
	if err != nil {
		return 0, apierr.Wrap(apierr.KindInternal, "CONFIG", "the four-eyes threshold cannot be read in "+in.Currency, err)
	}
	if total(in.Instructions) > limit {
		return 2, nil
	}
	return 1, nil
}

func total(ins []domain.Instruction) int64 {
	var t int64
	for _, in := range ins {
		t += in.Amount
	}
	return t
}

func withStats(b domain.Batch, ins []domain.Instruction) domain.Batch {
	b.Stats = domain.BatchStats{Total: len(ins), Received: len(ins), TotalAmount: total(ins)}
	return b
}

// Batch reads a batch of the caller's tenant.
func (s *Service) Batch(ctx context.Context, a Actor, id string) (domain.Batch, error) {
	if id == "" {
		return domain.Batch{}, apierr.Invalid("BATCH_ID_REQUIRED", "batchId is required",
			apierr.FieldViolation{Field: "batchId", Description: "is required"})
	}
	return s.store.Batch(ctx, a.Tenant, id)
}

// BatchStatuses are the statuses in lifecycle order.
var BatchStatuses = []domain.BatchStatus{domain.BatchReceived, domain.BatchValidated, domain.BatchAwaitingApproval,
	domain.BatchAuthorized, domain.BatchCompleted, domain.BatchRejected}

// CountBatches counts the caller's tenant's batches by status.
func (s *Service) CountBatches(ctx context.Context, a Actor) (map[domain.BatchStatus]int, error) {
	return s.store.CountBatches(ctx, a.Tenant)
}

// BatchInProgress is the current state of the batch a client is handing over under its correlation id: the
// answer to a retry while the first request still runs (Mojaloop's rule: 202 with the current state).
func (s *Service) BatchInProgress(ctx context.Context, a Actor) (domain.Batch, error) {
	b, found, err := s.store.BatchByCorrelation(ctx, a.Tenant, a.Client, a.CorrelationID)
	if err != nil || found {
		return b, err
	}
	return domain.Batch{Status: "RECEIVING"}, nil
}

// BatchDetails pages through a batch's instructions; pageSize is at most 1000 (default 100).
func (s *Service) BatchDetails(ctx context.Context, a Actor, id string, q DetailsQuery) (domain.Batch, []domain.Instruction, error) {
	b, err := s.Batch(ctx, a, id)
	if err != nil {
		return b, nil, err
	}
	status, page, pageSize := q.Status, q.Page, q.PageSize
	switch {
	case pageSize == 0:
		pageSize = 100
	case pageSize < 0 || pageSize > 1000:
		return b, nil, apierr.Invalid("INVALID_PAGE", fmt.Sprintf("pageSize %d: from 1 to 1000", pageSize),
			apierr.FieldViolation{Field: "pageSize", Description: "from 1 to 1000"})
	}
	if page < 0 {
		return b, nil, apierr.Invalid("INVALID_PAGE", "pageNo must not be negative", apierr.FieldViolation{Field: "pageNo", Description: "0 or more"})
	}
	if q.CorrelationID != "" && q.CorrelationID != b.CorrelationID {
		return b, nil, nil // the batch was handed over under another correlation id: nothing of it matches
	}
	ins, err := s.store.Instructions(ctx, b.ID, domain.InstructionStatus(status), page*pageSize, pageSize)
	return b, ins, err
}

// DetailsQuery narrows and pages a batch's details: instructions in Status (all when empty), page Page
// (from 0) of PageSize rows (100 when 0, at most 1000), of the batch only if it was handed over under
// CorrelationID (when given).
type DetailsQuery struct {
	Status         string
	Page, PageSize int
	CorrelationID  string
}

// audit builds an audit entry for the actor.
func (s *Service) audit(a Actor, action, object string, details map[string]any) domain.AuditEntry {
	return domain.AuditEntry{At: s.now(), Tenant: a.Tenant, Client: a.Client, Actor: a.who(), Action: action,
		Object: object, Details: details}
}

// callback queues a callback of kind about subject to url, when the caller gave one.
func (s *Service) callback(ctx context.Context, tx Tx, tenant, url string, kind domain.CallbackKind, subject string) error {
	if url == "" {
		return nil
	}
	now := s.now()
	return tx.Callback(ctx, domain.Callback{ID: s.newID(), Tenant: tenant, URL: url, Kind: kind, Subject: subject,
		NextAttemptAt: now, CreatedAt: now})
}
