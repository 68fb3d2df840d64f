package e2e

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/services/procurement"
)

// TestOCDSAndReportingThroughTheGateway: the OCDS documents and the reports are public REST routes of the
// gateway — no user token — answered in OCDS's own JSON; before the opening a release shows no bid, after
// it the bid and its bidder.
func TestOCDSAndReportingThroughTheGateway(t *testing.T) {
	t.Parallel() // a stack of its own (startStackWith)
	s, _ := startProcurementStack(t)
	_, buyer := registerBuyer(t, s, "olga")
	northwind := registerSupplier(t, s, "09876543", "northwind")
	tender := publishTender(t, s, buyer)
	id, ocid := tender["id"].(string), tender["ocid"].(string)
	expect(t, s.do(t, "POST", "/tenders/"+id+"/bids", `{"price":"9321.00","proposal":"switches"}`, bearer(northwind.token)), 201)

	r := s.do(t, "GET", "/ocds/releasePackages/"+url.PathEscape(ocid), "", nil)
	expect(t, r, 200, `"ocid":"`+ocid+`"`, `"tag":["tender"]`, `"publisher"`, `"bidders"`)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	valid(t, r.body)
	if strings.Contains(r.body, "9321") || strings.Contains(r.body, "09876543") {
		t.Fatalf("a sealed bid shows in OCDS: %s", r.body)
	}
	r = s.do(t, "GET", "/ocds/recordPackages/"+url.PathEscape(ocid), "", nil)
	expect(t, r, 200, `"compiledRelease"`, `"records"`)
	valid(t, r.body)
	var rec struct {
		Records []struct {
			CompiledRelease struct {
				Tender struct{ Status string } `json:"tender"`
			} `json:"compiledRelease"`
		} `json:"records"`
	}
	if err := json.Unmarshal([]byte(r.body), &rec); err != nil || len(rec.Records) != 1 || rec.Records[0].CompiledRelease.Tender.Status != "active" {
		t.Fatalf("record: %v %s", err, r.body)
	}
	expect(t, s.do(t, "GET", "/ocds/releasePackages?limit=1", "", nil), 200, `"links"`, `"next"`)
	expect(t, s.do(t, "GET", "/ocds/releasePackages?since=yesterday", "", nil), 400, "since")
	expect(t, s.do(t, "GET", "/ocds/recordPackages/ocds-none", "", nil), 404)
	expect(t, s.do(t, "GET", "/reports/tendersByStage", "", nil), 200, `"stage":"active"`)
	expect(t, s.do(t, "GET", "/reports/bidsPerTender", "", nil), 200, `"bids":1`)
	expect(t, s.do(t, "GET", "/reports/redFlags", "", nil), 200, `"rules"`, `"minTenderDays":15`)

	// At the deadline the bids open, and the next release shows the bid and its bidder.
	waitJSON(t, s, "/ocds/releasePackages/"+url.PathEscape(ocid), nil, "the opening's release", func(v any) bool {
		raw, _ := json.Marshal(v)
		return strings.Contains(string(raw), `"amount":9321`) && strings.Contains(string(raw), `"tenderer"`)
	})

	// Cancelled after the opening: the record says so, and still validates.
	expect(t, s.do(t, "POST", "/tenders/"+id+"/cancel", `{"reason":"the budget was withdrawn"}`, bearer(buyer)), 200)
	r = s.do(t, "GET", "/ocds/recordPackages/"+url.PathEscape(ocid), "", nil)
	expect(t, r, 200, `"tenderCancellation"`, `"status":"cancelled"`)
	valid(t, r.body)
	r = s.do(t, "GET", "/ocds/releasePackages?limit=1000", "", nil)
	expect(t, r, 200)
	valid(t, r.body)
}

// valid fails t unless doc validates against OCDS 1.1.5 with the bids extension.
func valid(t *testing.T, doc string) {
	t.Helper()
	if err := procurement.ValidateOCDS([]byte(doc)); err != nil {
		t.Fatalf("%v: %s", err, doc)
	}
}
