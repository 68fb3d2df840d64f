package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// award awards the best-value bid (rank 1) and starts the standstill; every bidder is told its outcome.
func (s *Service) award(ctx context.Context, tenderID string) (map[string]any, error) {
	var awardID string
	err := s.inTx(ctx, func(tx Tx) error {
		if existing, ok, err := tx.AwardOfTender(ctx, tenderID); err != nil || ok {
			awardID = existing.ID
			return err
		}
		t, err := tx.Tender(ctx, tenderID, true)
		if err != nil {
			return err
		}
		if err := t.Advance(domain.StatusEvaluation, domain.StatusAwarded); err != nil {
			return err
		}
		bids, err := tx.Bids(ctx, tenderID)
		if err != nil {
			return err
		}
		now := s.now()
		a := domain.Award{ID: newID(), TenderID: tenderID, Currency: t.Currency, Status: domain.AwardStandstill, DecidedAt: now,
			StandstillEnd: s.Calendar.For(t).AddWorkingDays(now, t.StandstillDays)}
		var outcomes []domain.Outcome
		for _, b := range bids {
			if b.Status != domain.BidEligible && b.Status != domain.BidDisqualified {
				continue
			}
			won := b.Status == domain.BidEligible && b.Rank == 1
			if b.Status == domain.BidEligible {
				b.Status = domain.BidNotAwarded
				if won {
					b.Status, a.BidID, a.CompanyID, a.Value = domain.BidAwarded, b.ID, b.CompanyID, b.Contents.Price
				}
				if err := tx.UpdateBid(ctx, b); err != nil {
					return err
				}
			}
			outcomes = append(outcomes, domain.Outcome{Email: b.SupplierEmail, CompanyID: b.CompanyID, TotalScore: b.TotalScore, Rank: b.Rank, Awarded: won})
		}
		if a.BidID == "" {
			return apierr.FailedPrecondition(domain.ReasonWrongStatus, "tender "+tenderID+" has no ranked bid: combine the scores first")
		}
		if err := tx.UpdateTender(ctx, t); err != nil {
			return err
		}
		if err := tx.AddAward(ctx, a); err != nil {
			return err
		}
		awardID = a.ID
		if err := s.audit(ctx, tx, tenderID, "procurement", "award.decided", "bid:"+a.BidID, "best value: "+a.CompanyID+" at "+a.Value+" "+a.Currency); err != nil {
			return err
		}
		return s.changed(ctx, tx, domain.Event{Type: domain.EvAwardDecided, Tender: t, Award: &a, Outcomes: outcomes, At: now}, "award")
	})
	return map[string]any{"awardId": awardID}, err
}

// StandstillReached is the consumer of the standstill's deadline.reached: the standstill ends now unless a
// complaint is open, in which case it ends when the last one is resolved.
func (s *Service) StandstillReached(ctx context.Context, unit Unit, awardID string) error {
	return unit(ctx, func(tx Tx) error {
		a, err := tx.Award(ctx, awardID, true)
		if err != nil || a.StandstillOver {
			return err
		}
		a.StandstillOver = true
		return s.endStandstill(ctx, tx, a)
	})
}

func (s *Service) endStandstill(ctx context.Context, tx Tx, a domain.Award) error {
	ended := a.EndStandstill()
	if err := tx.UpdateAward(ctx, a); err != nil || !ended {
		return err
	}
	t, err := tx.Tender(ctx, a.TenderID, false)
	if err != nil {
		return err
	}
	return s.changed(ctx, tx, domain.Event{Type: domain.EvAwardStandstillEnded, Tender: t, Award: &a}, "awardUpdate")
}

// FileComplaint records a bidder's complaint during the standstill: the process waits for its resolution.
func (s *Service) FileComplaint(ctx context.Context, actor Actor, awardID, text string) (domain.Complaint, error) {
	if err := actor.supplier(); err != nil {
		return domain.Complaint{}, err
	}
	if err := domain.CheckText("text", text, 8000); err != nil {
		return domain.Complaint{}, err
	}
	c := domain.Complaint{ID: newID(), AwardID: awardID, CompanyID: actor.CompanyID, Text: text, Status: domain.ComplaintOpen, FiledAt: s.now()}
	err := s.inTx(ctx, func(tx Tx) error {
		a, err := tx.Award(ctx, awardID, true)
		if err != nil {
			return err
		}
		if err := a.MayComplain(c.FiledAt); err != nil {
			return err
		}
		if !s.bidder(ctx, tx, a.TenderID, actor.CompanyID) {
			return apierr.PermissionDenied(domain.ReasonNotYours, "only a company that bid on the tender may complain about its award")
		}
		if err := tx.AddComplaint(ctx, c); err != nil {
			return err
		}
		t, err := tx.Tender(ctx, a.TenderID, false)
		if err != nil {
			return err
		}
		tx.Publish(domain.Event{Type: domain.EvComplaintFiled, Tender: t, Award: &a, ComplaintID: c.ID, At: c.FiledAt})
		return s.audit(ctx, tx, a.TenderID, actor.ID, "complaint.filed", "award:"+a.ID, c.Text)
	})
	return c, err
}

func (s *Service) bidder(ctx context.Context, tx Tx, tenderID, companyID string) bool {
	bids, err := tx.Bids(ctx, tenderID)
	for _, b := range bids {
		if err == nil && b.CompanyID == companyID {
			return true
		}
	}
	return false
}

// ResolveComplaint records the buyer's resolution; the standstill ends if it is over and none is left open.
func (s *Service) ResolveComplaint(ctx context.Context, actor Actor, awardID, complaintID, resolution string) (domain.Complaint, error) {
	if err := domain.CheckText("resolution", resolution, 8000); err != nil {
		return domain.Complaint{}, err
	}
	var out domain.Complaint
	err := s.inTx(ctx, func(tx Tx) error {
		a, err := tx.Award(ctx, awardID, true)
		if err != nil {
			return err
		}
		t, err := tx.Tender(ctx, a.TenderID, false)
		if err != nil {
			return err
		}
		if err := actor.ofOrg(t.BuyerOrg); err != nil {
			return err
		}
		for i, c := range a.Complaints {
			if c.ID != complaintID {
				continue
			}
			if c.Status != domain.ComplaintOpen {
				return apierr.FailedPrecondition(domain.ReasonWrongStatus, "the complaint is resolved already")
			}
			c.Status, c.Resolution = domain.ComplaintResolved, resolution
			a.Complaints[i], out = c, c
			if err := tx.UpdateComplaint(ctx, c); err != nil {
				return err
			}
			tx.Publish(domain.Event{Type: domain.EvComplaintResolved, Tender: t, Award: &a, ComplaintID: c.ID, At: s.now()})
			if err := s.audit(ctx, tx, a.TenderID, actor.ID, "complaint.resolved", "complaint:"+c.ID, resolution); err != nil {
				return err
			}
			return s.endStandstill(ctx, tx, a)
		}
		return domain.NotFound("complaint " + complaintID)
	})
	return out, err
}

// ListAwards lists awards (of one tender when tenderID is set).
func (s *Service) ListAwards(ctx context.Context, tenderID string) ([]domain.Award, error) {
	var out []domain.Award
	err := s.inTx(ctx, func(tx Tx) (err error) { out, err = tx.Awards(ctx, tenderID); return err })
	return out, err
}

// GetAward reads one award with its complaints.
func (s *Service) GetAward(ctx context.Context, id string) (domain.Award, error) {
	var out domain.Award
	err := s.inTx(ctx, func(tx Tx) (err error) { out, err = tx.Award(ctx, id, false); return err })
	return out, err
}
