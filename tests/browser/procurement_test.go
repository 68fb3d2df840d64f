package browser

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/govstackbb/marketplace/platform/testkit"
)

// procurementDay is how long a working day lasts in this package's stack (GOVSTACK_PROCUREMENT_WORKING_DAY):
// the tender's enquiry period is two, its bids five (a minute: the suppliers' and the buyer's pages before the
// deadline take about half of it on a busy machine), its standstill one.
const procurementDay = 12 * time.Second

// The tender journey through the portal against the real stack: a buyer drafts a tender, is refused a bad
// CPV code next to its field, publishes; one supplier finds it by search, asks a question, bids and changes
// its bid; another bids; the buyer answers, sees the bids sealed; after the deadline a late change is refused
// on its form, the buyer declares no conflict, scores both bids, does the committee's and legal's steps; the
// award is made, the losing bidder complains and the buyer resolves it; after the standstill the buyer signs
// the contract and confirms its milestone delivered; the administrator authorises the payment and the buyer
// sees it paid. Accounts are registered through the API (their pages have their own journeys).
func TestTenderToPaymentJourney(t *testing.T) {
	tag := fmt.Sprint(time.Now().UnixNano() % 1_000_000)
	title := "Network switches for Tallinn schools " + tag
	registerBuyerAPI(t, "bella."+tag+"@moj.gov.example")
	registerSupplierAPI(t, "123456789", "sales."+tag+"@contoso.example")
	registerSupplierAPI(t, "987654321", "bids."+tag+"@fabrikam.example")
	buyer := newTab(t, "buyer", true)
	buyer.activateAndSignIn("bella."+tag+"@moj.gov.example", "a tender for every school")
	contoso := newTab(t, "supplier contoso", true)
	contoso.activateAndSignIn("sales."+tag+"@contoso.example", "switches and phones 2027")
	fabrikam := newTab(t, "supplier fabrikam", false)
	fabrikam.activateAndSignIn("bids."+tag+"@fabrikam.example", "cables and racks 2027")

	tenderURL := buyer.draftAndPublish(title)
	publicURL := strings.Replace(tenderURL, "/buyer/tenders/", "/tenders/", 1)

	contoso.open("/tenders")
	contoso.fill("f-q", "Tallinn schools "+tag)
	contoso.submit()
	contoso.see("#tenders", title)
	contoso.shot("tender-search")
	contoso.click("#tenders a")
	contoso.fill("f-question", "Is PoE+ required on every port?")
	contoso.click("#ask")
	contoso.see(".govuk-notification-banner", "Your question has been sent")
	contoso.bid("9500.00", "48-port PoE+ switches", "Contoso datasheet", "")
	contoso.see(".govuk-notification-banner", "Your bid has been submitted")
	contoso.see("#bid-summary", "Sealed until")
	contoso.click("#change-bid")
	contoso.shot("bid-change")
	contoso.bid("9400.00", "48-port PoE+ switches, five-year warranty", "", pdfFile(t, "contoso-warranty.pdf"))
	contoso.see(".govuk-notification-banner", "Your bid has been changed")

	fabrikam.open(publicURL)
	fabrikam.bid("9800.00", "24-port switches", "", "")
	fabrikam.see(".govuk-notification-banner", "Your bid has been submitted")

	buyer.open(tenderURL)
	buyer.fill(answerBoxID(buyer), "Yes, PoE+ on every port.")
	buyer.click("#questions form button")
	buyer.see("#questions", "PoE+ on every port")
	buyer.see("#sealed", "Bids are sealed")
	buyer.see("#bids", "123456789", "987654321", "Sealed")
	if strings.Contains(buyer.text("#bids"), "9400") {
		t.Fatal("the buyer reads a sealed bid's price")
	}
	buyer.shot("tender-bids-sealed")

	// After the deadline: a change is refused on its form; the bids open and eligibility runs.
	buyer.waitFor(tenderURL, "#bids", "Eligible", func(s string) bool { return strings.Count(s, "Eligible") == 2 })
	fabrikam.open(publicURL + "/bid")
	fabrikam.fill("f-price", "9000.00")
	fabrikam.fill("f-proposal", "cheaper now")
	fabrikam.submit()
	fabrikam.see(".govuk-error-summary", "Bids are no longer accepted")
	fabrikam.shot("bid-late")

	buyer.see("#bids", "contoso-warranty.pdf") // the changed bid's uploaded document, opened with it
	// It is Registration's, which lets only Contoso read it there: procurement serves it to the buyer.
	if got := buyer.download(`#bids a[href*="/documents/"]`); got != "200 application/pdf %PDF-" {
		t.Fatalf("the buyer downloads the opened bid's document: %q", got)
	}
	buyer.evaluate(tenderURL)
	buyer.waitFor(tenderURL, "#award-summary", "Standstill", nil)
	buyer.see("#audit", "Bid scored", "Step done", "Award decided")
	buyer.shot("tender-award")

	fabrikam.open(publicURL)
	fabrikam.see("#bid-summary", "Not awarded")
	fabrikam.fill("f-complaint", "Our switches were cheaper per port.")
	fabrikam.click("#complain")
	fabrikam.see(".govuk-notification-banner", "Your complaint has been filed")
	buyer.open(tenderURL)
	buyer.fill(resolutionBoxID(buyer), "Price per port is not a criterion; the ranking stands.")
	buyer.click(".complaint form button")
	buyer.see(".complaint", "Resolved")

	buyer.waitFor(tenderURL, "#award", "Create the contract", func(string) bool { return buyer.exists("#create-contract") })
	buyer.signContract()
	buyer.shot("tender-contract")
	// The treasury's funding is an operator's ledger entry at Payments; the portal has no page for it.
	apiWith(t, http.MethodPost, "/ledger/funding", "", map[string]string{"X-CorrelationID": "fund-" + tag},
		map[string]string{"code": "funding:TREASURY", "currency": "EUR", "amount": "100000.00"}, nil)
	buyer.click("#milestones form button")
	buyer.see(".govuk-notification-banner", "The delivery has been confirmed")

	admin := newTab(t, "administrator", true)
	admin.signInAdmin()
	admin.waitFor("/payments", "main", "Delivery and installation", nil)
	admin.shot("tender-payments-to-authorise")
	admin.click("#batches form button")
	admin.see(".govuk-notification-banner", "has been authorised")

	buyer.waitFor(tenderURL, "#milestones", "Paid", nil)
	buyer.waitFor(tenderURL, "#tender-summary", "Complete", nil)
	buyer.shot("tender-paid")
	contoso.open("/bids")
	contoso.see("#my-bids", title, "Awarded", "rank 1")
	contoso.shot("bid-list")
	contoso.click(`a[hreflang="et"]`)
	contoso.see("main", "Teie pakkumused", "Edukas")
	contoso.shot("bid-list-et")
	t.Logf("%d pages checked with axe-core", buyer.pages+contoso.pages+fabrikam.pages+admin.pages)
}

// pdfFile writes a small PDF named name and returns its path.
func pdfFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// registerBuyerAPI registers a buyer of the Ministry of Justice (an approved domain in govstack dev).
func registerBuyerAPI(t *testing.T, email string) {
	t.Helper()
	api(t, http.MethodPost, "/accounts/buyers", "", map[string]string{"email": email, "name": "Bella Buyer", "organisation": "Ministry of Justice"}, nil)
}

// registerSupplierAPI registers a supplier account for a company of the demo companies registry.
func registerSupplierAPI(t *testing.T, company, email string) {
	t.Helper()
	var draft struct {
		DraftID string `json:"draftId"`
	}
	api(t, http.MethodPost, "/accounts/suppliers/drafts", "", map[string]string{"companyId": company, "companyName": "Company " + company,
		"contactName": "Sales", "contactEmail": email, "contactPhone": "+3725550000", "loginEmail": email}, &draft)
	api(t, http.MethodPost, "/accounts/suppliers/drafts/"+draft.DraftID+"/submit", "", map[string]string{}, nil)
}

// draftAndPublish drafts the tender, is refused publication for a CPV code that is not one (next to its
// field), corrects it and publishes; it returns the buyer's page of the tender.
func (b *tab) draftAndPublish(title string) string {
	b.t.Helper()
	b.open("/buyer/tenders")
	b.click("#new-tender")
	b.fill("f-title", title)
	b.fill("f-description", "PoE+ switches for the schools' classrooms")
	b.fill("f-estimatedValue", "10000.00")
	b.fill("f-item0-description", "48-port network switch")
	b.fill("f-item0-cpvCode", "3242")
	b.setValue("f-item0-quantity", "4")
	b.fill("f-item0-unit", "piece")
	b.setValue("f-enquiryDays", "2")
	b.setValue("f-tenderDays", "5")
	b.setValue("f-standstillDays", "1")
	b.shot("tender-draft")
	b.click("#save")
	b.see(".govuk-notification-banner", "has been saved")
	b.click("#publish")
	b.see("#f-item0-cpvCode-error", "Enter a CPV code")
	b.shot("tender-publish-errors")
	b.setValue("f-item0-cpvCode", "32420000-3")
	b.click("#save-publish")
	b.see(".govuk-notification-banner", "has been published")
	b.see("#tender-summary", "Open for bids")
	return b.url()
}

// bid fills the bid form (from the tender's page or the form itself) and sends it, with a document published
// at an address (its title) or uploaded (a file's path), or neither.
func (b *tab) bid(price, proposal, document, file string) {
	b.t.Helper()
	if b.exists("#submit-bid") {
		b.click("#submit-bid")
	}
	b.setValue("f-price", price)
	b.setValue("f-proposal", proposal)
	if document != "" {
		b.fill("f-doc0-title", document)
		b.fill("f-doc0-url", "https://contoso.example/datasheet.pdf")
	}
	if file != "" {
		b.do(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}))
	}
	b.click("#send-bid")
}

// evaluate declares no conflict, scores every eligible bid (the cheaper one higher), and completes the
// evaluation, the committee's approval and the legal evaluation, each as it appears.
func (b *tab) evaluate(tenderURL string) {
	b.t.Helper()
	b.choose("#f-conflict")
	b.fill("f-statement", "I have no interest in any bidder.")
	b.click("#declare")
	b.see("#declared", "You have declared")
	for i, href := range b.hrefs(`#bids a[href$="/score"]`) {
		b.open(href)
		if i == 0 {
			b.shot("tender-score")
		}
		for _, c := range []string{"price", "quality"} {
			b.fill("f-score-"+c, fmt.Sprint(90-10*i))
			b.fill("f-reason-"+c, "Meets the specification")
		}
		b.submit()
		b.see(".govuk-notification-banner", "Your scores have been recorded")
	}
	for _, step := range []string{"Technical and commercial evaluation", "Contracts committee approval", "Legal evaluation"} {
		b.waitFor(tenderURL, "#steps ~ form.task, #no-steps", step, nil)
		if step == "Contracts committee approval" {
			b.choose(`form.task input[value="approve"]`)
			b.shot("tender-committee")
		}
		b.click("form.task button")
		b.see(".govuk-notification-banner", step+" is done")
	}
}

// signContract signs the contract for a year with one milestone worth the awarded value.
func (b *tab) signContract() {
	b.t.Helper()
	b.click("#create-contract")
	for _, d := range []struct{ name, day, month, year string }{{"periodStart", "1", "2", "2027"}, {"periodEnd", "31", "12", "2027"}} {
		b.fill("f-"+d.name+"-day", d.day)
		b.fill("f-"+d.name+"-month", d.month)
		b.fill("f-"+d.name+"-year", d.year)
	}
	b.fill("f-payeeValue", "37255501")
	b.fill("f-milestone0-title", "Delivery and installation")
	b.fill("f-milestone0-amount", "9400.00")
	b.submit()
	b.see(".govuk-notification-banner", "The contract has been signed")
	b.see("#milestones", "Delivery and installation", "EUR 9,400.00", "Not delivered yet")
}

// waitFor reloads path until the element sel shows want (and ok, when given, accepts its text): the
// procurement process moves on its own after deadlines. axe checks the page it waited for; the reloads
// before it show the same page in an earlier state.
func (b *tab) waitFor(path, sel, want string, ok func(string) bool) {
	b.t.Helper()
	testkit.Eventually(b.t, 8*procurementDay, b.journey+": "+sel+" shows "+want, func() error {
		b.reload(path)
		got := ""
		if b.exists(sel) {
			got = b.text(sel)
		}
		if !strings.Contains(got, want) && ok == nil || ok != nil && !ok(got) {
			return fmt.Errorf("%s shows %q", sel, got)
		}
		return nil
	})
	b.checkScripts()
	b.axe()
}

// reload loads a portal page without checking it with axe.
func (b *tab) reload(path string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if !strings.HasPrefix(path, "http") {
		path = env.portal + path
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(path))
	if err != nil {
		b.t.Fatalf("%s: loading %s: %v", b.journey, path, err)
	}
	if resp.Status >= 500 || resp.Status == 404 || resp.Status == 403 {
		b.t.Fatalf("%s: %s answered %d", b.journey, resp.URL, resp.Status)
	}
}

// setValue replaces a field's value (one the page filled in).
func (b *tab) setValue(id, value string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.ID(id), value))
}

// exists reports whether the page has an element matching sel.
func (b *tab) exists(sel string) bool {
	b.t.Helper()
	return len(b.hrefsOf(sel, "")) > 0
}

// hrefs are the href attributes of the elements matching sel.
func (b *tab) hrefs(sel string) []string {
	b.t.Helper()
	return b.hrefsOf(sel, "href")
}

// hrefsOf is attribute attr of every element matching sel ("" for each without it).
func (b *tab) hrefsOf(sel, attr string) []string {
	b.t.Helper()
	if !b.js { // reading the page runs a script: on for the read only, as axe is
		b.scripts(true)
		defer b.scripts(false)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).map(e => e.getAttribute(%q) || "")`, sel, attr)
	out, err := chromedp.Run(ctx, chromedp.EvaluateAsDevTools[[]string](js))
	if err != nil {
		b.t.Fatalf("%s: %s: %v", b.journey, sel, err)
	}
	return out
}

// download fetches the first link matching sel with the tab's session, as following it would, and returns
// the answer's status, content type and first five bytes.
func (b *tab) download(sel string) string {
	b.t.Helper()
	if !b.js {
		b.scripts(true)
		defer b.scripts(false)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	js := fmt.Sprintf(`(async () => {
		const a = document.querySelector(%q);
		if (!a) return "no link";
		const r = await fetch(a.href), body = new Uint8Array(await r.arrayBuffer());
		return r.status + " " + r.headers.get("content-type") + " " + String.fromCharCode(...body.slice(0, 5));
	})()`, sel)
	out, err := chromedp.Run(ctx, chromedp.EvaluateAsDevTools[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: download %s: %v", b.journey, sel, err)
	}
	return out
}

// answerBoxID is the id of the first unanswered question's answer box; resolutionBoxID the first open
// complaint's resolution box (their ids carry the question's and the complaint's).
func answerBoxID(b *tab) string     { return firstID(b, `textarea[name^="answer-"]`) }
func resolutionBoxID(b *tab) string { return firstID(b, `textarea[name^="resolution-"]`) }

func firstID(b *tab, sel string) string {
	b.t.Helper()
	ids := b.hrefsOf(sel, "id")
	if len(ids) == 0 {
		b.t.Fatalf("%s: no %s on %s", b.journey, sel, b.url())
	}
	return ids[0]
}
