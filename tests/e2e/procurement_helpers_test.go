package e2e

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/platform/testkit"
)

// procurementDay is how long a working day lasts in the procurement tests (GOVSTACK_PROCUREMENT_WORKING_DAY).
const procurementDay = 4 * time.Second

// startProcurementStack is the stack with working days procurementDay long, and its settings (to restart it).
func startProcurementStack(t *testing.T) (*stack, devstack.Config) {
	var cfg devstack.Config
	s := startStackWith(t, func(c *devstack.Config) { c.Procurement.WorkingDay = procurementDay; cfg = *c })
	return s, cfg
}

// supplier is a registered supplier: its login e-mail and token.
type supplier struct{ email, token, company string }

// registerSupplier registers a supplier account for a company of the companies registry and signs it in.
func registerSupplier(t *testing.T, s *stack, company, name string) supplier {
	t.Helper()
	email := fmt.Sprintf("%s.%d@supplier.example", name, time.Now().UnixNano()%1_000_000)
	const password = "a long enough passphrase 7"
	r := s.do(t, "POST", "/accounts/suppliers/drafts", fmt.Sprintf(`{"companyId":%q,"companyName":%q,"contactName":%q,
		"contactEmail":%q,"contactPhone":"+3725550000","loginEmail":%q}`, company, name+" Ltd", name, email, email), nil)
	expect(t, r, 200)
	draft := jsonMap(t, r)["draftId"].(string)
	expect(t, s.do(t, "POST", "/accounts/suppliers/drafts/"+draft+"/submit", `{}`, nil), 200)
	token := activationToken(t, s, email, 1)
	expect(t, s.do(t, "POST", "/accounts/activate", `{"token":"`+token+`","password":"`+password+`"}`, nil), 200)
	return supplier{email: email, token: signIn(t, s, email, password), company: company}
}

// tenderDraft is a complete draft: one item, price 60 % and quality 40 %, enquiries for one working day and
// bids for two.
const tenderDraft = `{"title":"IT communications equipment","description":"Switches and phones for the academy",
  "estimatedValue":"10000.00","currency":"EUR",
  "items":[{"description":"Network switch","cpvCode":"32420000-3","quantity":4,"unit":"piece"}],
  "awardCriteria":[{"id":"price","name":"Price","kind":"price","weight":60},{"id":"quality","name":"Technical quality","kind":"quality","weight":40}],
  "enquiryPeriodDays":1,"tenderPeriodDays":2,"standstillDays":1,
  "documents":[{"id":"spec-1","title":"Technical specification","url":"https://academy.example/spec.pdf"}]}`

// publishTender drafts and publishes a tender as the buyer; it returns the tender.
func publishTender(t *testing.T, s *stack, buyer string) map[string]any {
	t.Helper()
	r := s.do(t, "POST", "/tenders", tenderDraft, bearer(buyer))
	expect(t, r, 201, `"status":"draft"`)
	id := jsonMap(t, r)["id"].(string)
	r = s.do(t, "POST", "/tenders/"+id+"/publish", `{}`, bearer(buyer))
	expect(t, r, 200, `"status":"active"`, `"tenderEnd"`)
	return jsonMap(t, r)
}

// waitJSON polls GET path until check accepts the decoded body.
func waitJSON(t *testing.T, s *stack, path string, headers map[string]string, what string, check func(any) bool) any {
	t.Helper()
	var last any
	testkit.Eventually(t, 60*time.Second, what, func() error {
		r := s.do(t, "GET", path, "", headers)
		if r.code != 200 {
			return fmt.Errorf("%d %s", r.code, r.body)
		}
		if err := json.Unmarshal([]byte(r.body), &last); err != nil {
			return err
		}
		if !check(last) {
			return fmt.Errorf("not yet: %s", r.body)
		}
		return nil
	})
	return last
}

func field2(v any, name string) any {
	m, _ := v.(map[string]any)
	return m[name]
}

// completeTasks completes the open procurement user tasks the buyer sees in turn, each with the next of
// variables (a JSON object), waiting for each to appear; it returns the tasks' names.
func completeTasks(t *testing.T, s *stack, buyer string, variables ...string) []string {
	t.Helper()
	var names []string
	for _, v := range variables {
		tasks := waitJSON(t, s, "/user-tasks?processId=procurement", bearer(buyer), "a procurement user task", func(v any) bool {
			l, _ := v.([]any)
			return len(l) > 0
		}).([]any)
		id := field2(tasks[0], "id").(string)
		names = append(names, field2(tasks[0], "name").(string))
		expect(t, s.do(t, "POST", "/user-tasks/"+id+"/completion", `{"variables":`+v+`}`, bearer(buyer)), 200)
	}
	return names
}

// financeOffice funds the payer's account and returns the headers of its finance office, who authorise
// procurement's batches: procurement's own IM member (GOVSTACK/GOV/GOVSTACK), as Payments keeps a member's
// batches and accounts to its own subsystems, with an approver's token (the administrator's).
func financeOffice(t *testing.T, s *stack, tenderID string) map[string]string {
	t.Helper()
	tenant := map[string]string{"Information-Mediator-Client": "GOVSTACK/GOV/GOVSTACK/finance"}
	expect(t, s.do(t, "POST", "/ledger/funding", `{"code":"funding:TREASURY","currency":"EUR","amount":"100000.00"}`,
		mergeHeaders(tenant, map[string]string{"X-CorrelationID": "fund-" + tenderID})), 200)
	return mergeHeaders(tenant, bearer(signIn(t, s, devstack.DevAdminEmail, devstack.DevAdminPassword)))
}

// payMilestone waits for milestone i's Payments batch, authorises it as finance and waits for it paid.
func payMilestone(t *testing.T, s *stack, contractID string, i int, milestoneID string, finance map[string]string) {
	t.Helper()
	got := waitJSON(t, s, "/contracts/"+contractID, nil, "the payment instructed", func(v any) bool {
		b, _ := field2(field2(v, "milestones").([]any)[i], "paymentBatchId").(string)
		return b != ""
	})
	m := field2(got, "milestones").([]any)[i]
	batch := field2(m, "paymentBatchId").(string)
	waitBatch(t, s, batch, finance, "VALIDATED")
	expect(t, s.do(t, "POST", "/batches/"+batch+"?command=authorize", fmt.Sprintf(`{"batchID":%q,"payerIdentifier":"TREASURY","currency":"EUR","amount":%s}`,
		batch, field2(m, "amount")), mergeHeaders(finance, map[string]string{"X-Client-Correlation-ID": "auth-" + milestoneID})), 202)
	waitJSON(t, s, "/contracts/"+contractID, nil, "milestone paid", func(v any) bool {
		return field2(field2(v, "milestones").([]any)[i], "status") == "paid"
	})
}
