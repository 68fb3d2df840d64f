package site

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/web/internal/i18n"
)

// draftValues is a draft as a buyer types it, with a CPV code that is not one.
func draftValues() url.Values {
	return url.Values{"title": {"IT communications equipment"}, "description": {"Switches for the academy"},
		"estimatedValue": {"10000.00"}, "currency": {"eur"}, "item0-description": {"Network switch"}, "item0-cpvCode": {"3242"},
		"item0-quantity": {"4"}, "item0-unit": {"piece"}, "weightPrice": {"60"}, "weightQuality": {"30"},
		"enquiryDays": {"1"}, "tenderDays": {"2"}, "standstillDays": {"1"}}
}

// The draft form keeps what was typed: a number that is not one is refused next to its field before any
// call; publication's refusals (tender.items[0].cpvCode, tender.awardCriteria) come back next to the
// fields they name, in the page's words, never the API's.
func TestTenderDraftKeepsWhatWasTypedAndShowsFieldErrors(t *testing.T) {
	p := newPortal(t)
	p.gw.becomeBuyer()
	p.signInAs("/buyer/tenders")
	p.get("/buyer/tenders/new").want(t, http.StatusOK, "Draft a tender", `name="item0-cpvCode"`)
	bad := draftValues()
	bad.Set("item0-quantity", "four")
	p.post("/buyer/tenders/new", bad).want(t, http.StatusUnprocessableEntity, `href="#f-item0-quantity"`,
		"Enter the quantity as a whole number", `value="four"`, `value="IT communications equipment"`, `value="3242"`)
	if n := len(p.gw.calls("POST /tenders")); n != 0 {
		t.Fatalf("a form with a bad number was sent: %d calls", n)
	}
	p.post("/buyer/tenders/new", draftValues()).redirect(t, "/buyer/tenders/t-1")
	if got := p.gw.calls("POST /tenders")[0].Body; got["currency"] != "EUR" || got["enquiryPeriodDays"] != float64(1) {
		t.Errorf("the draft sent: %v", got)
	}
	p.get("/buyer/tenders/t-1").want(t, http.StatusOK, "IT communications equipment", "EUR 10,000.00", "Publish the tender")

	p.gw.fail("POST /tenders/t-1/publish", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "INVALID_FIELD",
		violations: [][2]string{{"tender.items[0].cpvCode", `"3242" is not a CPV code`}, {"tender.awardCriteria", "the weights sum to 90"}}})
	edited := draftValues()
	edited.Set("title", "IT equipment for the academy")
	edited.Set("publish", "1")
	a := p.post("/buyer/tenders/t-1/edit", edited).want(t, http.StatusUnprocessableEntity,
		`href="#f-item0-cpvCode"`, `id="f-item0-cpvCode-error"`, "Enter a CPV code: eight digits",
		`href="#f-weightPrice"`, "The weights of price and quality must add up to 100",
		`value="IT equipment for the academy"`, `value="3242"`, `value="30"`)
	if strings.Contains(a.body, "RAW-API-MESSAGE") || strings.Contains(a.body, "sum to 90") {
		t.Error("the API's own words reached the page")
	}
	if p.gw.calls("PUT /tenders/t-1")[0].Body["title"] != "IT equipment for the academy" {
		t.Error("the changed draft was not saved before publishing")
	}
}

// portalWithDraft is the portal with a buyer signed in who has saved draft as tender t-1.
func portalWithDraft(t *testing.T, draft url.Values) *portalUnderTest {
	t.Helper()
	p := newPortal(t)
	p.gw.becomeBuyer()
	p.signInAs("/buyer/tenders")
	p.get("/buyer/tenders/new")
	p.post("/buyer/tenders/new", draft).redirect(t, "/buyer/tenders/t-1")
	return p
}

// A published tender's bids are sealed on its buyer's page: their number and bidder, never a price.
func TestBuyerSeesBidsSealedUntilTheDeadline(t *testing.T) {
	good := draftValues()
	good.Set("item0-cpvCode", "32420000-3")
	p := portalWithDraft(t, good)
	p.post("/buyer/tenders/t-1/publish", nil).redirect(t, "/buyer/tenders/t-1")

	p.gw.becomeSupplier()
	p.signInAs("/bids")
	p.get("/tenders").want(t, http.StatusOK, "IT communications equipment")
	p.get("/tenders?q=32420000").want(t, http.StatusOK, "IT communications equipment")
	p.get("/tenders?q=ambulance").want(t, http.StatusOK, "There are no tenders to show.")
	if got := p.gw.calls("GET /tenders"); !strings.Contains(got[len(got)-2].Query, "cpv=3242&") {
		t.Errorf("a CPV code typed in the search box goes to the API as the prefix it stands for: %q", got[len(got)-2].Query)
	}
	p.get("/tenders?q=equipment+2027").want(t, http.StatusOK, "There are no tenders to show.")
	if got := p.gw.calls("GET /tenders"); !strings.Contains(got[len(got)-1].Query, "q=equipment+2027") {
		t.Errorf("a short number is a word, not a CPV code: %q", got[len(got)-1].Query)
	}
	p.get("/tenders?before=not-a-tender").want(t, http.StatusBadRequest, "Enter words of a tender’s title or description")
	p.gw.becomeBuyer()
	p.signInAs("/buyer/tenders")
	p.get("/buyer/tenders").want(t, http.StatusOK, "IT communications equipment")
	if got := p.gw.calls("GET /tenders"); !strings.Contains(got[len(got)-1].Query, "buyerOrganisation=Ministry+of+Justice") {
		t.Errorf("Your tenders asks for the buyer's organisation's: %q", got[len(got)-1].Query)
	}
	p.gw.becomeSupplier()
	p.signInAs("/bids")
	p.get("/tenders/t-1/bid").want(t, http.StatusOK, "Submit a bid")
	p.upload("/tenders/t-1/bid", map[string]string{"price": "9500.00", "proposal": "48-port PoE+ switches"}, "datasheet.pdf", pdf).
		redirect(t, "/tenders/t-1#bid")
	if docs := p.gw.calls("POST /tenders/t-1/bids")[0].Body["documents"]; fmt.Sprint(docs) != "[map[id:doc-77 title:datasheet.pdf]]" {
		t.Errorf("the bid's documents: %v", docs)
	}
	p.get("/tenders/t-1").want(t, http.StatusOK, "Your bid", "Submitted", "Sealed until")
	perTender := len(p.gw.calls("GET /tenders/t-1/bids"))
	p.get("/bids").want(t, http.StatusOK, "IT communications equipment", fakeOrg)
	if n := len(p.gw.calls("GET /tenders/t-1/bids")) - perTender; n != 0 || len(p.gw.calls("GET /bids")) != 1 {
		t.Errorf("Your bids read GET /bids %d times and each tender's bids %d times; want GET /bids once",
			len(p.gw.calls("GET /bids")), n)
	}

	p.gw.becomeBuyer()
	p.signInAs("/buyer/tenders")
	a := p.get("/buyer/tenders/t-1").want(t, http.StatusOK, "Bids are sealed until the deadline", "123456789", "Sealed")
	if strings.Contains(a.body, "9500") || strings.Contains(a.body, "PoE+") {
		t.Fatalf("the buyer's page shows a sealed bid's contents:\n%s", a.body)
	}
}

// A supplier changes a sealed bid (typed afresh: the API shows none of its contents) and withdraws it; then
// they may bid again.
func TestSupplierChangesAndWithdrawsABid(t *testing.T) {
	p := portalWithDraft(t, draftValues())
	p.post("/buyer/tenders/t-1/publish", nil).redirect(t, "/buyer/tenders/t-1")
	p.gw.becomeSupplier()
	p.signInAs("/bids")
	p.get("/tenders/t-1/bid")
	p.gw.fail("POST /documents", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "UNSUPPORTED_DOCUMENT_TYPE"})
	p.upload("/tenders/t-1/bid", map[string]string{"price": "9500.00", "proposal": "switches"}, "notes.txt", []byte("plain text")).
		want(t, http.StatusUnprocessableEntity, `href="#f-file"`, "Choose a PDF, PNG or JPEG file", `value="9500.00"`)
	if n := len(p.gw.calls("POST /tenders/t-1/bids")); n != 0 {
		t.Fatalf("a bid was sent with its file refused: %d", n)
	}
	p.upload("/tenders/t-1/bid", map[string]string{"price": "9500.00", "proposal": "switches"}, "", nil).redirect(t, "/tenders/t-1#bid")
	p.get("/tenders/t-1/bid").want(t, http.StatusOK, "Change your bid", "enter its price, proposal and documents again", "Withdraw the bid")
	p.upload("/tenders/t-1/bid", map[string]string{"price": "9400.00", "proposal": "switches, five-year warranty"}, "", nil).redirect(t, "/tenders/t-1#bid")
	if got := p.gw.calls("PUT /tenders/t-1/bids/b-1"); len(got) != 1 || got[0].Body["price"] != "9400.00" {
		t.Fatalf("the change sent: %v", got)
	}
	p.get("/tenders/t-1").want(t, http.StatusOK, "Your bid has been changed")
	p.post("/tenders/t-1/bid/withdraw", nil).redirect(t, "/tenders/t-1")
	p.get("/tenders/t-1").want(t, http.StatusOK, "Your bid has been withdrawn", `id="submit-bid"`)
	p.get("/bids").want(t, http.StatusOK, "IT communications equipment", "Withdrawn")
}

// A bid after the deadline is refused on its form with the API's reason in the page's words, keeping
// what the supplier typed.
func TestLateBidIsRefusedOnTheForm(t *testing.T) {
	p := portalWithDraft(t, draftValues())
	p.gw.becomeSupplier()
	p.signInAs("/bids")
	p.gw.fail("POST /tenders/t-1/bids", fakeError{status: 400, code: "FAILED_PRECONDITION", reason: "PERIOD_ENDED"})
	p.get("/tenders/t-1/bid")
	p.upload("/tenders/t-1/bid", map[string]string{"price": "7000.00", "proposal": "late"}, "", nil).want(t, http.StatusUnprocessableEntity,
		"Bids are no longer accepted: the deadline has passed", `value="7000.00"`, ">late</textarea>")
}

// A supplier cannot open a buyer's pages, nor a buyer another organisation's tender; a signed-out person
// reads open tenders but is sent to sign in to bid.
func TestTenderPagesCheckRoles(t *testing.T) {
	p := portalWithDraft(t, draftValues())
	p.gw.mu.Lock()
	p.gw.tenders["t-1"]["buyerOrganisation"] = "Another Ministry"
	p.gw.mu.Unlock()
	p.get("/buyer/tenders/t-1").want(t, http.StatusNotFound)
	p.get("/payments").want(t, http.StatusForbidden)

	p.gw.becomeSupplier()
	p.signInAs("/bids")
	for _, path := range []string{"/buyer/tenders", "/buyer/tenders/new", "/buyer/tenders/t-1", "/buyer/tenders/t-1/contract"} {
		p.get(path).want(t, http.StatusForbidden)
	}
	p.post("/buyer/tenders/t-1/publish", nil).want(t, http.StatusForbidden)

	p.client = p.newClient()
	p.get("/tenders").want(t, http.StatusOK, "Open tenders")
	p.get("/tenders/t-1/bid").redirect(t, "/sign-in?next=%2Ftenders%2Ft-1%2Fbid")
}

// Every message the tender forms' API errors can lead to exists in both languages.
func TestTenderFieldMessagesExist(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	contract := contractFieldMap()
	contract.fields["milestones[0].title"], contract.fields["milestones[0].amount"] = "milestone0-title", "milestone0-amount"
	contract.keys["milestone0-title"], contract.keys["milestone0-amount"] = "title", "amount"
	draft := draftFieldMap(draftRows{items: []int{0, 1, 2}, lots: []int{0, 1}, docs: []int{0, 1}})
	for _, m := range []fieldMap{draft, contract, bidFileFields, questionFields, cancelFields} {
		checkFieldMessages(t, c, m)
	}
}

// checkFieldMessages checks that every field of m has its required and invalid messages, and every reason its
// message, in every language.
func checkFieldMessages(t *testing.T, c *i18n.Catalog, m fieldMap) {
	t.Helper()
	for _, r := range m.reasons {
		for _, lang := range i18n.Languages {
			if !c.Has(lang, r.key) {
				t.Errorf("%s lacks %s", lang, r.key)
			}
		}
	}
	for _, lang := range i18n.Languages {
		for _, field := range m.fields {
			key := field
			if k, ok := m.keys[field]; ok {
				key = k
			}
			for _, kind := range []string{"required", "invalid"} {
				if !c.Has(lang, m.prefix+"."+key+"."+kind) {
					t.Errorf("%s lacks %s", lang, m.prefix+"."+key+"."+kind)
				}
			}
		}
	}
}

// Every message key the tender pages name in their code and templates exists in both languages (keys built
// at run time are checked by the tests that reach them).
func TestTenderPagesMessagesExist(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	goKey := regexp.MustCompile(`(prefix: )?"((?:tender|bid|flash|payments|nav|home)\.[A-Za-z0-9_.]+[A-Za-z0-9_])"`)
	tmplKey := regexp.MustCompile(`T ()"([A-Za-z0-9_.]+)"`)
	files := []string{"tenders_buyer.go", "tenders_contract.go", "tenders_evaluation.go", "tenders_form.go", "tenders_manage.go",
		"tenders_public.go", "tenders_view.go", "tenders_form_rows.go", "tenders_cancel.go", "bids_supplier.go", "payments.go",
		"templates/layout/tenders.html", "templates/pages/payments-authorise.html"}
	files = append(append(files, filepathGlob(t, "templates/pages/tender-*.html")...), filepathGlob(t, "templates/pages/bid-*.html")...)
	apiNames := draftFieldMap(draftRows{}).fields // the API's field names, not messages
	n := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		re := goKey
		if strings.HasSuffix(file, ".html") {
			re = tmplKey
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if _, api := apiNames[m[2]]; api || m[1] != "" { // an API field name, or a fieldMap's prefix
				continue
			}
			n++
			for _, lang := range i18n.Languages {
				if !c.Has(lang, m[2]) {
					t.Errorf("%s: %s lacks %s", file, lang, m[2])
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d keys found: the patterns miss them", n)
	}
}

func filepathGlob(t *testing.T, pattern string) []string {
	t.Helper()
	out, err := filepath.Glob(pattern)
	if err != nil || len(out) == 0 {
		t.Fatalf("no files match %s: %v", pattern, err)
	}
	return out
}

// The contract form: a date that is not one is said next to its boxes before any call; the API's refusal of
// the milestones (they must sum to the awarded value) comes back next to the first milestone's amount, and
// the standstill not yet over is said for the whole form; what was typed stays.
func TestContractFormShowsErrorsNextToTheFields(t *testing.T) {
	p := portalWithDraft(t, draftValues())
	p.gw.mu.Lock()
	p.gw.tenders["t-1"]["status"] = "awarded"
	p.gw.mu.Unlock()
	p.get("/buyer/tenders/t-1").want(t, http.StatusOK, "Standstill over", "EUR 9,400.00", `href="/buyer/tenders/t-1/contract"`)
	p.get("/buyer/tenders/t-1/contract").want(t, http.StatusOK, "Create the contract", "123456789")
	form := url.Values{"periodStart-day": {"31"}, "periodStart-month": {"2"}, "periodStart-year": {"2027"},
		"periodEnd-day": {"31"}, "periodEnd-month": {"12"}, "periodEnd-year": {"2027"}, "payeeKey": {"msisdn"},
		"payeeValue": {"37255501"}, "milestone0-title": {"Delivery"}, "milestone0-amount": {"7000.00"}}
	p.post("/buyer/tenders/t-1/contract", form).want(t, http.StatusUnprocessableEntity, `href="#f-periodStart-day"`,
		"Enter the start as a real date", `value="Delivery"`, `value="7000.00"`)
	if n := len(p.gw.calls("POST /awards/a-1/contract")); n != 0 {
		t.Fatalf("a contract with 31 February was sent: %d", n)
	}
	form.Set("periodStart-day", "1")
	p.gw.fail("POST /awards/a-1/contract", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "INVALID_FIELD",
		violations: [][2]string{{"milestones", "the amounts sum to 7000.00: they must sum to the awarded value 9400.00"}}})
	p.post("/buyer/tenders/t-1/contract", form).want(t, http.StatusUnprocessableEntity, `href="#f-milestones"`,
		"The milestones&#39; amounts must add up to the awarded value", `value="37255501"`)
	p.gw.fail("POST /awards/a-1/contract", fakeError{status: 400, code: "FAILED_PRECONDITION", reason: "STANDSTILL"})
	p.post("/buyer/tenders/t-1/contract", form).want(t, http.StatusUnprocessableEntity, "The contract cannot be signed yet")
	if got := p.gw.calls("POST /awards/a-1/contract")[0].Body; got["periodStart"] != "2027-02-01" || got["periodEnd"] != "2027-12-31" {
		t.Errorf("the contract sent: %v", got)
	}
}

// The open tenders page pages as the API does, by key: twenty, then "Next" starts after the twentieth
// (?before=), and a later page links back to the first; the search words stay in both links.
func TestOpenTendersPageByKey(t *testing.T) {
	p := newPortal(t)
	p.gw.mu.Lock()
	p.gw.tenders, p.gw.bids = map[string]map[string]any{}, map[string]map[string]any{}
	for i := 1; i <= 25; i++ {
		id := fmt.Sprintf("t-%d", i)
		p.gw.tenders[id] = map[string]any{"id": id, "title": fmt.Sprintf("Road salt lot %d", i), "status": "active",
			"currency": "EUR", "tenderEnd": "2026-12-21T06:00:00Z"}
	}
	p.gw.mu.Unlock()
	first := p.get("/tenders?q=salt").want(t, http.StatusOK, "Road salt lot 25", "Road salt lot 6", `href="/tenders?before=t-6&amp;q=salt"`)
	if strings.Contains(first.body, "Road salt lot 5<") || strings.Contains(first.body, "First page") {
		t.Fatalf("the first page shows more than twenty, or a link to itself:\n%s", first.body)
	}
	later := p.get("/tenders?before=t-6&q=salt").want(t, http.StatusOK, "Road salt lot 5", "Road salt lot 1", "First page",
		`href="/tenders?q=salt"`)
	if strings.Contains(later.body, "Road salt lot 6<") || strings.Contains(later.body, `rel="next"`) {
		t.Fatalf("the last page repeats the first's, or has a next page:\n%s", later.body)
	}
}
