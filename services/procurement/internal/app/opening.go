package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/seal"
)

// OpenBids is the consumer of the tender period's deadline.reached: the only place the tender's key is
// unwrapped. It opens every submitted bid, records that the key was used, and publishes tender.bids_opened
// with its OCDS release (the first to carry bid contents). A tender already opened, or cancelled, is left as
// it is (a redelivered event).
func (s *Service) OpenBids(ctx context.Context, unit Unit, tenderID string) error {
	return unit(ctx, func(tx Tx) error {
		t, err := tx.Tender(ctx, tenderID, true)
		if err != nil {
			return err
		}
		if t.Status != domain.StatusActive {
			return nil
		}
		now := s.now()
		if err := t.Open(now); err != nil {
			return err // Scheduling's clock ahead of ours: the event is redelivered after a backoff
		}
		_, wrapped, err := tx.Seal(ctx, tenderID)
		if err != nil {
			return err
		}
		key, err := s.Keys.Unwrap(tenderID, wrapped)
		if err != nil {
			return fmt.Errorf("tender %s: unwrap its key: %w", tenderID, err)
		}
		if err := tx.MarkKeyUnwrapped(ctx, tenderID, now); err != nil {
			return err
		}
		bids, err := tx.Bids(ctx, tenderID)
		if err != nil {
			return err
		}
		for _, b := range bids {
			if b.Status != domain.BidSubmitted {
				continue // withdrawn bids stay sealed
			}
			plain, err := seal.Open(key, b.ID, b.Sealed)
			if err != nil {
				return fmt.Errorf("bid %s: %w", b.ID, err)
			}
			if err := json.Unmarshal(plain, &b.Contents); err != nil {
				return fmt.Errorf("bid %s: %w", b.ID, err)
			}
			b.Opened = true
			if err := tx.UpdateBid(ctx, b); err != nil {
				return err
			}
		}
		if err := tx.UpdateTender(ctx, t); err != nil {
			return err
		}
		if err := tx.Audit(ctx, domain.AuditEntry{TenderID: tenderID, Actor: "procurement", Action: "bids.opened",
			Subject: "tender:" + tenderID, Detail: fmt.Sprintf("%d bids opened at the end of the tender period", countOpened(bids)), At: now}); err != nil {
			return err
		}
		return s.changed(ctx, tx, domain.Event{Type: domain.EvTenderBidsOpened, Tender: t, At: now}, "tenderUpdate")
	})
}

func countOpened(bids []domain.Bid) int {
	n := 0
	for _, b := range bids {
		if b.Status == domain.BidSubmitted {
			n++
		}
	}
	return n
}
