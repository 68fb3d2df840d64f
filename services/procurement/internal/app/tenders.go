package app

import (
	"context"
	"strconv"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// CreateTender drafts a tender for the buyer's organisation.
func (s *Service) CreateTender(ctx context.Context, a Actor, t domain.Tender) (domain.Tender, error) {
	if err := a.buyer(); err != nil {
		return domain.Tender{}, err
	}
	if err := t.CheckDraft(); err != nil {
		return domain.Tender{}, err
	}
	t.ID = newID()
	t.OCID = s.OCIDPrefix + "-" + t.ID
	t.Status, t.BuyerOrg, t.BuyerID, t.BuyerEmail, t.CreatedAt = domain.StatusDraft, a.Org, a.ID, a.Email, s.now()
	numberParts(&t)
	err := s.inTx(ctx, func(tx Tx) error {
		if err := tx.CreateTender(ctx, t); err != nil {
			return err
		}
		tx.Publish(domain.Event{Type: domain.EvTenderDrafted, Tender: t, At: t.CreatedAt})
		return nil
	})
	return t, err
}

// numberParts gives items, lots and criteria without an id one by position.
func numberParts(t *domain.Tender) {
	for i := range t.Items {
		if t.Items[i].ID == "" {
			t.Items[i].ID = "item-" + strconv.Itoa(i+1)
		}
	}
	for i := range t.Lots {
		if t.Lots[i].ID == "" {
			t.Lots[i].ID = "lot-" + strconv.Itoa(i+1)
		}
	}
	for i := range t.Criteria {
		if t.Criteria[i].ID == "" {
			t.Criteria[i].ID = t.Criteria[i].Kind + "-" + strconv.Itoa(i+1)
		}
	}
}

// UpdateTender replaces a draft's contents.
func (s *Service) UpdateTender(ctx context.Context, a Actor, id string, in domain.Tender) (domain.Tender, error) {
	if err := in.CheckDraft(); err != nil {
		return domain.Tender{}, err
	}
	var out domain.Tender
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := s.buyersTender(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if t.Status != domain.StatusDraft {
			return apierr.FailedPrecondition(domain.ReasonWrongStatus, "only a draft can be changed; this tender is "+t.Status)
		}
		in.ID, in.OCID, in.Status, in.BuyerOrg, in.BuyerID, in.BuyerEmail, in.CreatedAt = t.ID, t.OCID, t.Status, t.BuyerOrg, t.BuyerID, t.BuyerEmail, t.CreatedAt
		numberParts(&in)
		out = in
		return tx.UpdateTender(ctx, in)
	})
	return out, err
}

// GetTender reads a tender: a draft only for its buyer's organisation.
func (s *Service) GetTender(ctx context.Context, a Actor, id string) (domain.Tender, error) {
	var t domain.Tender
	err := s.inTx(ctx, func(tx Tx) (err error) {
		t, err = tx.Tender(ctx, id, false)
		return err
	})
	if err == nil && t.Status == domain.StatusDraft && a.ofOrg(t.BuyerOrg) != nil {
		return domain.Tender{}, domain.NotFound("tender " + id)
	}
	return t, err
}

// ListTenders lists published tenders and the caller's organisation's drafts that q selects, newest first.
func (s *Service) ListTenders(ctx context.Context, a Actor, q domain.TenderQuery) ([]domain.Tender, error) {
	org := ""
	if a.has(RoleBuyer) {
		org = a.Org
	}
	var out []domain.Tender
	err := s.inTx(ctx, func(tx Tx) (err error) {
		out, err = tx.ListTenders(ctx, org, q)
		return err
	})
	return out, err
}

// PublishTender validates the draft, sets its periods and its sealing key, and publishes it. Starting the
// process in Workflow and setting the deadlines in Scheduling follow from the tender.published event
// (effects.go), so a BB that is down delays them without losing them.
func (s *Service) PublishTender(ctx context.Context, a Actor, id string) (domain.Tender, error) {
	var out domain.Tender
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := s.buyersTender(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if err := t.Publish(s.now(), s.Calendar); err != nil {
			return err
		}
		public, wrapped, err := s.Keys.TenderKey(t.ID)
		if err != nil {
			return err
		}
		if err := tx.SetSeal(ctx, t.ID, public, wrapped); err != nil {
			return err
		}
		if err := tx.UpdateTender(ctx, t); err != nil {
			return err
		}
		out = t
		return s.changed(ctx, tx, domain.Event{Type: domain.EvTenderPublished, Tender: t}, "tender")
	})
	return out, err
}

// CancelTender cancels a tender at any stage; the bidders and followers are told, the process ends.
func (s *Service) CancelTender(ctx context.Context, a Actor, id, reason string) (domain.Tender, error) {
	var out domain.Tender
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := s.buyersTender(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if err := t.Cancel(reason); err != nil {
			return err
		}
		if err := s.cancelAward(ctx, tx, t.ID); err != nil {
			return err
		}
		if err := tx.UpdateTender(ctx, t); err != nil {
			return err
		}
		out = t
		notify, err := tx.Followers(ctx, t.ID)
		if err != nil {
			return err
		}
		return s.changed(ctx, tx, domain.Event{Type: domain.EvTenderCancelled, Tender: t, Notify: notify}, "tenderCancellation")
	})
	return out, err
}

func (s *Service) cancelAward(ctx context.Context, tx Tx, tenderID string) error {
	aw, ok, err := tx.AwardOfTender(ctx, tenderID)
	if err != nil || !ok {
		return err
	}
	aw.Status = domain.AwardCancelled
	return tx.UpdateAward(ctx, aw)
}

// changed publishes a lifecycle event and appends its OCDS release, in the change's transaction.
func (s *Service) changed(ctx context.Context, tx Tx, e domain.Event, tags ...string) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	tx.Publish(e)
	r, err := s.release(ctx, tx, e, tags)
	if err != nil {
		return err
	}
	return tx.AddRelease(ctx, r)
}
