package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Authorization is a funds authorisation request.
type Authorization struct {
	BatchID, Payer, Currency, Amount string
}

// AuthorizeFunds records an approver's yes and, once the batch has the approvals it needs (two people above
// the four-eyes threshold), reserves its valid total: one transfer from funding:<payer> to the batch's own
// clearing account. Funds short: the batch is REJECTED (authorized N). The caller must be signed in with an
// approver role. Emits payment.reserved and batch.authorized (or batch.rejected); pushes the authorisation
// and batch status callbacks; audited.
func (s *Service) AuthorizeFunds(ctx context.Context, a Actor, req Authorization) (domain.Batch, error) {
	approver, err := s.approver(a)
	if err != nil {
		return domain.Batch{}, err
	}
	var out domain.Batch
	err = s.store.InTx(ctx, func(tx Tx) error {
		b, err := tx.LockBatch(ctx, a.Tenant, req.BatchID)
		if err != nil {
			return err
		}
		if err := s.checkAuthorization(b, req); err != nil {
			return err
		}
		b.Payer, b.AuthCorrelationID = req.Payer, a.CorrelationID
		if a.CallbackURL != "" {
			b.CallbackURL = a.CallbackURL
		}
		ready, err := b.Approve(approver)
		if err != nil {
			return err
		}
		if err := tx.Audit(ctx, s.audit(a, "batch.approve", "batch:"+b.ID, map[string]any{
			"approval": len(b.Approvals), "of": b.ApprovalsRequired, "amount": req.Amount, "currency": b.Currency})); err != nil {
			return err
		}
		if ready {
			if err := s.reserve(ctx, tx, &b); err != nil {
				return err
			}
		}
		out = b
		return tx.UpdateBatch(ctx, b)
	})
	return out, err
}

// approver is the signed-in person authorising, who must hold an approver role.
func (s *Service) approver(a Actor) (domain.Approval, error) {
	if a.User == nil {
		return domain.Approval{}, apierr.Unauthenticated("APPROVER_REQUIRED",
			"authorising a batch needs a signed-in approver: send Authorization: Bearer <access token>")
	}
	for _, r := range a.User.Roles {
		if slices.Contains(s.opts.ApproverRoles, r) {
			return domain.Approval{Subject: a.User.Subject, Name: a.User.Name, At: s.now()}, nil
		}
	}
	return domain.Approval{}, apierr.PermissionDenied("NOT_AN_APPROVER",
		fmt.Sprintf("authorising a batch needs one of the roles %v; the signed-in account has %v", s.opts.ApproverRoles, a.User.Roles))
}

// checkAuthorization holds the request to the batch: same currency, same payer, its valid total.
func (s *Service) checkAuthorization(b domain.Batch, req Authorization) error {
	if req.BatchID == "" || req.Payer == "" {
		return apierr.Invalid("INVALID_AUTHORIZATION", "batchId and payerIdentifier are required",
			apierr.FieldViolation{Field: "payerIdentifier", Description: "the funding account to debit"})
	}
	if req.Currency != b.Currency {
		return apierr.Invalid(domain.ReasonCurrencyMismatch, fmt.Sprintf("the batch is in %s, not %q", b.Currency, req.Currency),
			apierr.FieldViolation{Field: "currency", Description: "must be the batch's currency, " + b.Currency})
	}
	if b.Payer != "" && b.Payer != req.Payer {
		return apierr.Invalid("PAYER_MISMATCH", fmt.Sprintf("the batch's instructions name payer %q, not %q", b.Payer, req.Payer),
			apierr.FieldViolation{Field: "payerIdentifier", Description: "must be the payer the instructions name"})
	}
	amount, err := domain.ParseAmount("amount", req.Amount, b.Currency)
	if err != nil && b.Stats.ValidAmount > 0 {
		return err
	}
	if b.Stats.Received == 0 && amount != b.Stats.ValidAmount {
		return apierr.Invalid(domain.ReasonAmountMismatch, fmt.Sprintf("the batch's valid instructions total %s %s, not %s",
			domain.FormatAmount(b.Stats.ValidAmount, b.Currency), b.Currency, req.Amount),
			apierr.FieldViolation{Field: "amount", Description: "must be the total of the batch's valid instructions, " +
				domain.FormatAmount(b.Stats.ValidAmount, b.Currency)})
	}
	return nil
}

// reserve moves the batch's valid total from the payer's funding account to the batch's clearing account.
func (s *Service) reserve(ctx context.Context, tx Tx, b *domain.Batch) error {
	now := s.now()
	funding, err := tx.EnsureAccount(ctx, domain.Account{Tenant: b.Tenant, Code: domain.FundingCode(b.Payer),
		Currency: b.Currency, DebitsMustNotExceedCredits: true})
	if err != nil {
		return err
	}
	clearing, err := tx.EnsureAccount(ctx, domain.Account{Tenant: b.Tenant, Code: b.ClearingCode(), Currency: b.Currency,
		DebitsMustNotExceedCredits: true})
	if err != nil {
		return err
	}
	b.ClearingAccountID = clearing.ID
	if b.Stats.ValidAmount > 0 {
		t := domain.Transfer{ID: "reserve:" + b.ID, Tenant: b.Tenant, Kind: domain.TransferPosted, DebitAccount: funding.ID,
			CreditAccount: clearing.ID, Amount: b.Stats.ValidAmount, Currency: b.Currency, Reference: "batch:" + b.ID}
		if _, err := tx.TryTransfers(ctx, now, t); err != nil {
			if apierr.KindOf(err) != apierr.KindFailedPrecondition {
				return err
			}
			e, _ := apierr.As(err)
			b.Authorize(false, e.Message, now)
			tx.Publish(domain.BatchEvent{Kind: domain.BatchEventRejected, Batch: *b, At: now})
			return s.authorizationCallbacks(ctx, tx, *b)
		}
		b.ClearingTransferID = t.ID
	}
	b.Authorize(true, "funds reserved", now)
	tx.Publish(domain.PaymentEvent{Kind: domain.PaymentReserved, Tenant: b.Tenant, PaymentID: b.ID, BatchID: b.ID,
		Amount: b.Stats.ValidAmount, Currency: b.Currency, At: now},
		domain.BatchEvent{Kind: domain.BatchEventAuthorized, Batch: *b, At: now})
	return s.authorizationCallbacks(ctx, tx, *b)
}

func (s *Service) authorizationCallbacks(ctx context.Context, tx Tx, b domain.Batch) error {
	if err := s.callback(ctx, tx, b.Tenant, b.CallbackURL, domain.CallbackAuthorization, b.ID); err != nil {
		return err
	}
	return s.callback(ctx, tx, b.Tenant, b.CallbackURL, domain.CallbackBatch, b.ID)
}
