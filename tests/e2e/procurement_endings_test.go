package e2e

import (
	"testing"
	"time"
)

// TestProcurementCancelledAfterBidsAndUnsuccessful are issue 17's other two endings: a tender cancelled after
// bids (bidders told, no more bids, the process ends), and one ending "unsuccessful" because its only bidder
// is disqualified at eligibility.
func TestProcurementCancelledAfterBidsAndUnsuccessful(t *testing.T) {
	t.Parallel() // a stack of its own (startStackWith)
	s, _ := startProcurementStack(t)
	_, buyer := registerBuyer(t, s, "carla")
	northwind := registerSupplier(t, s, "09876543", "northwind")
	globex := registerSupplier(t, s, "01234567", "globex")

	t.Run("cancelled after bids", func(t *testing.T) {
		id := publishTender(t, s, buyer)["id"].(string)
		expect(t, s.do(t, "POST", "/tenders/"+id+"/bids", `{"price":"9000.00","proposal":"switches"}`, bearer(northwind.token)), 201)
		expect(t, s.do(t, "POST", "/tenders/"+id+"/cancel", `{}`, bearer(buyer)), 400, "reason")
		expect(t, s.do(t, "POST", "/tenders/"+id+"/cancel", `{"reason":"the budget was withdrawn"}`, bearer(northwind.token)), 403)
		expect(t, s.do(t, "POST", "/tenders/"+id+"/cancel", `{"reason":"the budget was withdrawn"}`, bearer(buyer)), 200, `"status":"cancelled"`)
		expect(t, s.do(t, "POST", "/tenders/"+id+"/bids", `{"price":"8000.00","proposal":"late"}`, bearer(globex.token)), 400, "cancelled")
		s.mail.waitFor(t, 1, to(northwind.email, "Tender "+id+" was cancelled"))
		waitJSON(t, s, "/instances/?processId=procurement&businessKey="+id, nil, "the process ended", func(v any) bool {
			l, _ := v.([]any)
			return len(l) == 1 && field2(l[0], "state") == "completed"
		})
		expect(t, s.do(t, "POST", "/tenders/"+id+"/cancel", `{"reason":"again"}`, bearer(buyer)), 400, "WRONG_STATUS")
	})

	t.Run("unsuccessful", func(t *testing.T) {
		tender := publishTender(t, s, buyer)
		id := tender["id"].(string)
		expect(t, s.do(t, "POST", "/tenders/"+id+"/bids", `{"price":"9900.00","proposal":"logistics"}`, bearer(globex.token)), 201)
		expect(t, s.do(t, "PUT", "/data/companies/1.0/update",
			`{"query":{"content":{"companyId":"01234567"}},"write":{"content":{"status":"dissolved"}}}`, nil), 200)
		end, _ := time.Parse(time.RFC3339, tender["tenderEnd"].(string))
		time.Sleep(time.Until(end))
		waitJSON(t, s, "/tenders/"+id, nil, "the tender unsuccessful", func(v any) bool { return field2(v, "status") == "unsuccessful" })
		s.mail.waitFor(t, 1, to(globex.email, "Tender "+id+" ended without an award"))
		expect(t, s.do(t, "GET", "/awards?tenderId="+id, "", nil), 200, `[]`)
	})
}
