package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// TestDemoTendersSeeded: govstack dev's demo procurement — the four tenders of the seed use cases at their
// stages (open for bids with an answered question, in evaluation with opened bids, contracted, a draft), made
// through the API by demo buyers and suppliers who sign in with the demo password, each published one with
// its OCDS releases and Workflow instance — and a second run adds nothing.
func TestDemoTendersSeeded(t *testing.T) {
	t.Parallel() // a stack of its own (startStackWith)
	s := startStack(t)
	ctx := context.Background()
	if err := s.dev.SeedDemoTenders(ctx); err != nil {
		t.Fatal(err)
	}
	before := demoState(t, s)
	want := map[string]string{
		"IT communications equipment for Grace Academy Darlaston":  "active",
		"HMPPS data and reporting platform":                        "evaluation",
		"Occupational health services":                             "contracted",
		"Mental health treatment requirements in Devon and Torbay": "draft",
	}
	for title, status := range want {
		if got := before[title]; got.status != status {
			t.Errorf("%q is %q, want %q", title, got.status, status)
		}
	}
	grace, moj, thanet := before["IT communications equipment for Grace Academy Darlaston"],
		before["HMPPS data and reporting platform"], before["Occupational health services"]
	expect(t, s.do(t, "GET", "/tenders/"+grace.id+"/questions", "", nil), 200, "PoE+, 802.3at")
	buyer := bearer(signIn(t, s, devstack.DemoBuyers[1].Email, devstack.DemoPassword))
	expect(t, s.do(t, "GET", "/tenders/"+moj.id+"/bids", "", buyer), 200, `"price":"695000.00"`, `"price":"730000.00"`)
	expect(t, s.do(t, "GET", "/awards?tenderId="+thanet.id, "", nil), 200, `"companyId":"09876543"`, `"status":"contracted"`)
	for _, tender := range []demoTender{grace, moj, thanet} {
		r := s.do(t, "GET", "/ocds/releasePackages/"+url.PathEscape(tender.ocid), "", nil)
		expect(t, r, 200, `"tag":["tender"]`)
		valid(t, r.body)
		expect(t, s.do(t, "GET", "/instances?processId=procurement&businessKey="+tender.id, "", nil), 200, `"businessKey":"`+tender.id+`"`)
	}

	// Each tender's specification is a PDF its buyer uploaded to Registration: public once the tender is
	// published (procurement reads it from Registration through the IM), not while it is a draft.
	nhs := before["Mental health treatment requirements in Devon and Torbay"]
	for _, tender := range []demoTender{grace, nhs} {
		docs := s.do(t, "GET", "/tenders/"+tender.id, "", bearer(signIn(t, s, devstack.DemoBuyers[3].Email, devstack.DemoPassword))).
			json(t).(map[string]any)["documents"].([]any)
		doc := docs[0].(map[string]any)["id"].(string)
		r := s.do(t, "GET", "/tenders/"+tender.id+"/documents/"+doc, "", nil)
		if tender == nhs {
			expect(t, r, 404)
			continue
		}
		if r.code != 200 || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF-1.4") ||
			!strings.Contains(r.body, "Grace Academy Darlaston") || r.header.Get("Content-Disposition") != "attachment; filename=specification.pdf" {
			t.Errorf("the published tender's specification: %d %q %q %.40q", r.code, r.header.Get("Content-Type"),
				r.header.Get("Content-Disposition"), r.body)
		}
	}

	// The treasury holds the demo funds milestones are paid from, in the demo currencies.
	finance := map[string]string{"Information-Mediator-Client": "GOVSTACK/GOV/GOVSTACK/finance"}
	for _, currency := range []string{"GBP", "EUR"} {
		expect(t, s.do(t, "GET", "/ledger/account?code=funding:TREASURY&currency="+currency, "", finance), 200, `"available":"5000000.00"`)
	}

	// A second start's seed finds every tender and adds nothing, nor funds again.
	if err := s.dev.SeedDemoTenders(ctx); err != nil {
		t.Fatal(err)
	}
	if after := demoState(t, s); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("the second seed changed the demo tenders:\n%v\n%v", before, after)
	}
	expect(t, s.do(t, "GET", "/ledger/account?code=funding:TREASURY&currency=GBP", "", finance), 200, `"available":"5000000.00"`)
}

// demoTender is what the idempotency check compares: id, ocid, status and how many releases.
type demoTender struct {
	id, ocid, status string
	releases         int
}

// demoState reads every demo buyer's tenders by title; a title twice fails the test.
func demoState(t *testing.T, s *stack) map[string]demoTender {
	t.Helper()
	state := map[string]demoTender{}
	for _, b := range devstack.DemoBuyers {
		token := bearer(signIn(t, s, b.Email, devstack.DemoPassword))
		for _, v := range s.do(t, "GET", "/tenders?limit=500", "", token).json(t).([]any) {
			if field2(v, "buyerOrganisation") != b.Organisation {
				continue
			}
			title := field2(v, "title").(string)
			if _, twice := state[title]; twice {
				t.Fatalf("%s has %q twice", b.Organisation, title)
			}
			d := demoTender{id: field2(v, "id").(string), ocid: fmt.Sprint(field2(v, "ocid")), status: field2(v, "status").(string)}
			if d.status != "draft" {
				pkg := s.do(t, "GET", "/ocds/releasePackages/"+url.PathEscape(d.ocid), "", nil).json(t)
				d.releases = len(field2(pkg, "releases").([]any))
			}
			state[title] = d
		}
	}
	return state
}
