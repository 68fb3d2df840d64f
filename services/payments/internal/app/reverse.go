package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// ReversePayment gives a settled payment back: an approver asks, the rail reverses it (under its rail id),
// and in one transaction the ledger moves its amount from the rail account back to the batch payer's
// funding account (the transfer's id is the payment's, so it happens once) and the payment is REVERSED.
// Emits payment.reversed; audited.
func (s *Service) ReversePayment(ctx context.Context, a Actor, id, reason string) (domain.Instruction, error) {
	if _, err := s.approver(a); err != nil {
		return domain.Instruction{}, err
	}
	if reason == "" {
		return domain.Instruction{}, apierr.Invalid("REASON_REQUIRED", "say why the payment is reversed",
			apierr.FieldViolation{Field: "reason", Description: "is required"})
	}
	var in domain.Instruction
	if err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		if in, err = tx.LockInstruction(ctx, a.Tenant, id); err == nil && in.Status != domain.InstructionCompleted {
			err = apierr.FailedPrecondition("NOT_REVERSIBLE", "payment "+id+" is "+string(in.Status)+"; only a settled payment can be reversed")
		}
		return err
	}); err != nil {
		return in, err
	}
	r, ok := s.rails[in.Rail]
	if !ok {
		return in, apierr.Unavailable("NO_RAIL", "the rail of payment "+id+" is not configured")
	}
	if _, err := r.Reverse(ctx, in.RailID, reason); err != nil {
		return in, apierr.Wrap(apierr.KindFailedPrecondition, "RAIL_REFUSED_REVERSAL", "the rail did not reverse payment "+id, err)
	}
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		if in, err = tx.LockInstruction(ctx, a.Tenant, id); err != nil {
			return err
		}
		now := s.now()
		if err := in.Reverse(reason, now); err != nil {
			return err
		}
		b, err := tx.LockBatch(ctx, in.Tenant, in.BatchID)
		if err != nil {
			return err
		}
		railAcct, err := tx.EnsureAccount(ctx, domain.Account{Tenant: in.Tenant, Code: domain.RailCode(in.Rail), Currency: in.Currency})
		if err != nil {
			return err
		}
		funding, err := tx.EnsureAccount(ctx, domain.Account{Tenant: in.Tenant, Code: domain.FundingCode(b.Payer), Currency: in.Currency,
			DebitsMustNotExceedCredits: true})
		if err != nil {
			return err
		}
		if _, err := tx.ApplyTransfers(ctx, now, domain.Transfer{ID: "reverse:" + in.RailID, Tenant: in.Tenant, Kind: domain.TransferPosted,
			DebitAccount: railAcct.ID, CreditAccount: funding.ID, Amount: in.Amount, Currency: in.Currency,
			Reference: "instruction:" + in.RailID}); err != nil {
			return err
		}
		for _, ev := range paymentEvents(in, domain.InstructionCompleted, now) {
			tx.Publish(ev)
		}
		if err := tx.UpdateInstructions(ctx, []domain.Instruction{in}, now); err != nil {
			return err
		}
		return tx.Audit(ctx, s.audit(a, "payment.reverse", "payment:"+in.ID, map[string]any{"batch": in.BatchID, "reason": reason,
			"amount": domain.FormatAmount(in.Amount, in.Currency)}))
	})
	return in, err
}
