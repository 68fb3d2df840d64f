package app

import (
	"context"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// CompleteDone completes authorised batches with no payment left to make or settle: what was reserved for
// payments that failed goes back from the clearing account to the funding account in one transfer, the
// batch is COMPLETED, batch.completed is published and its status pushed. It returns how many it completed.
func (s *Service) CompleteDone(ctx context.Context) (int, error) {
	bs, err := s.store.BatchesToComplete(ctx, 50)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range bs {
		err := s.store.InTx(ctx, func(tx Tx) error {
			b, err := tx.LockBatch(ctx, b.Tenant, b.ID)
			if err != nil || b.Status != domain.BatchAuthorized || b.Stats.Ongoing > 0 || b.Stats.Valid > 0 {
				return err
			}
			now := s.now()
			if left := b.Stats.ValidAmount - b.Stats.CompletedAmount; left > 0 {
				funding, err := tx.EnsureAccount(ctx, domain.Account{Tenant: b.Tenant, Code: domain.FundingCode(b.Payer),
					Currency: b.Currency, DebitsMustNotExceedCredits: true})
				if err != nil {
					return err
				}
				// The clearing account may not be overdrawn: were this amount wrong, the ledger would refuse it.
				b.ReleaseTransferID = "release:" + b.ID
				if _, err := tx.ApplyTransfers(ctx, now, domain.Transfer{ID: b.ReleaseTransferID, Tenant: b.Tenant,
					Kind: domain.TransferPosted, DebitAccount: b.ClearingAccountID, CreditAccount: funding.ID, Amount: left,
					Currency: b.Currency, Reference: "batch:" + b.ID}); err != nil {
					return err
				}
			}
			b.Complete(now)
			if err := tx.UpdateBatch(ctx, b); err != nil {
				return err
			}
			tx.Publish(domain.BatchEvent{Kind: domain.BatchEventCompleted, Batch: b, At: now})
			n++
			return s.callback(ctx, tx, b.Tenant, b.CallbackURL, domain.CallbackBatch, b.ID)
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
