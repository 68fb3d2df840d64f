package app

import (
	"context"
	"encoding/json"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/seal"
)

// SubmitBid seals and stores a supplier's bid. The company is checked in the companies registry first
// (outside the transaction: a call to another BB holds no locks).
func (s *Service) SubmitBid(ctx context.Context, a Actor, tenderID string, c domain.BidContents) (domain.Bid, error) {
	if err := a.supplier(); err != nil {
		return domain.Bid{}, err
	}
	if err := c.Check(); err != nil {
		return domain.Bid{}, err
	}
	if err := s.companyActive(ctx, a.CompanyID); err != nil {
		return domain.Bid{}, err
	}
	now := s.now()
	b := domain.Bid{ID: newID(), TenderID: tenderID, CompanyID: a.CompanyID, SupplierID: a.ID, SupplierEmail: a.Email,
		Status: domain.BidSubmitted, SubmittedAt: now, UpdatedAt: now}
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := tx.Tender(ctx, tenderID, false)
		if err != nil {
			return err
		}
		if err := t.TakesBids(now); err != nil {
			return err
		}
		if b.Sealed, err = s.seal(ctx, tx, tenderID, b.ID, c); err != nil {
			return err
		}
		if err := tx.AddBid(ctx, b); err != nil {
			if apierr.KindOf(err) == apierr.KindAlreadyExists {
				return apierr.AlreadyExists(domain.ReasonDuplicateBid, "your company has a bid on this tender already: change it (PUT) or withdraw it")
			}
			return err
		}
		// The sealed bid count changes: a tenderUpdate release publishes it (never who bid, nor for how much).
		return s.changed(ctx, tx, domain.Event{Type: domain.EvBidSubmitted, Tender: t, Bid: &b, At: now}, "tenderUpdate")
	})
	return b, err
}

// UpdateBid replaces a bid's sealed contents before the deadline.
func (s *Service) UpdateBid(ctx context.Context, a Actor, tenderID, bidID string, c domain.BidContents) (domain.Bid, error) {
	if err := a.supplier(); err != nil {
		return domain.Bid{}, err
	}
	if err := c.Check(); err != nil {
		return domain.Bid{}, err
	}
	return s.changeBid(ctx, a, tenderID, bidID, domain.EvBidUpdated, func(tx Tx, b *domain.Bid) (err error) {
		if b.Status != domain.BidSubmitted {
			return apierr.FailedPrecondition(domain.ReasonWrongStatus, "the bid is "+b.Status)
		}
		b.Sealed, err = s.seal(ctx, tx, tenderID, b.ID, c)
		return err
	})
}

// WithdrawBid withdraws a bid before the deadline.
func (s *Service) WithdrawBid(ctx context.Context, a Actor, tenderID, bidID string) (domain.Bid, error) {
	if err := a.supplier(); err != nil {
		return domain.Bid{}, err
	}
	return s.changeBid(ctx, a, tenderID, bidID, domain.EvBidWithdrawn, func(_ Tx, b *domain.Bid) error { return b.Withdraw(s.now()) })
}

func (s *Service) changeBid(ctx context.Context, a Actor, tenderID, bidID, kind string, change func(Tx, *domain.Bid) error) (domain.Bid, error) {
	var out domain.Bid
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := tx.Tender(ctx, tenderID, false)
		if err != nil {
			return err
		}
		if err := t.TakesBids(s.now()); err != nil {
			return err
		}
		b, err := tx.Bid(ctx, tenderID, bidID, true)
		if err != nil {
			return err
		}
		if err := b.Owned(a.CompanyID); err != nil {
			return err
		}
		if err := change(tx, &b); err != nil {
			return err
		}
		b.UpdatedAt = s.now()
		if err := tx.UpdateBid(ctx, b); err != nil {
			return err
		}
		out = b
		return s.changed(ctx, tx, domain.Event{Type: kind, Tender: t, Bid: &b, At: b.UpdatedAt}, "tenderUpdate")
	})
	return out, err
}

// seal encrypts the contents to the tender's public key.
func (s *Service) seal(ctx context.Context, tx Tx, tenderID, bidID string, c domain.BidContents) ([]byte, error) {
	public, _, err := tx.Seal(ctx, tenderID)
	if err != nil {
		return nil, err
	}
	plain, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return seal.Seal(public, bidID, plain)
}

// companyActive checks the company in the companies registry.
func (s *Service) companyActive(ctx context.Context, companyID string) error {
	status, found, err := s.Registries.CompanyStatus(ctx, companyID)
	if err != nil {
		return err
	}
	if !found || status != "active" {
		return apierr.FailedPrecondition(domain.ReasonCompanyInactive, "company "+companyID+
			" is not registered and active in the companies registry: it cannot bid")
	}
	return nil
}

// ListBids lists a tender's bids: a supplier its own, the buyer's organisation all (sealed until opened).
func (s *Service) ListBids(ctx context.Context, a Actor, tenderID string) ([]domain.Bid, error) {
	var out []domain.Bid
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := tx.Tender(ctx, tenderID, false)
		if err != nil {
			return err
		}
		bids, err := tx.Bids(ctx, tenderID)
		if err != nil {
			return err
		}
		if a.has(RoleSupplier) && a.CompanyID != "" {
			for _, b := range bids {
				if b.CompanyID == a.CompanyID {
					out = append(out, b)
				}
			}
			return nil
		}
		if err := a.ofOrg(t.BuyerOrg); err != nil {
			return err
		}
		out = bids
		return nil
	})
	return out, err
}

// ListMyBids lists the supplier's company's own bids across tenders, newest first; never another company's.
func (s *Service) ListMyBids(ctx context.Context, a Actor, q domain.BidQuery) ([]SupplierBid, error) {
	if err := a.supplier(); err != nil {
		return nil, err
	}
	var out []SupplierBid
	err := s.inTx(ctx, func(tx Tx) (err error) {
		out, err = tx.SupplierBids(ctx, a.CompanyID, q)
		return err
	})
	return out, err
}
