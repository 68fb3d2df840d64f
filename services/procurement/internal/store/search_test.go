package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	"github.com/govstackbb/marketplace/services/procurement"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/events"
	"github.com/govstackbb/marketplace/services/procurement/internal/store"
)

// at is the one moment every row of these tests is made at: the keyset's tie on time is broken by id.
var at = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func newStore(t *testing.T) *store.Store {
	return store.New(pgtest.NewPool(t, procurement.Migrations()...), events.Encode)
}

// addDraft stores a draft of org with items of the CPV codes given; it returns its id.
func addDraft(t *testing.T, s *store.Store, org string, cpvs ...string) string {
	t.Helper()
	d := domain.Tender{ID: uuid.Must(uuid.NewV7()).String(), Title: "Switches", Description: "network", Status: domain.StatusDraft,
		BuyerOrg: org, BuyerID: "u", EstimatedValue: "1.00", Currency: "EUR", CreatedAt: at}
	d.OCID = "ocds-test-" + d.ID
	for _, c := range cpvs {
		d.Items = append(d.Items, domain.Item{ID: c, CPV: c, Quantity: 1})
	}
	if err := s.InTx(context.Background(), func(tx app.Tx) error { return tx.CreateTender(context.Background(), d) }); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

func listTenders(t *testing.T, s *store.Store, org string, q domain.TenderQuery) ([]string, error) {
	var ids []string
	err := s.InTx(context.Background(), func(tx app.Tx) error {
		ts, err := tx.ListTenders(context.Background(), org, q)
		for _, x := range ts {
			ids = append(ids, x.ID)
		}
		return err
	})
	return ids, err
}

// TestTenderPagesBreakTiesByID: tenders made at the same moment page by id, highest first, each once.
func TestTenderPagesBreakTiesByID(t *testing.T) {
	s := newStore(t)
	var want []string
	for range 5 {
		want = append(want, addDraft(t, s, "Org"))
	}
	slices.Reverse(want) // v7 ids made in a row sort by when they were made
	var got []string
	q := domain.TenderQuery{Limit: 2}
	for {
		page, err := listTenders(t, s, "Org", q)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if len(page) < q.Limit {
			break
		}
		q.Before = page[len(page)-1]
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages %v, want %v", got, want)
	}
	// Another organisation cannot page from a draft it cannot see.
	_, err := listTenders(t, s, "Other", domain.TenderQuery{Limit: 2, Before: want[0]})
	if e, ok := apierr.As(err); !ok || e.Kind != apierr.KindInvalidArgument || e.Violations[0].Field != "before" {
		t.Fatalf("before naming another organisation's draft: %v", err)
	}
}

// TestCPVPrefixes: a CPV filter matches any item's code by its start, from the division (2 digits) to the
// whole code with its check digit, and nothing that is not a start.
func TestCPVPrefixes(t *testing.T) {
	s := newStore(t)
	both := addDraft(t, s, "Org", "32420000-3", "45233120-6")
	pc := addDraft(t, s, "Org", "30213000-5")
	for cpv, want := range map[string][]string{"45": {both}, "4523312": {both}, "45233120-6": {both}, "32420000-3": {both},
		"3": nil, "4524": nil, "32420000-4": nil, "2420": nil, "30": {pc}} {
		ids, err := listTenders(t, s, "Org", domain.TenderQuery{CPV: cpv, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("cpv %s: %v, want %v", cpv, ids, want)
		}
	}
}

// TestSupplierBidsPageByCompany: a company's bids page newest first (ties by id), each once, and only its own.
func TestSupplierBidsPageByCompany(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	tender := addDraft(t, s, "Org")
	var want []string
	err := s.InTx(ctx, func(tx app.Tx) error {
		for i := range 6 {
			b := domain.Bid{ID: uuid.Must(uuid.NewV7()).String(), TenderID: tender, CompanyID: fmt.Sprintf("C%d", i%2),
				Status: domain.BidWithdrawn, Sealed: []byte{1}, SubmittedAt: at, UpdatedAt: at}
			if err := tx.AddBid(ctx, b); err != nil {
				return err
			}
			if b.CompanyID == "C0" {
				want = append([]string{b.ID}, want...)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	q := domain.BidQuery{Limit: 2}
	for {
		var page []app.SupplierBid
		err := s.InTx(ctx, func(tx app.Tx) (err error) {
			page, err = tx.SupplierBids(ctx, "C0", q)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range page {
			if b.Bid.CompanyID != "C0" || b.TenderTitle != "Switches" || b.BuyerOrg != "Org" {
				t.Fatalf("C0's list holds %+v", b)
			}
			got = append(got, b.Bid.ID)
		}
		if len(page) < q.Limit {
			break
		}
		q.Before = page[len(page)-1].Bid.ID
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages %v, want %v", got, want)
	}
}
