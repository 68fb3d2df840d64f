package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTenderSearchAndMyBidsThroughTheGateway: GET /tenders finds by words and CPV prefix and pages by
// before, a bad parameter is a 400 naming it; GET /bids answers a supplier its own bids across tenders with
// each tender's title, sealed — never another company's — and refuses a caller without a supplier's token.
func TestTenderSearchAndMyBidsThroughTheGateway(t *testing.T) {
	t.Parallel() // a stack of its own (startStackWith)
	s, _ := startProcurementStack(t)
	_, buyer := registerBuyer(t, s, "sofia")
	contoso := registerSupplier(t, s, "123456789", "contoso")
	fabrikam := registerSupplier(t, s, "987654321", "fabrikam")
	first := publishTender(t, s, buyer)["id"].(string)
	second := publishTender(t, s, buyer)["id"].(string)
	expect(t, s.do(t, "POST", "/tenders/"+first+"/bids", `{"price":"9500.00","proposal":"PoE+ switches"}`, bearer(contoso.token)), 201)
	expect(t, s.do(t, "POST", "/tenders/"+second+"/bids", `{"price":"9400.00","proposal":"PoE+ switches"}`, bearer(contoso.token)), 201)
	expect(t, s.do(t, "POST", "/tenders/"+first+"/bids", `{"price":"8000.00","proposal":"24-port"}`, bearer(fabrikam.token)), 201)

	ids := func(r response) []string {
		t.Helper()
		var list []struct {
			ID  string `json:"id"`
			Bid struct {
				ID string `json:"id"`
			} `json:"bid"`
		}
		if err := json.Unmarshal([]byte(r.body), &list); err != nil {
			t.Fatalf("not a bare array: %s", r.body)
		}
		var out []string
		for _, x := range list {
			out = append(out, x.ID+x.Bid.ID)
		}
		return out
	}
	r := s.do(t, "GET", "/tenders?q=COMMUNICATIONS%20equip&cpv=3242&status=active", "", nil)
	expect(t, r, 200)
	if got := ids(r); len(got) != 2 || got[0] != second || got[1] != first {
		t.Fatalf("search: %v, want [%s %s]", got, second, first)
	}
	if r := s.do(t, "GET", "/tenders?q=ambulance", "", nil); r.code != 200 || len(ids(r)) != 0 {
		t.Fatalf("a word no tender has: %d %s", r.code, r.body)
	}
	r = s.do(t, "GET", "/tenders?q=communications&limit=1&before="+second, "", nil)
	if got := ids(r); len(got) != 1 || got[0] != first {
		t.Fatalf("the page after %s: %s", second, r.body)
	}
	expect(t, s.do(t, "GET", "/tenders?cpv=3", "", nil), 400, `"field":"cpv"`)
	expect(t, s.do(t, "GET", "/tenders?limit=501", "", nil), 400, `"field":"limit"`)
	expect(t, s.do(t, "GET", "/tenders?before=nope", "", nil), 400, `"field":"before"`)

	r = s.do(t, "GET", "/bids", "", bearer(contoso.token))
	expect(t, r, 200, `"tenderTitle":"IT communications equipment"`, `"sealed":true`, `"companyId":"123456789"`)
	if got := ids(r); len(got) != 2 || strings.Contains(r.body, "987654321") || strings.Contains(r.body, "9500") {
		t.Fatalf("contoso's bids: %s", r.body)
	}
	expect(t, s.do(t, "GET", "/bids", "", nil), 401)
	expect(t, s.do(t, "GET", "/bids", "", bearer(buyer)), 403)
	expect(t, s.do(t, "GET", "/bids?limit=101", "", bearer(contoso.token)), 400, `"field":"limit"`)
}
