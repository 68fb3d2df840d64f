package site

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// publishedTender is the portal with a buyer signed in whose tender t-1 is published.
func publishedTender(t *testing.T) *portalUnderTest {
	t.Helper()
	good := draftValues()
	good.Set("item0-cpvCode", "32420000-3")
	p := portalWithDraft(t, good)
	p.post("/buyer/tenders/t-1/publish", nil).redirect(t, "/buyer/tenders/t-1")
	return p
}

// The buyer cancels a published tender from its page: the reason is required (said next to it before any
// call), then sent, and the tender's pages — the buyer's and the public one — show it cancelled with the
// reason; a cancelled tender offers no cancelling again.
func TestBuyerCancelsATenderWithAReason(t *testing.T) {
	p := publishedTender(t)
	p.get("/buyer/tenders/t-1").want(t, http.StatusOK, `href="/buyer/tenders/t-1/cancel"`, "Cancel this tender")
	p.get("/buyer/tenders/t-1/cancel").want(t, http.StatusOK, "Cancel this tender", "Why are you cancelling the tender?",
		`action="/buyer/tenders/t-1/cancel"`, "Everyone who bid on it or follows it is told")
	p.post("/buyer/tenders/t-1/cancel", url.Values{"reason": {"  "}}).want(t, http.StatusUnprocessableEntity,
		`href="#f-reason"`, `id="f-reason-error"`, "Enter why you are cancelling the tender")
	p.post("/buyer/tenders/t-1/cancel", url.Values{"reason": {strings.Repeat("a", 2001)}}).want(t, http.StatusUnprocessableEntity,
		"Enter a shorter reason, at most 2,000 characters", strings.Repeat("a", 2001)+"</textarea>")
	if n := len(p.gw.calls("POST /tenders/t-1/cancel")); n != 0 {
		t.Fatalf("a cancellation without a good reason was sent: %d calls", n)
	}

	p.get("/buyer/tenders/t-1/cancel")
	p.post("/buyer/tenders/t-1/cancel", url.Values{"reason": {"The budget was withdrawn"}}).redirect(t, "/buyer/tenders/t-1")
	sent := p.gw.calls("POST /tenders/t-1/cancel")
	if len(sent) != 1 || sent[0].Body["reason"] != "The budget was withdrawn" || sent[0].IdempotencyKey == "" {
		t.Fatalf("the cancellation sent: %+v", sent)
	}
	a := p.get("/buyer/tenders/t-1").want(t, http.StatusOK, "IT communications equipment has been cancelled", "Cancelled",
		"The budget was withdrawn")
	if strings.Contains(a.body, `id="cancel-tender"`) || strings.Contains(a.body, "Bids are sealed until the deadline") {
		t.Error("a cancelled tender still offers cancelling, or says its bids open at the deadline")
	}
	p.get("/buyer/tenders/t-1/cancel").redirect(t, "/buyer/tenders/t-1")
	p.get("/buyer/tenders/t-1").want(t, http.StatusOK, "The tender is over: it can no longer be cancelled")
	p.post("/buyer/tenders/t-1/cancel", url.Values{"reason": {"again"}}).redirect(t, "/buyer/tenders/t-1")
	if n := len(p.gw.calls("POST /tenders/t-1/cancel")); n != 1 {
		t.Errorf("a cancelled tender was cancelled again: %d calls", n)
	}

	p.gw.becomeSupplier()
	p.signInAs("/bids")
	p.get("/tenders/t-1").want(t, http.StatusOK, "Cancelled", "The budget was withdrawn")
}

// Procurement's refusal of a cancellation — the tender completed since the page was drawn — is said next to
// the reason, in the page's words, with what was typed kept; a POST without the session's CSRF token, a
// supplier and another organisation's buyer cannot cancel.
func TestRefusedCancelIsShownNextToTheReason(t *testing.T) {
	p := publishedTender(t)
	p.get("/buyer/tenders/t-1/cancel")
	p.post("/buyer/tenders/t-1/cancel", url.Values{"reason": {"no"}, "csrf_token": {"forged"}}).want(t, http.StatusForbidden)
	p.gw.fail("POST /tenders/t-1/cancel", fakeError{status: 400, code: "FAILED_PRECONDITION", reason: "WRONG_STATUS"})
	a := p.post("/buyer/tenders/t-1/cancel", url.Values{"reason": {"The budget was withdrawn"}}).want(t, http.StatusUnprocessableEntity,
		`href="#f-reason"`, "The tender can no longer be cancelled", ">The budget was withdrawn</textarea>")
	if strings.Contains(a.body, "RAW-API-MESSAGE") {
		t.Error("the API's own words reached the page")
	}
	p.gw.fail("POST /tenders/t-1/cancel", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "INVALID_FIELD",
		violations: [][2]string{{"reason", "required, at most 2000 characters"}}})
	p.post("/buyer/tenders/t-1/cancel", url.Values{"reason": {"x"}}).want(t, http.StatusUnprocessableEntity,
		`id="f-reason-error"`, "Enter why you are cancelling the tender", ">x</textarea>")

	p.gw.becomeSupplier()
	p.signInAs("/bids")
	p.get("/buyer/tenders/t-1/cancel").want(t, http.StatusForbidden)
	p.gw.becomeBuyer()
	p.signInAs("/buyer/tenders")
	p.gw.mu.Lock()
	p.gw.tenders["t-1"]["buyerOrganisation"] = "Another Ministry"
	p.gw.mu.Unlock()
	p.get("/buyer/tenders/t-1/cancel").want(t, http.StatusNotFound)
	if n := len(p.gw.calls("POST /tenders/t-1/cancel")); n != 2 {
		t.Errorf("cancellations sent: %d, want the two refused", n)
	}
}
