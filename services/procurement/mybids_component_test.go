package procurement

import (
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/api"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// TestMyBidsAcrossTenders: GET /bids lists the supplier's company's own bids on every tender, newest first,
// each with its tender's title and status — never another company's; sealed (no price, proposal or
// documents) until its tender's bids are opened, with its score and rank once ranked; paged by before. A
// buyer, an anonymous caller and a supplier without a company are refused, and before naming another
// company's bid is a 400 naming before.
func TestMyBidsAcrossTenders(t *testing.T) {
	w := newWorld(t)
	h := api.New(w.uc)
	bid := func(c string, tender domain.Tender, price string) domain.Bid {
		w.tick(time.Minute)
		b, err := w.uc.SubmitBid(w.ctx, supplierOf(c), tender.ID, domain.BidContents{Price: price, Proposal: "switches from " + c})
		w.must(err)
		return b
	}
	first := w.tenderOf(buyer, "Network switches", "for the academy", true, "32420000-3")
	second := w.tenderOf(buyer, "Telephones", "desk phones", true, "32550000-3")
	third := w.tenderOf(buyer, "Cabling", "cat6", true, "32420000-3")
	c1First := bid("C1", first, "9100.00")
	c2First := bid("C2", first, "8800.00")
	c1Second := bid("C1", second, "500.00")
	bid("C2", third, "700.00")
	w.tick(time.Minute)
	_, err := w.uc.WithdrawBid(w.ctx, supplierOf("C1"), second.ID, c1Second.ID)
	w.must(err)

	mine := func(a app.Actor, r *procv1.ListMyBidsRequest) []*procv1.SupplierBid {
		t.Helper()
		out, err := h.ListMyBids(asCaller(t.Context(), a), r)
		w.must(err)
		for _, b := range out.GetBids() {
			if b.GetBid().GetCompanyId() != a.CompanyID {
				t.Fatalf("%s was shown %s's bid %s", a.CompanyID, b.GetBid().GetCompanyId(), b.GetBid().GetId())
			}
		}
		return out.GetBids()
	}
	got := mine(supplierOf("C1"), &procv1.ListMyBidsRequest{})
	if len(got) != 2 || got[0].GetBid().GetId() != c1Second.ID || got[1].GetBid().GetId() != c1First.ID {
		t.Fatalf("C1's bids, newest first: %v", got)
	}
	if g := got[0]; g.GetTenderTitle() != "Telephones" || g.GetTenderStatus() != domain.StatusActive || g.GetBid().GetStatus() != domain.BidWithdrawn ||
		g.GetCurrency() != "EUR" || g.GetBuyerOrganisation() != buyer.Org || !g.GetTenderEnd().AsTime().Equal(second.TenderEnd) {
		t.Fatalf("the withdrawn bid's row: %v", g)
	}
	for _, g := range got {
		if b := g.GetBid(); !b.GetSealed() || b.GetPrice() != "" || b.GetProposal() != "" || len(b.GetDocuments()) != 0 {
			t.Fatalf("a bid shows before its opening: %v", b)
		}
	}

	// Paged one at a time.
	page1 := mine(supplierOf("C1"), &procv1.ListMyBidsRequest{Limit: 1})
	page2 := mine(supplierOf("C1"), &procv1.ListMyBidsRequest{Limit: 1, Before: page1[0].GetBid().GetId()})
	page3 := mine(supplierOf("C1"), &procv1.ListMyBidsRequest{Limit: 1, Before: page2[0].GetBid().GetId()})
	if page1[0].GetBid().GetId() != c1Second.ID || page2[0].GetBid().GetId() != c1First.ID || len(page3) != 0 {
		t.Fatalf("pages: %v / %v / %v", page1, page2, page3)
	}

	// The first tender opened, its bids checked, scored and ranked: C1 sees its price, score and rank.
	w.clk.Set(first.TenderEnd)
	w.must(w.uc.DeadlineReached(w.ctx, w.st.InTx, "procurement/tender/"+first.ID+"/tender-period"))
	job := func(typ string) {
		_, err := w.uc.DoJob(w.ctx, app.Job{Type: typ, Variables: map[string]any{"tenderId": first.ID}})
		w.must(err)
	}
	job(app.JobEligibility)
	w.must(w.uc.DeclareInterest(w.ctx, buyer, first.ID, false, "none"))
	for id, score := range map[string]int{c1First.ID: 60, c2First.ID: 90} {
		_, err := w.uc.ScoreBid(w.ctx, buyer, first.ID, id, []domain.Score{{CriterionID: "price", Score: score, Reason: "price"}})
		w.must(err)
	}
	job(app.JobRank)
	got = mine(supplierOf("C1"), &procv1.ListMyBidsRequest{})
	if b := got[1].GetBid(); b.GetSealed() || b.GetPrice() != "9100.00" || b.GetRank() != 2 || b.GetTotalScore() == "" || got[1].GetTenderStatus() != domain.StatusEvaluation {
		t.Fatalf("C1's opened and ranked bid: %v", got[1])
	}
	if b := got[0].GetBid(); !b.GetSealed() || b.GetPrice() != "" {
		t.Fatalf("the other tender's bid opened with the first: %v", b)
	}
	if c2 := mine(supplierOf("C2"), &procv1.ListMyBidsRequest{}); len(c2) != 2 || c2[1].GetBid().GetRank() != 1 {
		t.Fatalf("C2's bids: %v", c2)
	}

	// Who may not list, and a position that is another company's bid.
	for _, c := range []struct {
		who  app.Actor
		kind apierr.Kind
	}{
		{app.Actor{}, apierr.KindUnauthenticated},
		{buyer, apierr.KindPermissionDenied},
		{app.Actor{ID: "u-nocompany", Roles: []string{app.RoleSupplier}}, apierr.KindPermissionDenied},
	} {
		if out, err := h.ListMyBids(asCaller(t.Context(), c.who), &procv1.ListMyBidsRequest{}); apierr.KindOf(err) != c.kind || len(out.GetBids()) != 0 {
			t.Errorf("%+v: %v %v, want %v", c.who, out, err, c.kind)
		}
	}
	_, err = h.ListMyBids(asCaller(t.Context(), supplierOf("C1")), &procv1.ListMyBidsRequest{Before: c2First.ID})
	wantField(t, err, "before")
	for _, r := range []*procv1.ListMyBidsRequest{{Limit: 101}, {Limit: -5}, {Before: strings.Repeat("x", 36)}} {
		_, err := h.ListMyBids(asCaller(t.Context(), supplierOf("C1")), r)
		wantField(t, err, map[bool]string{true: "limit", false: "before"}[r.Limit != 0])
	}
}
