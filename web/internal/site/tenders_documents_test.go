package site

import (
	"net/http"
	"strings"
	"testing"
)

// A published tender's uploaded document is linked on its public page and streams to anyone, signed in or
// not, through procurement's route (no token when nobody is signed in); a document at its own https URL is
// linked there; an id the tender does not list is not found without asking the gateway; the gateway being
// down is the unavailable page, not a broken file.
func TestTenderDocumentsStreamThroughProcurement(t *testing.T) {
	good := draftValues()
	good.Set("item0-cpvCode", "32420000-3")
	p := portalWithDraft(t, good)
	p.post("/buyer/tenders/t-1/publish", nil).redirect(t, "/buyer/tenders/t-1")
	p.gw.mu.Lock()
	p.gw.tenders["t-1"]["documents"] = []any{map[string]any{"id": "doc-77", "title": "Specification"},
		map[string]any{"id": "law", "title": "Procurement Act", "url": "https://example.org/act.pdf"}}
	p.gw.mu.Unlock()

	anon := p.newClient() // a browser nobody signed in on
	p.do(anon, http.MethodGet, "/tenders/t-1", nil).want(t, http.StatusOK, `href="/tenders/t-1/documents/doc-77">Specification</a>`,
		`href="https://example.org/act.pdf" rel="noreferrer noopener">Procurement Act</a>`)
	a := p.do(anon, http.MethodGet, "/tenders/t-1/documents/doc-77", nil).want(t, http.StatusOK)
	if a.body != string(fakePDF("/tenders/t-1/documents/doc-77")) || a.header.Get("Content-Type") != "application/pdf" ||
		a.header.Get("Content-Disposition") != `attachment; filename=Specification.pdf` || a.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("the download: %q %v", a.body, a.header)
	}
	if got := p.gw.calls("GET /tenders/t-1/documents/doc-77"); len(got) != 1 || got[0].Authorization != "" {
		t.Fatalf("the gateway was asked %v: once, without a token", got)
	}

	p.get("/buyer/tenders/t-1").want(t, http.StatusOK, `href="/tenders/t-1/documents/doc-77"`)
	p.get("/tenders/t-1/documents/doc-77").want(t, http.StatusOK)
	if got := p.gw.calls("GET /tenders/t-1/documents/doc-77"); len(got) != 2 || !strings.HasPrefix(got[1].Authorization, "Bearer ") {
		t.Fatalf("the signed-in buyer's read carried no token: %v", got)
	}
	for _, id := range []string{"doc-9", "law"} {
		p.do(anon, http.MethodGet, "/tenders/t-1/documents/"+id, nil).want(t, http.StatusNotFound)
		if n := len(p.gw.calls("GET /tenders/t-1/documents/" + id)); n != 0 {
			t.Errorf("the gateway was asked for %s, which the tender does not list as uploaded", id)
		}
	}
	p.gw.fail("GET /tenders/t-1/documents/doc-77", fakeError{status: 503, code: "UNAVAILABLE"})
	p.do(anon, http.MethodGet, "/tenders/t-1/documents/doc-77", nil).want(t, http.StatusServiceUnavailable)
}

// After the opening the buyer's page links the bid's uploaded document and the buyer downloads it with
// their token; another organisation's refusal (403) is a plain not-found page.
func TestBuyerReadsAnOpenedBidsDocument(t *testing.T) {
	good := draftValues()
	good.Set("item0-cpvCode", "32420000-3")
	p := portalWithDraft(t, good)
	p.post("/buyer/tenders/t-1/publish", nil).redirect(t, "/buyer/tenders/t-1")
	p.gw.becomeSupplier()
	p.signInAs("/bids")
	p.get("/tenders/t-1/bid")
	p.upload("/tenders/t-1/bid", map[string]string{"price": "9500.00", "proposal": "switches"}, "datasheet.pdf", pdf).
		redirect(t, "/tenders/t-1#bid")
	p.gw.becomeBuyer()
	p.signInAs("/buyer/tenders")
	if a := p.get("/buyer/tenders/t-1"); strings.Contains(a.body, "/documents/doc-77") {
		t.Fatal("a sealed bid's document is linked")
	}
	p.gw.mu.Lock()
	p.gw.tenders["t-1"]["status"] = "evaluation"
	p.gw.mu.Unlock()

	const link = "/tenders/t-1/bids/b-1/documents/doc-77"
	p.get("/buyer/tenders/t-1").want(t, http.StatusOK, `href="`+link+`">datasheet.pdf</a>`)
	a := p.get(link).want(t, http.StatusOK)
	if a.body != string(fakePDF(link)) || a.header.Get("Content-Disposition") != `attachment; filename=datasheet.pdf` {
		t.Fatalf("the download: %q %v", a.body, a.header)
	}
	if got := p.gw.calls("GET " + link); len(got) != 1 || !strings.HasPrefix(got[0].Authorization, "Bearer ") {
		t.Fatalf("the gateway was asked %v: once, with the buyer's token", got)
	}
	p.gw.fail("GET "+link, fakeError{status: 403, code: "PERMISSION_DENIED"})
	p.get(link).want(t, http.StatusNotFound)
	p.get("/tenders/t-1/bids/b-9/documents/doc-77").want(t, http.StatusNotFound)

	// The bidder's own page links it too, once opened.
	p.gw.becomeSupplier()
	p.signInAs("/bids")
	p.get("/tenders/t-1").want(t, http.StatusOK, `id="bid-documents"><a class="govuk-link" href="`+link+`">datasheet.pdf</a>`)
}
