package events

import (
	"slices"
	"strings"
	"testing"

	procurementv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// TestDomainKindsAreTheCatalogEvents keeps the domain's event kinds and event_types.go in step.
func TestDomainKindsAreTheCatalogEvents(t *testing.T) {
	kinds := []string{domain.EvTenderDrafted, domain.EvTenderPublished, domain.EvTenderBidsOpened, domain.EvTenderCancelled,
		domain.EvTenderUnsuccessful, domain.EvTenderCompleted, domain.EvQuestionAsked, domain.EvQuestionAnswered,
		domain.EvBidSubmitted, domain.EvBidUpdated, domain.EvBidWithdrawn, domain.EvBidDisqualified, domain.EvAwardDecided,
		domain.EvAwardStandstillEnded, domain.EvComplaintFiled, domain.EvComplaintResolved, domain.EvContractSigned,
		domain.EvMilestoneDelivered, domain.EvMilestonePaid}
	if len(kinds) != len(procurementv1.Events) {
		t.Fatalf("%d domain kinds, %d catalog events", len(kinds), len(procurementv1.Events))
	}
	for _, k := range kinds {
		if !slices.Contains(procurementv1.Events, TypePrefix+k) {
			t.Errorf("%s is not in event_types.go", TypePrefix+k)
		}
	}
}

// TestBidEventsCarryNoContents: a bid's price and proposal never leave in an event.
func TestBidEventsCarryNoContents(t *testing.T) {
	b := domain.Bid{ID: "B1", TenderID: "T1", CompanyID: "C", Status: domain.BidSubmitted,
		Contents: domain.BidContents{Price: "9500.00", Proposal: "secret proposal"}}
	e, err := Encode(domain.Event{Type: domain.EvBidSubmitted, Tender: domain.Tender{ID: "T1"}, Bid: &b})
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != procurementv1.EventBidSubmitted || e.Subject != "T1" {
		t.Fatalf("event %+v", e)
	}
	if s := e.Payload.(*procurementv1.BidEvent).String(); slices.ContainsFunc([]string{"9500", "secret"}, func(x string) bool { return strings.Contains(s, x) }) {
		t.Fatalf("the event shows the bid: %s", s)
	}
}
