package procurement

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/api"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/events"
	"github.com/govstackbb/marketplace/services/procurement/internal/seal"
	"github.com/govstackbb/marketplace/services/procurement/internal/store"
)

// fakeDocuments stands in for Registration's document store: what it keeps, and what it was asked for.
type fakeDocuments struct {
	files map[string]app.File
	asked []string
}

func (f *fakeDocuments) Document(_ context.Context, id string) (app.File, error) {
	f.asked = append(f.asked, id)
	d, ok := f.files[id]
	if !ok {
		return app.File{}, apierr.NotFound(domain.ReasonNotFound, "gone")
	}
	return d, nil
}

// TestTenderAndBidDocumentsAreReadThroughProcurement: a tender's uploaded document is the buyer's alone while
// the tender is a draft and anyone's once it is published; a bid's documents are sealed with it until the
// opening, then readable by the buyer's organisation and the bidder only; an id the tender or bid does not
// list is never fetched from Registration; a listed document Registration no longer keeps is a 404.
func TestTenderAndBidDocumentsAreReadThroughProcurement(t *testing.T) {
	ctx := t.Context()
	pool := pgtest.NewPool(t, Migrations()...)
	keys, _ := seal.New(make([]byte, 32))
	bbs := &fakeBBs{companies: map[string]string{"123456789": "active", "987654321": "active"}, deadlines: map[string]time.Time{},
		starts: map[string]int{}}
	pdf := app.File{ContentType: "application/pdf", Content: []byte("%PDF-1.7 spec")}
	docs := &fakeDocuments{files: map[string]app.File{"doc-spec": pdf, "doc-offer": {ContentType: "application/pdf", Content: []byte("%PDF-1.7 offer")}}}
	clk := &clock{now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	st := store.New(pool, events.Encode)
	uc := app.New(app.Deps{Store: st, Keys: keys, Registries: bbs, Scheduling: bbs, Workflow: bbs, Payments: bbs, Documents: docs,
		Calendar: domain.Calendar{Day: time.Hour}, Now: clk.Now})
	otherBuyer := app.Actor{ID: "u-other", Org: "Ministry of Finance", Roles: []string{app.RoleBuyer}}
	rival := app.Actor{ID: "u-rival", CompanyID: "987654321", Roles: []string{app.RoleSupplier}}

	d := draft()
	d.Documents = []domain.Document{{ID: "doc-spec", Title: "Specification"}, {ID: "doc-gone", Title: "Annex"},
		{ID: "doc-web", Title: "Law", URL: "https://example.org/law.pdf"}}
	tender, err := uc.CreateTender(ctx, buyer, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []app.Actor{{}, supplier, otherBuyer} {
		if _, err := uc.TenderDocument(ctx, a, tender.ID, "doc-spec"); apierr.KindOf(err) != apierr.KindNotFound {
			t.Errorf("%+v reads a draft's document: %v", a, err)
		}
	}
	if f, err := uc.TenderDocument(ctx, buyer, tender.ID, "doc-spec"); err != nil || string(f.Content) != string(pdf.Content) {
		t.Fatalf("the buyer reads the draft's document: %q %v", f.Content, err)
	}
	if tender, err = uc.PublishTender(ctx, buyer, tender.ID); err != nil {
		t.Fatal(err)
	}

	// Published: anyone, through the API's HttpBody with the store's content type.
	body, err := api.NewDocuments(uc).GetTenderDocument(ctx, &procv1.GetTenderDocumentRequest{TenderId: tender.ID, DocumentId: "doc-spec"})
	if err != nil || body.GetContentType() != "application/pdf" || string(body.GetData()) != string(pdf.Content) {
		t.Fatalf("anonymous read of a published tender's document: %v %v", body, err)
	}
	docs.asked = nil
	for _, id := range []string{"doc-offer", "doc-web", "doc-gone"} {
		if _, err := uc.TenderDocument(ctx, app.Actor{}, tender.ID, id); apierr.KindOf(err) != apierr.KindNotFound {
			t.Errorf("document %s of the tender: %v, want not found", id, err)
		}
	}
	if len(docs.asked) != 1 || docs.asked[0] != "doc-gone" {
		t.Errorf("Registration was asked for %v: only the listed, uploaded doc-gone should be fetched", docs.asked)
	}

	// A bid with a document: sealed until the opening, for the bidder as for the buyer.
	bid, err := uc.SubmitBid(ctx, supplier, tender.ID, domain.BidContents{Price: "9500.00", Proposal: "PoE+ switches",
		Documents: []domain.Document{{ID: "doc-offer", Title: "Offer"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []app.Actor{buyer, supplier} {
		if _, err := uc.BidDocument(ctx, a, tender.ID, bid.ID, "doc-offer"); reasonOf(err) != domain.ReasonBidSealed {
			t.Errorf("%s reads a sealed bid's document: %v", a.ID, err)
		}
	}
	clk.Set(tender.TenderEnd)
	if err := uc.DeadlineReached(ctx, app.Unit(st.InTx), "procurement/tender/"+tender.ID+"/tender-period"); err != nil {
		t.Fatal(err)
	}

	// Opened: the buyer's organisation and the bidder; nobody else, and only the bid's own documents.
	for _, a := range []app.Actor{buyer, supplier} {
		if f, err := uc.BidDocument(ctx, a, tender.ID, bid.ID, "doc-offer"); err != nil || string(f.Content) != "%PDF-1.7 offer" {
			t.Errorf("%s reads the opened bid's document: %q %v", a.ID, f.Content, err)
		}
	}
	refusals := []struct {
		who  app.Actor
		doc  string
		kind apierr.Kind
	}{
		{app.Actor{}, "doc-offer", apierr.KindUnauthenticated},
		{otherBuyer, "doc-offer", apierr.KindPermissionDenied},
		{rival, "doc-offer", apierr.KindNotFound},
		{buyer, "doc-spec", apierr.KindNotFound}, // the tender's, not the bid's
		{buyer, "doc-unknown", apierr.KindNotFound},
	}
	for _, r := range refusals {
		if _, err := uc.BidDocument(ctx, r.who, tender.ID, bid.ID, r.doc); apierr.KindOf(err) != r.kind {
			t.Errorf("%q reads the bid's %s: %v, want %v", r.who.ID, r.doc, err, r.kind)
		}
	}
	if _, err := uc.BidDocument(ctx, buyer, tender.ID, "no-such-bid", "doc-offer"); apierr.KindOf(err) != apierr.KindNotFound {
		t.Errorf("an unknown bid: %v", err)
	}
}

// reasonOf is the ErrorInfo reason of err ("" when it has none).
func reasonOf(err error) string {
	var e *apierr.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}
