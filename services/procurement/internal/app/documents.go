package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// The files a tender or a bid refers to are uploaded to the Registration BB's document store, which lets a
// person read only what they uploaded. Procurement knows who may read them as part of a tender or a bid, so
// it serves them: it checks the reader here and fetches the bytes from Registration (Documents), keeping
// none itself. Only an id the tender or the opened bid lists is fetched, so no other document of
// Registration's can be read through these routes.

// TenderDocument reads one of a tender's documents: anyone's once the tender is published, a draft's only
// for its buyer's organisation (GetTender's rule).
func (s *Service) TenderDocument(ctx context.Context, a Actor, tenderID, documentID string) (File, error) {
	t, err := s.GetTender(ctx, a, tenderID)
	if err != nil {
		return File{}, err
	}
	d, err := listed(t.Documents, documentID, "tender "+tenderID)
	if err != nil {
		return File{}, err
	}
	return s.fetch(ctx, d)
}

// BidDocument reads one of a bid's documents: for the buyer's organisation (its evaluators) and the company
// that made the bid, once the bids are opened — the documents are sealed inside the bid until then, and a
// withdrawn bid is never opened.
func (s *Service) BidDocument(ctx context.Context, a Actor, tenderID, bidID, documentID string) (File, error) {
	var b domain.Bid
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := tx.Tender(ctx, tenderID, false)
		if err != nil {
			return err
		}
		if a.has(RoleSupplier) && a.CompanyID != "" {
			// A supplier sees its own bids only (ListBids): another company's is not there for it.
			if b, err = tx.Bid(ctx, tenderID, bidID, false); err == nil && b.CompanyID != a.CompanyID {
				return domain.NotFound("bid " + bidID)
			}
			return err
		}
		if t.Status == domain.StatusDraft && a.ofOrg(t.BuyerOrg) != nil {
			return domain.NotFound("tender " + tenderID)
		}
		if err := a.ofOrg(t.BuyerOrg); err != nil {
			return err
		}
		b, err = tx.Bid(ctx, tenderID, bidID, false)
		return err
	})
	if err != nil {
		return File{}, err
	}
	if !b.Opened {
		return File{}, apierr.FailedPrecondition(domain.ReasonBidSealed, "the bid is sealed: its documents can be read "+
			"once the bids are opened at the end of the tender period (a withdrawn bid stays sealed)")
	}
	d, err := listed(b.Contents.Documents, documentID, "bid "+bidID)
	if err != nil {
		return File{}, err
	}
	return s.fetch(ctx, d)
}

// listed finds the document id among docs, those of what.
func listed(docs []domain.Document, id, what string) (domain.Document, error) {
	for _, d := range docs {
		if d.ID == id {
			return d, nil
		}
	}
	return domain.Document{}, domain.NotFound("document " + id + " of " + what)
}

// fetch reads an uploaded document from Registration. A reference with its own url names a file published
// elsewhere, not in Registration's store: it is read at that url.
func (s *Service) fetch(ctx context.Context, d domain.Document) (File, error) {
	if d.URL != "" {
		return File{}, apierr.NotFound(domain.ReasonNotFound, "document "+d.ID+" is published at its url ("+d.URL+"): read it there")
	}
	if s.Documents == nil {
		return File{}, apierr.Unavailable("DEPENDENCY_UNAVAILABLE", "the document store is not configured: try again later")
	}
	return s.Documents.Document(ctx, d.ID)
}
