package app

import (
	"context"
	"strconv"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// SignContract records the contract of an award whose standstill is over.
func (s *Service) SignContract(ctx context.Context, actor Actor, awardID string, c domain.Contract) (domain.Contract, error) {
	err := s.inTx(ctx, func(tx Tx) error {
		a, err := tx.Award(ctx, awardID, true)
		if err != nil {
			return err
		}
		t, err := tx.Tender(ctx, a.TenderID, true)
		if err != nil {
			return err
		}
		if err := actor.ofOrg(t.BuyerOrg); err != nil {
			return err
		}
		if a.Status != domain.AwardActive {
			return apierr.FailedPrecondition(domain.ReasonStandstill, "the award is "+a.Status+
				": a contract is signed once the standstill is over and every complaint is resolved")
		}
		if err := domain.CheckContract(a, c); err != nil {
			return err
		}
		now := s.now()
		c.ID, c.TenderID, c.AwardID, c.CompanyID, c.Value, c.Currency, c.Status, c.SignedAt = newID(), t.ID, a.ID, a.CompanyID, a.Value, a.Currency, domain.ContractActive, now
		if c.PayeeKey == "" {
			c.PayeeKey, c.PayeeValue = "functionalId", a.CompanyID
		}
		for i := range c.Milestones {
			c.Milestones[i].ID = c.ID + "-m" + strconv.Itoa(i+1)
			c.Milestones[i].ContractID, c.Milestones[i].Status = c.ID, domain.MilestoneScheduled
		}
		a.Status = domain.AwardContracted
		if err := t.Advance(domain.StatusAwarded, domain.StatusContracted); err != nil {
			return err
		}
		if err := tx.AddContract(ctx, c); err != nil {
			return err
		}
		if err := tx.UpdateAward(ctx, a); err != nil {
			return err
		}
		if err := tx.UpdateTender(ctx, t); err != nil {
			return err
		}
		return s.changed(ctx, tx, domain.Event{Type: domain.EvContractSigned, Tender: t, Award: &a, Contract: &c, At: now}, "contract")
	})
	return c, err
}

// ConfirmDelivery records a milestone delivered; its payment is instructed from the milestone.delivered event.
func (s *Service) ConfirmDelivery(ctx context.Context, actor Actor, contractID, milestoneID string) (domain.Contract, error) {
	var out domain.Contract
	err := s.inTx(ctx, func(tx Tx) error {
		c, err := tx.Contract(ctx, contractID, true)
		if err != nil {
			return err
		}
		t, err := tx.Tender(ctx, c.TenderID, false)
		if err != nil {
			return err
		}
		if err := actor.ofOrg(t.BuyerOrg); err != nil {
			return err
		}
		if t.Status != domain.StatusContracted {
			return apierr.FailedPrecondition(domain.ReasonWrongStatus, "the tender is "+t.Status)
		}
		m, ok := c.Milestone(milestoneID)
		if !ok {
			return domain.NotFound("milestone " + milestoneID)
		}
		if err := m.Deliver(s.now()); err != nil {
			return err
		}
		if err := tx.UpdateContract(ctx, c); err != nil {
			return err
		}
		out = c
		return s.changed(ctx, tx, domain.Event{Type: domain.EvMilestoneDelivered, Tender: t, Contract: &c, MilestoneID: m.ID}, "implementation")
	})
	return out, err
}

// RecordPaymentBatch keeps the Payments batch of a milestone's payment.
func (s *Service) RecordPaymentBatch(ctx context.Context, unit Unit, contractID, milestoneID, batchID string) error {
	return unit(ctx, func(tx Tx) error {
		c, err := tx.Contract(ctx, contractID, true)
		if err != nil {
			return err
		}
		if m, ok := c.Milestone(milestoneID); ok {
			m.PaymentBatchID = batchID
		}
		return tx.UpdateContract(ctx, c)
	})
}

// PaymentSettled is the consumer of Payments' payment.settled for a milestone's payment.
func (s *Service) PaymentSettled(ctx context.Context, unit Unit, milestoneID string, at time.Time) error {
	return unit(ctx, func(tx Tx) error {
		contractID, err := tx.ContractOfMilestone(ctx, milestoneID)
		if err != nil {
			return err
		}
		c, err := tx.Contract(ctx, contractID, true)
		if err != nil {
			return err
		}
		m, ok := c.Milestone(milestoneID)
		if !ok {
			return domain.NotFound("milestone " + milestoneID)
		}
		if !m.Pay(at.UTC().Truncate(time.Microsecond)) {
			return nil
		}
		if c.AllPaid() {
			c.Status = domain.ContractTerminated
		}
		if err := tx.UpdateContract(ctx, c); err != nil {
			return err
		}
		t, err := tx.Tender(ctx, c.TenderID, false)
		if err != nil {
			return err
		}
		return s.changed(ctx, tx, domain.Event{Type: domain.EvMilestonePaid, Tender: t, Contract: &c, MilestoneID: milestoneID}, "implementationUpdate")
	})
}

// ListContracts lists contracts (of one tender when tenderID is set).
func (s *Service) ListContracts(ctx context.Context, tenderID string) ([]domain.Contract, error) {
	var out []domain.Contract
	err := s.inTx(ctx, func(tx Tx) (err error) { out, err = tx.Contracts(ctx, tenderID); return err })
	return out, err
}

// GetContract reads one contract with its milestones.
func (s *Service) GetContract(ctx context.Context, id string) (domain.Contract, error) {
	var out domain.Contract
	err := s.inTx(ctx, func(tx Tx) (err error) { out, err = tx.Contract(ctx, id, false); return err })
	return out, err
}
