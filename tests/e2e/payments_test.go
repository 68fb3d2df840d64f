package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/platform/imident"
)

// payInstruction is one credit instruction of GovStack's batch, its amount a JSON number as the spec writes it.
func payInstruction(id, key, value string, amount string) string {
	return fmt.Sprintf(`{"requestId":%q,"creditParty":[{"key":%q,"value":%q}],"debitParty":[{"key":"payerIdentifier","value":"TREASURY"}],
		"paymentMode":"01","amount":%s,"currency":"EUR","descriptionText":"benefit","references":{"contractId":"C-%s"}}`, id, key, value, amount, id)
}

func field(t *testing.T, r response, name string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("not a JSON object: %s", r.body)
	}
	return m[name]
}

// TestPaymentsThroughTheGateway is issue 16's "done" through the REST API: a batch with duplicates is refused
// listing them; a batch with bad accounts is validated, authorised by a signed-in approver, paid through the
// rail and reconciles to the cent; the same request sent twice with one key pays once and a changed body
// under that key is refused; a voucher redeemed by two clients at once pays once; a 1.0 path answers with its
// file's status.
func TestPaymentsThroughTheGateway(t *testing.T) {
	s := startStack(t)
	suffix := fmt.Sprint(time.Now().UnixNano() % 1_000_000)
	tag := func(id string) string { return id + suffix }
	approver := signIn(t, s, devstack.DevAdminEmail, devstack.DevAdminPassword)
	tenant := map[string]string{"Platform-TenantId": "ministry"} // every call of this test is in the ministry's data

	expect(t, s.do(t, "POST", "/identityAccountMapper/beneficiary", `{"RequestID":"`+tag("r")+`","Beneficiaries":[
		{"payeeIdentity":"`+tag("P1")+`","PaymentModality":"01","FinancialAddress":"37255501"},
		{"payeeIdentity":"`+tag("P2")+`","PaymentModality":"01","FinancialAddress":"37255502"}]}`,
		mergeHeaders(tenant, map[string]string{"X-Registering-Institution-ID": "ministry"})), 200, `"responseCode":"00"`)
	expect(t, s.do(t, "POST", "/ledger/funding", `{"code":"funding:TREASURY","currency":"EUR","amount":"1000.00"}`,
		mergeHeaders(tenant, map[string]string{"X-CorrelationID": tag("fund")})), 200, `"available":"1000.00"`)

	// Duplicates are refused, listed.
	dup := "[" + payInstruction(tag("d1"), "functionalId", tag("P1"), "1") + "," + payInstruction(tag("d1"), "functionalId", tag("P2"), "2") + "]"
	expect(t, s.do(t, "POST", "/batchtransactions?type=raw", dup, map[string]string{"X-CorrelationID": tag("dup")}), 400,
		"DUPLICATE_INSTRUCTIONS", tag("d1"))

	// A batch with a bad account (ends 000), a failing one (ends 999) and an unknown payee.
	batch := "[" + strings.Join([]string{
		payInstruction(tag("i1"), "functionalId", tag("P1"), "100.10"),
		payInstruction(tag("i2"), "functionalId", tag("P2"), "200"),
		payInstruction(tag("i3"), "msisdn", "37255503", "50.5"),
		payInstruction(tag("i4"), "msisdn", "37255504000", "10"),
		payInstruction(tag("i5"), "msisdn", "37255505999", "20"),
		payInstruction(tag("i6"), "functionalId", tag("UNKNOWN"), "30"),
	}, ",") + "]"
	headers := map[string]string{"X-CorrelationID": tag("batch"), "Platform-TenantId": "ministry"}
	r := s.do(t, "POST", "/batchtransactions?type=raw", batch, headers)
	expect(t, r, 202, `"batchId"`)
	id := field(t, r, "batchId").(string)
	// The same request again under the key: the same batch; a changed body under it: refused.
	again := s.do(t, "POST", "/batchtransactions?type=raw", batch, headers)
	if again.code != 202 || field(t, again, "batchId") != id {
		t.Fatalf("replay: %d %s, want 202 and batch %s", again.code, again.body, id)
	}
	expect(t, s.do(t, "POST", "/batchtransactions?type=raw", strings.Replace(batch, "100.10", "1000.10", 1), headers), 409,
		"IDEMPOTENCY_KEY_REUSED")

	waitBatch(t, s, id, headers, "VALIDATED")
	expect(t, s.do(t, "GET", "/batches/"+id+"/validation", "", headers), 200, `"numberOfFailedCases":2`, tag("i4"), tag("i6"))
	auth := s.do(t, "POST", "/batches/"+id+"?command=authorize", `{"batchID":"`+id+`","payerIdentifier":"TREASURY","currency":"EUR",
		"amount":370.60}`, mergeHeaders(headers, bearer(approver), map[string]string{"X-Client-Correlation-ID": tag("auth")}))
	expect(t, auth, 202, `"authorized":"Y"`)
	summary := waitBatch(t, s, id, headers, "COMPLETED")
	if summary["completed_amount"] != "350.60" || summary["completed"] != 3.0 || summary["failed"] != 3.0 {
		t.Fatalf("the batch at the end: %v", summary)
	}
	// To the cent: the funding account lost what was paid, the rail account got it, clearing holds nothing.
	account := func(code string) map[string]any {
		r := s.do(t, "GET", "/ledger/account?code="+code+"&currency=EUR", "", headers)
		expect(t, r, 200)
		return field(t, r, "account").(map[string]any)
	}
	if a := account("funding:TREASURY"); a["available"] != "649.40" {
		t.Errorf("funding: %v, want 649.40 (1000 less 350.60)", a)
	}
	if a := account("rail:sandbox"); a["creditsPosted"] != "350.60" || a["creditsPending"] != "0.00" {
		t.Errorf("rail: %v", a)
	}
	if a := account("clearing:batch:" + id); a["available"] != "0.00" {
		t.Errorf("clearing: %v", a)
	}
	details := s.do(t, "GET", "/api/v1/batch/detail?batchId="+id+"&status=COMPLETED", "", headers)
	expect(t, details, 200, `"contractId":"C-`+tag("i1")+`"`)
	var rows []any
	if err := json.Unmarshal([]byte(details.body), &rows); err != nil || len(rows) != 3 {
		t.Fatalf("details: %v %s", err, details.body)
	}

	voucherRedeemedOnceByTwoClients(t, s, tag)
}

// waitBatch polls the batch's status (the poll twin of its callback) until it is want.
func waitBatch(t *testing.T, s *stack, id string, headers map[string]string, want string) map[string]any {
	t.Helper()
	return waitBatchFor(t, s, id, headers, want, 30*time.Second)
}

func voucherRedeemedOnceByTwoClients(t *testing.T, s *stack, tag func(string) string) {
	t.Helper()
	program := map[string]string{"X-Program-Id": tag("seeds"), "X-CorrelationID": tag("v")}
	expect(t, s.do(t, "POST", "/ledger/funding", `{"code":"budget:`+tag("seeds")+`","currency":"KES","amount":"500"}`,
		map[string]string{"X-CorrelationID": tag("budget")}), 200)
	r := s.do(t, "POST", "/vouchers", `{"requestID":"v1","voucherInstructions":[{"instructionID":"v1","groupCode":"FRT","currency":"KES","amount":120}]}`, program)
	expect(t, r, 200, `"voucherNumber"`)
	v := field(t, r, "vouchers").([]any)[0].(map[string]any)
	serial, number := v["serialNumber"].(string), v["voucherNumber"].(string)
	expect(t, s.do(t, "PUT", "/vouchers?command=activate", `{"VoucherInstructions":[{"serialNumber":"`+serial+`"}]}`, nil), 200, `"ResponseCode":"00"`)
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i, who := range []string{"eGovStack/COM/10000001/agent", "eGovStack/COM/10000002/merchant"} {
		wg.Go(func() {
			codes[i] = s.do(t, "POST", "/vouchers?command=redeem", `{"voucherSerialNumber":"`+serial+`","voucherSecretNumber":"`+number+
				`","agentID":"AG`+fmt.Sprint(i)+`"}`, map[string]string{"Information-Mediator-Client": who}).code
		})
	}
	wg.Wait()
	if !(codes[0] == 200 && codes[1] == 400 || codes[0] == 400 && codes[1] == 200) {
		t.Fatalf("two redemptions at once answered %v; want one 200 and one 400", codes)
	}
	expect(t, s.do(t, "GET", "/vouchers/"+serial+"?fields=status", "", nil), 200, `"status":3`)
	// 1.0's spelling of the redemption path answers a wrong number with its file's 461.
	expect(t, s.do(t, "POST", "/vouchers/voucher_redeemption", `{"voucher_number":"0000000000000000","Gov_Stack_BB":"e2e",
		"merchant_name":"shop"}`, nil), 461, "INVALID_VOUCHER_NUMBER")
}

// TestOnlyClientsWithPaymentRightsMayPay: in production mode, a client the operator has not granted
// BulkPayment is refused; once granted, its batch is accepted.
func TestOnlyClientsWithPaymentRightsMayPay(t *testing.T) {
	s := startStackWith(t, func(c *devstack.Config) { c.DevMode = false })
	ctx := context.Background()
	admin := imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "ADMIN", Subsystem: "console"}
	adminKey, err := s.dev.IssueAPIKey(ctx, admin, true)
	if err != nil {
		t.Fatal(err)
	}
	as := func(client, key string) map[string]string {
		return map[string]string{"Information-Mediator-Client": "", "X-GovStack-Client": client, "X-GovStack-Api-Key": key,
			"X-CorrelationID": "rights-1"}
	}
	im := as(admin.String(), adminKey)
	expect(t, s.do(t, "PUT", "/api/v1/clients/GOVSTACK:GOV:70000001:treasury", `{"memberName":"Treasury"}`, im), 200)
	r := s.do(t, "POST", "/api/v1/clients/GOVSTACK:GOV:70000001:treasury/apikeys", "", im)
	expect(t, r, 201)
	treasury := as("GOVSTACK/GOV/70000001/treasury", field(t, r, "key").(string))
	batch := "[" + payInstruction("R1", "msisdn", "3725", "1") + "]"
	expect(t, s.do(t, "POST", "/batchtransactions?type=raw", batch, treasury), 403, "no access")
	grant := `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"payments","serviceId":"payments",
	  "rights":[{"memberClass":"GOV","memberCode":"70000001","applicationId":"treasury",
	             "endpoints":["/govstack.payments.v1.BulkPaymentService/BulkPayment"]}]}]`
	expect(t, s.do(t, "PATCH", "/api/v1/rights/allow", grant, im), 200, "allowed")
	expect(t, s.do(t, "POST", "/batchtransactions?type=raw", batch, treasury), 202, `"batchId"`)
	// The right is per endpoint: funding an account is still refused.
	expect(t, s.do(t, "POST", "/ledger/funding", `{"code":"funding:X","currency":"EUR","amount":"1"}`, treasury), 403)
}
