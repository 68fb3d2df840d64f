package payments_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
	"github.com/govstackbb/marketplace/services/payments/internal/fakerail"
)

func instruction(id, key, value, amount string) *paymentsv1.CreditInstruction {
	return &paymentsv1.CreditInstruction{RequestId: id, Amount: amount, Currency: "EUR",
		CreditParty: []*paymentsv1.Party{{Key: key, Value: value}},
		DebitParty:  []*paymentsv1.Party{{Key: "payerIdentifier", Value: "EE-TREASURY-1"}}}
}

func (e *env) register(ids map[string]string) {
	e.t.Helper()
	req := &paymentsv1.RegisterBeneficiariesRequest{RequestId: "reg-1"}
	for id, address := range ids {
		req.Beneficiaries = append(req.Beneficiaries, &paymentsv1.Beneficiary{PayeeIdentity: id, PaymentModality: "01", FinancialAddress: address})
	}
	if _, err := e.mapper.RegisterBeneficiaries(call(treasury, "x-registering-institution-id", "ministry",
		"x-callback-url", e.callbacks.URL+"/mapper"), req); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) fund(amount string) {
	e.t.Helper()
	if _, err := e.ledger.FundAccount(call(treasury, "x-correlationid", "fund-"+amount),
		&paymentsv1.FundAccountRequest{Code: "funding:EE-TREASURY-1", Currency: "EUR", Amount: amount, Reference: "treasury"}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) account(code string) *paymentsv1.LedgerAccount {
	e.t.Helper()
	a, err := e.ledger.GetLedgerAccount(call(treasury), &paymentsv1.GetLedgerAccountRequest{Code: code, Currency: "EUR"})
	if err != nil {
		e.t.Fatalf("%s: %v", code, err)
	}
	return a.GetAccount()
}

func (e *env) summary(batchID string) *paymentsv1.GetBatchSummaryResponse {
	e.t.Helper()
	s, err := e.bulk.GetBatchSummary(call(treasury), &paymentsv1.GetBatchSummaryRequest{BatchId: batchID})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// A batch with bad accounts, an unknown payee, a payment whose answer is lost, one the rail never got, one
// settled later by callback and one the rail fails: validated, authorised, paid, reconciled — and the
// ledger, the batch and the rail agree to the cent, with no payment made twice.
func TestBatchIsPaidOnceAndReconcilesToTheCent(t *testing.T) {
	e := start(t, nil)
	ctx := context.Background()
	e.register(map[string]string{"EE0001": "372550001", "EE0002": "372550002", "EE0003": "372550003000"})
	e.fund("5000.00")
	var mu sync.Mutex
	tried := map[string]int{}
	e.rail.FaultFor = func(in domain.RailInstruction) fakerail.Fault {
		mu.Lock()
		defer mu.Unlock()
		tried[in.Payee.FinancialAddress]++
		switch in.Payee.FinancialAddress {
		case "372550004":
			return fakerail.LoseAnswer
		case "372550005":
			if tried[in.Payee.FinancialAddress] == 1 {
				return fakerail.LoseRequest
			}
		case "372550006":
			return fakerail.Pending
		}
		return fakerail.Normal
	}
	first := instruction("i1", "functionalId", "EE0001", "100.00")
	first.References = map[string]string{"contractId": "C-7", "awardId": "A-3"}
	batch := []*paymentsv1.CreditInstruction{first,
		instruction("i2", "functionalId", "EE0002", "200.5"),
		instruction("i3", "functionalId", "EE0003", "1.00"),
		instruction("i4", "functionalId", "EE9999", "2.00"),
		instruction("i5", "msisdn", "372550004", "10"),
		instruction("i6", "msisdn", "372550005", "20.00"),
		instruction("i7", "msisdn", "372550006", "30.00"),
		instruction("i8", "msisdn", "372550007999", "40.00"),
	}
	resp, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "batch-1", "x-callback-url", e.callbacks.URL+"/batch"),
		&paymentsv1.BulkPaymentRequest{Type: "raw", Instructions: batch})
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetBatchId()
	e.work()
	v, err := e.bulk.GetValidation(call(treasury), &paymentsv1.GetValidationRequest{BatchId: id})
	if err != nil || v.GetStatus() != "DONE" || v.GetNumberOfFailedCases() != 2 {
		t.Fatalf("validation: %v, %v", v, err)
	}
	if s := e.summary(id); s.GetStatus() != "VALIDATED" || s.GetRejected() != 2 {
		t.Fatalf("after validation: %v", s)
	}
	auth, err := e.bulk.AuthorizeFunds(e.as("approver-1", []string{"staff"}, "x-client-correlation-id", "auth-1"),
		&paymentsv1.AuthorizeFundsRequest{BatchId: id, PayerIdentifier: "EE-TREASURY-1", Currency: "EUR", Amount: "400.50"})
	if err != nil || auth.GetAuthorized() != "Y" || auth.GetStatus() != "AUTHORIZED" {
		t.Fatalf("authorisation: %v, %v", auth, err)
	}
	if got := e.account("funding:EE-TREASURY-1").GetAvailable(); got != "4599.50" {
		t.Fatalf("funding after the reservation: %s, want 4599.50", got)
	}
	e.work() // pays: i1, i2 settle, i8 fails, i7 pends, i5 and i6 are in doubt
	if s := e.summary(id); s.GetStatus() != "AUTHORIZED" || s.GetOngoing() != 3 {
		t.Fatalf("after the first pass: %v", s)
	}
	// The pending payment settles, and its callback arrives twice and once more out of order.
	pending := e.rail.PendingIDs()
	if len(pending) != 1 {
		t.Fatalf("pending at the rail: %v", pending)
	}
	body := e.rail.Settle(pending[0], domain.RailSettled)
	for range 2 {
		cb, err := e.rails.RailCallback(call("EE/COM/mobilemoney/callbacks"), &paymentsv1.RailCallbackRequest{Rail: "mobilemoney",
			Body: callbackBody(t, body)})
		if err != nil || cb.GetStatus() != "COMPLETED" {
			t.Fatalf("rail callback: %v, %v", cb, err)
		}
	}
	stale, _ := json.Marshal(map[string]string{"ID": pending[0], "State": "PENDING"})
	if cb, err := e.rails.RailCallback(call("EE/COM/mobilemoney/callbacks"), &paymentsv1.RailCallbackRequest{Rail: "mobilemoney",
		Body: callbackBody(t, stale)}); err != nil || cb.GetStatus() != "COMPLETED" {
		t.Fatalf("a stale callback changed the payment: %v, %v", cb, err)
	}
	e.clock.Advance(time.Minute) // the in-doubt payments are due for reconciliation
	e.work()
	s := e.summary(id)
	if s.GetStatus() != "COMPLETED" || s.GetCompleted() != 5 || s.GetFailed() != 3 || s.GetCompletedAmount() != "360.50" ||
		s.GetFailedAmount() != "43.00" || s.GetOngoing() != 0 {
		t.Fatalf("the batch at the end: %v", s)
	}
	// To the cent: the rail paid 5 payments, 360.50 EUR; the ledger agrees; nothing is left in clearing.
	count, totals := e.rail.Settled()
	if count != 5 || totals["EUR"] != 36050 {
		t.Fatalf("the rail settled %d payments, %v", count, totals)
	}
	if a := e.account("rail:mobilemoney"); a.GetCreditsPosted() != "360.50" || a.GetCreditsPending() != "0.00" {
		t.Fatalf("rail account: %v", a)
	}
	if a := e.account("funding:EE-TREASURY-1"); a.GetAvailable() != "4639.50" {
		t.Fatalf("funding at the end: %v (5000 less 360.50 paid)", a)
	}
	if a := e.account("clearing:batch:" + id); a.GetAvailable() != "0.00" || a.GetDebitsPending() != "0.00" {
		t.Fatalf("clearing at the end: %v", a)
	}
	if tried["372550005"] != 2 {
		t.Errorf("the payment the rail never got was sent %d times, want once more under the same id", tried["372550005"])
	}
	checkEveryPaymentOnceInTheLedger(t, e, id)
	checkSettledEventsCarryReferences(t, e)
	checkCallbacksMatchTheirPollTwins(t, e, id)
	_ = ctx
}

func checkEveryPaymentOnceInTheLedger(t *testing.T, e *env, batchID string) {
	t.Helper()
	var dupes int
	// One reservation and at most one settlement per payment: per instruction and kind, one ledger row.
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM (SELECT reference, kind FROM ledger_transfer
		WHERE reference LIKE 'instruction:%' GROUP BY reference, kind HAVING count(*) > 1) d`).Scan(&dupes); err != nil || dupes != 0 {
		t.Fatalf("%d payments reserved or settled twice (%v)", dupes, err)
	}
	var posts int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM ledger_transfer WHERE kind = 'post'
		AND reference LIKE 'instruction:%'`).Scan(&posts); err != nil || posts != 5 {
		t.Fatalf("%d settlements in the ledger (%v), want 5", posts, err)
	}
	details, err := e.bulk.GetBatchDetails(call(treasury), &paymentsv1.GetBatchDetailsRequest{BatchId: batchID, Status: "COMPLETED"})
	if err != nil || len(details.GetTransfers()) != 5 {
		t.Fatalf("details: %v, %v", details, err)
	}
	// Narrowed to the correlation id it was handed over under: the same; under another: nothing.
	b, err := e.bulk.GetBatchSummary(call(treasury), &paymentsv1.GetBatchSummaryRequest{BatchId: batchID})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]int{b.GetRequestId(): 5, "another-key": 0} {
		details, err := e.bulk.GetBatchDetails(call(treasury), &paymentsv1.GetBatchDetailsRequest{BatchId: batchID, Status: "COMPLETED",
			XCorrelationId: key})
		if err != nil || len(details.GetTransfers()) != want {
			t.Errorf("details under X-CorrelationID %q: %d rows, %v; want %d", key, len(details.GetTransfers()), err, want)
		}
	}
}

func checkSettledEventsCarryReferences(t *testing.T, e *env) {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), `SELECT payload FROM outbox WHERE type = $1`, paymentsv1.EventPaymentSettled)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var settled, withRefs int
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var ev paymentsv1.PaymentEvent
		if err := protojson.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		settled++
		if ev.GetPaymentId() == "i1" && ev.GetReferences()["contractId"] == "C-7" && ev.GetReferences()["awardId"] == "A-3" {
			withRefs++
		}
	}
	if settled != 5 || withRefs != 1 {
		t.Fatalf("%d payment.settled events, %d with i1's references; want 5 and 1", settled, withRefs)
	}
}

func checkCallbacksMatchTheirPollTwins(t *testing.T, e *env, batchID string) {
	t.Helper()
	got := e.callbacks.got("/batch")
	if len(got) < 3 { // validated, authorised, completed
		t.Fatalf("%d batch status callbacks", len(got))
	}
	var last paymentsv1.GetBatchSummaryResponse
	if err := protojson.Unmarshal(got[len(got)-1], &last); err != nil {
		t.Fatal(err)
	}
	poll := e.summary(batchID)
	if last.GetStatus() != poll.GetStatus() || last.GetCompletedAmount() != poll.GetCompletedAmount() || last.GetBatchId() != batchID {
		t.Fatalf("the last callback %v differs from its poll twin %v", &last, poll)
	}
	if !strings.Contains(string(got[len(got)-1]), `"completed_amount":"360.50"`) {
		t.Errorf("callback body does not spell the spec's field names: %s", got[len(got)-1])
	}
}
