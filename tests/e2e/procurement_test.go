package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestProcurementFromDraftToPaidAndClosed is issue 17's "done means" through the gateway: a buyer publishes a
// tender; a supplier asks and every follower is e-mailed the answer; three suppliers bid — one late (refused),
// one whose company is dissolved before the deadline (disqualified at eligibility); the bids stay sealed until
// the deadline; the panel scores (a member with a conflict of interest cannot); the committee and legal
// approve; the best-value bid is awarded and every bidder told; a complaint pauses the standstill until it is
// resolved; the contract's two milestones are delivered, paid through Payments, and the tender closes. The
// whole stack is stopped before the bids' deadline and started again after it. The OCDS release and record
// packages of the process validate and tell the same story as the API.
func TestProcurementFromDraftToPaidAndClosed(t *testing.T) {
	t.Parallel() // a stack of its own (startStackWith)
	s, cfg := startProcurementStack(t)
	_, buyer := registerBuyer(t, s, "bella")
	_, conflicted := registerBuyer(t, s, "conrad")
	contoso := registerSupplier(t, s, "123456789", "contoso")
	fabrikam := registerSupplier(t, s, "987654321", "fabrikam")
	initech := registerSupplier(t, s, "555000111", "initech")

	// Validation names every field.
	expect(t, s.do(t, "POST", "/tenders", `{"title":"x"}`, bearer(contoso.token)), 403, "BUYER_REQUIRED")
	bad := strings.Replace(tenderDraft, `"weight":40`, `"weight":30`, 1)
	bad = strings.Replace(bad, `"32420000-3"`, `"3242"`, 1)
	r := s.do(t, "POST", "/tenders", bad, bearer(buyer))
	expect(t, r, 201)
	expect(t, s.do(t, "POST", "/tenders/"+jsonMap(t, r)["id"].(string)+"/publish", `{}`, bearer(buyer)), 400,
		"tender.awardCriteria", "sum to 90", "tender.items[0].cpvCode")

	tender := publishTender(t, s, buyer)
	id := tender["id"].(string)
	expect(t, s.do(t, "GET", "/tenders/"+id, "", nil), 200, "Technical specification")

	// Questions in the enquiry period; the answer is public and mailed to the followers.
	r = s.do(t, "POST", "/tenders/"+id+"/questions", `{"text":"Is PoE required?"}`, bearer(contoso.token))
	expect(t, r, 201)
	qid := jsonMap(t, r)["id"].(string)
	expect(t, s.do(t, "POST", "/tenders/"+id+"/questions/"+qid+"/answer", `{"answer":"Yes, PoE+ on every port."}`, bearer(buyer)), 200)
	expect(t, s.do(t, "GET", "/tenders/"+id+"/questions", "", nil), 200, "PoE+ on every port")
	s.mail.waitFor(t, 1, to(contoso.email, "A question on tender"))

	// Bids: sealed; a receipt each.
	r = s.do(t, "POST", "/tenders/"+id+"/bids", `{"price":"9500.00","proposal":"48-port PoE+ switches",
	  "documents":[{"id":"doc-contoso-1","title":"Contoso datasheet"}]}`, bearer(contoso.token))
	expect(t, r, 201, `"sealed":true`)
	if strings.Contains(r.body, "9500") || strings.Contains(r.body, "Contoso datasheet") {
		t.Fatalf("a sealed bid shows its price: %s", r.body)
	}
	expect(t, s.do(t, "POST", "/tenders/"+id+"/bids", `{"price":"8000.00","proposal":"24-port switches"}`, bearer(fabrikam.token)), 201)
	expect(t, s.do(t, "POST", "/tenders/"+id+"/bids", `{"price":"1.00","proposal":"again"}`, bearer(fabrikam.token)), 409, "BID_EXISTS")
	buyerView := s.do(t, "GET", "/tenders/"+id+"/bids", "", bearer(buyer))
	expect(t, buyerView, 200, `"sealed":true`)
	if strings.Contains(buyerView.body, "8000") || strings.Contains(buyerView.body, "9500") {
		t.Fatalf("the buyer reads sealed bids: %s", buyerView.body)
	}
	s.mail.waitFor(t, 1, to(contoso.email, "Bid received"))
	s.mail.waitFor(t, 1, to(fabrikam.email, "Bid received"))
	// Fabrikam is dissolved before the deadline: eligibility disqualifies it.
	expect(t, s.do(t, "PUT", "/data/companies/1.0/update",
		`{"query":{"content":{"companyId":"987654321"}},"write":{"content":{"status":"dissolved"}}}`, nil), 200)

	// The whole stack stops before the deadline and starts again after it: the deadline fires late, once,
	// and the process goes on where it was.
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	s.dev.Close() // its connections go now, not when the test ends: the Postgres server is shared
	tenderEnd, _ := time.Parse(time.RFC3339, tender["tenderEnd"].(string))
	time.Sleep(time.Until(tenderEnd) + 1100*time.Millisecond) // the JSON times are whole seconds
	s = restartStack(t, cfg, s.mail)

	// After the deadline: a late bid is refused; the bids open, eligibility runs.
	expect(t, s.do(t, "POST", "/tenders/"+id+"/bids", `{"price":"7000.00","proposal":"late"}`, bearer(initech.token)), 400,
		"PERIOD_ENDED", "no longer accepted")
	bids := waitJSON(t, s, "/tenders/"+id+"/bids", bearer(buyer), "eligibility decided", func(v any) bool {
		l, _ := v.([]any)
		return len(l) == 2 && field2(l[0], "status") != "submitted" && field2(l[1], "status") != "submitted"
	}).([]any)
	var contosoBid string
	for _, b := range bids {
		switch field2(b, "companyId") {
		case "123456789":
			contosoBid = field2(b, "id").(string)
			docs, _ := field2(b, "documents").([]any)
			if field2(b, "status") != "eligible" || field2(b, "price") != "9500.00" || len(docs) != 1 {
				t.Fatalf("contoso's bid after opening: %v", b)
			}
		case "987654321":
			if field2(b, "status") != "disqualified" || !strings.Contains(field2(b, "disqualificationReason").(string), "dissolved") {
				t.Fatalf("fabrikam's bid: %v", b)
			}
		}
	}
	s.mail.waitFor(t, 1, to(fabrikam.email, "Bid disqualified"))

	// Evaluation: a conflicted member cannot score; the panel scores with reasons.
	scores := `{"scores":[{"criterionId":"price","score":90,"reason":"below the estimate"},{"criterionId":"quality","score":80,"reason":"meets every requirement"}]}`
	expect(t, s.do(t, "POST", "/tenders/"+id+"/bids/"+contosoBid+"/scores", scores, bearer(buyer)), 400, "DECLARATION_REQUIRED")
	expect(t, s.do(t, "POST", "/tenders/"+id+"/declarations", `{"conflict":true,"statement":"my brother works at Contoso"}`, bearer(conflicted)), 200)
	expect(t, s.do(t, "POST", "/tenders/"+id+"/bids/"+contosoBid+"/scores", scores, bearer(conflicted)), 403, "CONFLICT_OF_INTEREST")
	expect(t, s.do(t, "POST", "/tenders/"+id+"/declarations", `{"conflict":false,"statement":"no interest in any bidder"}`, bearer(buyer)), 200)
	expect(t, s.do(t, "POST", "/tenders/"+id+"/bids/"+contosoBid+"/scores", `{"scores":[{"criterionId":"price","score":90,"reason":""}]}`,
		bearer(buyer)), 400, "scores[0].reason", "quality")
	expect(t, s.do(t, "POST", "/tenders/"+id+"/bids/"+contosoBid+"/scores", scores, bearer(buyer)), 200)
	// The process's steps are the tender's organisation's: another organisation's buyer neither sees nor does them.
	_, outsider := registerBuyerOf(t, s, "sarah", "Thanet District Council", "thanet.gov.uk")
	mine := waitJSON(t, s, "/user-tasks?processId=procurement", bearer(buyer), "the evaluation task", func(v any) bool {
		l, _ := v.([]any)
		return len(l) > 0
	}).([]any)
	if theirs := s.do(t, "GET", "/user-tasks?processId=procurement", "", bearer(outsider)); theirs.code != 200 || len(theirs.json(t).([]any)) != 0 {
		t.Fatalf("another organisation's buyer sees the tender's tasks: %d %s", theirs.code, theirs.body)
	}
	expect(t, s.do(t, "POST", "/user-tasks/"+field2(mine[0], "id").(string)+"/completion", `{"variables":{}}`, bearer(outsider)), 403, "NOT_A_CANDIDATE")
	// The committee returns the ranking to the panel once, then approves; legal follows.
	steps := completeTasks(t, s, buyer, `{}`, `{"approved":false}`, `{}`, `{"approved":true}`, `{}`)
	if want := "Technical and commercial evaluation,Contracts committee approval,Technical and commercial evaluation," +
		"Contracts committee approval,Legal evaluation"; strings.Join(steps, ",") != want {
		t.Fatalf("the steps: %v", steps)
	}

	awards := waitJSON(t, s, "/awards?tenderId="+id, nil, "the award", func(v any) bool { l, _ := v.([]any); return len(l) == 1 }).([]any)
	award := awards[0]
	awardID := field2(award, "id").(string)
	if field2(award, "companyId") != "123456789" || field2(award, "value") != "9500.00" || field2(award, "status") != "standstill" {
		t.Fatalf("award: %v", award)
	}
	// The audit trail: declarations, scores, the people's steps in Workflow (who, when), the award.
	waitJSON(t, s, "/tenders/"+id+"/evaluation", bearer(buyer), "the committee's and legal's steps audited", func(v any) bool {
		n := 0
		for _, e := range field2(v, "audit").([]any) {
			if field2(e, "action") == "task.completed" {
				n++
			}
		}
		return n == 5
	})
	evaluation := s.do(t, "GET", "/tenders/"+id+"/evaluation", "", bearer(buyer))
	expect(t, evaluation, 200, `"totalScore":"86.00"`, `"action":"declared.conflict"`, `"action":"bid.scored"`, `"action":"award.decided"`,
		`"detail":"Contracts committee approval"`, `"detail":"Legal evaluation"`)
	s.mail.waitFor(t, 1, to(contoso.email, "Award decision"))
	s.mail.waitFor(t, 1, to(fabrikam.email, "Award decision"))

	// A complaint pauses the standstill until the buyer resolves it; the contract waits for it.
	r = s.do(t, "POST", "/awards/"+awardID+"/complaints", `{"text":"we were still registered"}`, bearer(fabrikam.token))
	expect(t, r, 201, `"status":"open"`)
	complaint := jsonMap(t, r)["id"].(string)
	standstillEnd, _ := time.Parse(time.RFC3339, field2(award, "standstillEnd").(string))
	time.Sleep(time.Until(standstillEnd) + procurementDay/2 + time.Second)
	contract := `{"periodStart":"2027-01-01","periodEnd":"2027-06-30","payeeKey":"msisdn","payeeValue":"37255501",
	  "milestones":[{"title":"Delivery","amount":"7000.00"},{"title":"Installation","amount":"2500.00"}]}`
	expect(t, s.do(t, "POST", "/awards/"+awardID+"/contract", contract, bearer(buyer)), 400, "STANDSTILL")
	expect(t, s.do(t, "POST", "/awards/"+awardID+"/complaints/"+complaint+"/resolve", `{"resolution":"the registry shows the company dissolved"}`, bearer(buyer)), 200)
	waitJSON(t, s, "/awards/"+awardID, nil, "the standstill over", func(v any) bool { return field2(v, "status") == "active" })
	r = s.do(t, "POST", "/awards/"+awardID+"/contract", contract, bearer(buyer))
	expect(t, r, 201, `"status":"active"`)
	c := jsonMap(t, r)
	contractID := c["id"].(string)

	// Delivery → payment through Payments (finance authorises the batch) → paid → closed.
	finance := financeOffice(t, s, id)
	for i, m := range c["milestones"].([]any) {
		mid := field2(m, "id").(string)
		expect(t, s.do(t, "POST", "/contracts/"+contractID+"/milestones/"+mid+"/delivery", `{}`, bearer(buyer)), 200, `"status":"delivered"`)
		payMilestone(t, s, contractID, i, mid, finance)
	}
	waitJSON(t, s, "/tenders/"+id, nil, "the tender closed", func(v any) bool { return field2(v, "status") == "complete" })
	expect(t, s.do(t, "GET", "/contracts/"+contractID, "", nil), 200, `"status":"terminated"`)

	// The OCDS record validates and tells the same story.
	checkPaidStory(t, s, tender["ocid"].(string), award.(map[string]any), c)
}
