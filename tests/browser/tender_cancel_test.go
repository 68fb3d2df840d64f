package browser

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A buyer with JavaScript off drafts a tender with two lots — the second row added by "Add another lot",
// which draws the form again — and a document by its https address, publishes it and cancels it: the
// confirmation page refuses an empty reason next to the field, then the tender's page and its public page
// show it cancelled with the reason, and its lots. axe-core checks every page, the new ones included.
func TestTenderCancelJourney(t *testing.T) {
	tag := fmt.Sprint(time.Now().UnixNano() % 1_000_000)
	title := "Library furniture " + tag
	email := "carl." + tag + "@moj.gov.example"
	registerBuyerAPI(t, email)
	buyer := newTab(t, "buyer cancels", false)
	buyer.activateAndSignIn(email, "furniture for every library")

	buyer.open("/buyer/tenders/new")
	buyer.fill("f-title", title)
	buyer.fill("f-description", "Tables and shelving for the reading rooms")
	buyer.fill("f-estimatedValue", "7000.00")
	buyer.fill("f-item0-description", "Reading table")
	buyer.fill("f-item0-cpvCode", "39100000-3")
	buyer.fill("f-item0-unit", "piece")
	buyer.fill("f-lot0-title", "Reading tables")
	buyer.fill("f-lot0-estimatedValue", "4000.00")
	buyer.click("#add-lot")
	buyer.see("#lot-1", "Lot 2") // the first lot, kept as typed, is on the tender's page below
	buyer.fill("f-lot1-title", "Shelving")
	buyer.fill("f-doc0-title", "Specification")
	buyer.fill("f-doc0-url", "https://moj.gov.example/furniture-specification.pdf")
	buyer.shot("tender-draft-lots")
	buyer.click("#save")
	buyer.see(".govuk-notification-banner", "has been saved")
	buyer.see("#lots", "Reading tables", "EUR 4,000.00", "Shelving")
	buyer.see("#tender-documents", "Specification")
	buyer.click("#publish")
	buyer.see("#tender-summary", "Open for bids")
	publicURL := strings.Replace(buyer.url(), "/buyer/tenders/", "/tenders/", 1)

	buyer.click("#cancel-tender")
	buyer.see("h1", "Cancel this tender")
	buyer.click("#confirm-cancel")
	buyer.see("#f-reason-error", "Enter why you are cancelling the tender")
	buyer.shot("tender-cancel-errors")
	buyer.fill("f-reason", "The library budget was withdrawn")
	buyer.click("#confirm-cancel")
	buyer.see(".govuk-notification-banner", "has been cancelled")
	buyer.see("#tender-summary", "Cancelled", "The library budget was withdrawn")
	buyer.shot("tender-cancelled")
	if buyer.exists("#cancel-tender") {
		t.Fatal("a cancelled tender offers cancelling again")
	}

	anyone := newTab(t, "anyone", true)
	anyone.open(publicURL)
	anyone.see("#tender-summary", "Cancelled", "The library budget was withdrawn")
	anyone.see("#lots", "Reading tables", "Shelving")
	t.Logf("%d pages checked with axe-core", buyer.pages+anyone.pages)
}
