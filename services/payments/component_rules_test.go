package payments_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/testkit"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"
)

func TestABatchWithDuplicatesIsRefusedListingThem(t *testing.T) {
	e := start(t, nil)
	_, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "dup-1"), &paymentsv1.BulkPaymentRequest{Instructions: []*paymentsv1.CreditInstruction{
		instruction("a", "msisdn", "1", "1"), instruction("b", "msisdn", "2", "1"), instruction("a", "msisdn", "3", "1"),
		instruction("c", "msisdn", "4", "1"), instruction("b", "msisdn", "5", "1")}})
	st := testkit.WantReason(t, err, codes.InvalidArgument, "DUPLICATE_INSTRUCTIONS")
	if !strings.Contains(st.Message(), `"a", "b"`) {
		t.Errorf("the refusal does not list the duplicates: %s", st.Message())
	}
	// A payment handed over in an earlier batch is refused in a later one, under any correlation id.
	if _, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "ok-1"), &paymentsv1.BulkPaymentRequest{
		Instructions: []*paymentsv1.CreditInstruction{instruction("p1", "msisdn", "1", "5")}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.bulk.BulkPayment(call(treasury, "x-correlationid", "again-1"), &paymentsv1.BulkPaymentRequest{
		Instructions: []*paymentsv1.CreditInstruction{instruction("p2", "msisdn", "2", "5"), instruction("p1", "msisdn", "1", "5")}})
	st = testkit.WantReason(t, err, codes.InvalidArgument, "DUPLICATE_INSTRUCTIONS")
	if !strings.Contains(st.Message(), `"p1"`) {
		t.Errorf("the refusal does not name the payment already handed over: %s", st.Message())
	}
}

func TestAmountsAreCheckedAgainstTheCurrencyScale(t *testing.T) {
	e := start(t, nil)
	bad := instruction("x", "msisdn", "1", "10.555")
	jpy := instruction("y", "msisdn", "2", "10.5")
	jpy.Currency = "JPY"
	_, err := e.bulk.BulkPayment(call(treasury), &paymentsv1.BulkPaymentRequest{Instructions: []*paymentsv1.CreditInstruction{bad, jpy}})
	testkit.WantViolation(t, err, "[0].amount")
	testkit.WantViolation(t, err, "[1].amount")
}

// A batch above the threshold needs two different approvers; a non-approver and an anonymous caller are refused.
func TestFourEyesAboveTheThreshold(t *testing.T) {
	e := start(t, func(c *paymentsConfig) { c.FourEyesAbove = "1000" })
	e.fund("20000")
	resp, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "big"), &paymentsv1.BulkPaymentRequest{
		Instructions: []*paymentsv1.CreditInstruction{instruction("b1", "msisdn", "372551", "800"), instruction("b2", "msisdn", "372552", "700")}})
	if err != nil {
		t.Fatal(err)
	}
	e.work()
	req := &paymentsv1.AuthorizeFundsRequest{BatchId: resp.GetBatchId(), PayerIdentifier: "EE-TREASURY-1", Currency: "EUR", Amount: "1500"}
	_, err = e.bulk.AuthorizeFunds(call(treasury), req)
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = e.bulk.AuthorizeFunds(e.as("clerk", []string{"citizen"}), req)
	testkit.WantCode(t, err, codes.PermissionDenied)
	a, err := e.bulk.AuthorizeFunds(e.as("alice", []string{"staff"}, "x-client-correlation-id", "a1"), req)
	if err != nil || a.GetStatus() != "AWAITING_APPROVAL" || a.GetAuthorized() != "" {
		t.Fatalf("first approver: %v, %v", a, err)
	}
	_, err = e.bulk.AuthorizeFunds(e.as("alice", []string{"staff"}, "x-client-correlation-id", "a2"), req)
	testkit.WantReason(t, err, codes.FailedPrecondition, "ALREADY_APPROVED")
	if got := e.account("funding:EE-TREASURY-1").GetAvailable(); got != "20000.00" {
		t.Fatalf("funds moved before the second approval: %s", got)
	}
	a, err = e.bulk.AuthorizeFunds(e.as("bob", []string{"admin"}, "x-client-correlation-id", "b1"), req)
	if err != nil || a.GetStatus() != "AUTHORIZED" || a.GetAuthorized() != "Y" {
		t.Fatalf("second approver: %v, %v", a, err)
	}
	if got := e.account("funding:EE-TREASURY-1").GetAvailable(); got != "18500.00" {
		t.Fatalf("funding after two approvals: %s", got)
	}
}

func TestAuthorisationRefusedWhenFundsAreShort(t *testing.T) {
	e := start(t, nil)
	e.fund("10")
	resp, err := e.bulk.BulkPayment(call(treasury, "x-callback-url", e.callbacks.URL+"/b"), &paymentsv1.BulkPaymentRequest{
		Instructions: []*paymentsv1.CreditInstruction{instruction("s1", "msisdn", "372551", "25")}})
	if err != nil {
		t.Fatal(err)
	}
	e.work()
	req := &paymentsv1.AuthorizeFundsRequest{BatchId: resp.GetBatchId(), PayerIdentifier: "EE-TREASURY-1", Currency: "EUR", Amount: "20"}
	_, err = e.bulk.AuthorizeFunds(e.as("alice", []string{"staff"}), req)
	testkit.WantReason(t, err, codes.InvalidArgument, "AMOUNT_MISMATCH")
	req.Amount = "25"
	a, err := e.bulk.AuthorizeFunds(e.as("alice", []string{"staff"}), req)
	if err != nil || a.GetAuthorized() != "N" || a.GetStatus() != "REJECTED" || !strings.Contains(a.GetReason(), "10.00") {
		t.Fatalf("short of funds: %v, %v", a, err)
	}
	e.work()
	if got := e.account("funding:EE-TREASURY-1").GetAvailable(); got != "10.00" || e.rail.Submits() != 0 {
		t.Fatalf("a refused batch moved money: funding %s, %d submits", got, e.rail.Submits())
	}
	poll, err := e.bulk.GetAuthorization(call(treasury), &paymentsv1.GetAuthorizationRequest{BatchId: resp.GetBatchId()})
	if err != nil || poll.GetStatus() != "N" {
		t.Fatalf("authorisation poll: %v, %v", poll, err)
	}
	var rejected, refused bool
	for _, b := range e.callbacks.got("/b") {
		rejected = rejected || strings.Contains(string(b), `"status":"REJECTED"`) && strings.Contains(string(b), `"ongoing":0`)
		refused = refused || strings.Contains(string(b), `"status":"N"`)
	}
	if !rejected || !refused {
		t.Fatalf("callbacks: %q", e.callbacks.got("/b"))
	}
}

// The same request twice under one key pays once; a changed body under it is refused, saying so.
func TestTheSameRequestTwiceWithOneKeyPaysOnce(t *testing.T) {
	e := start(t, nil)
	req := &paymentsv1.BulkPaymentRequest{Instructions: []*paymentsv1.CreditInstruction{instruction("k1", "msisdn", "372551", "5")}}
	r1, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "same"), req)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "same"), req)
	if err != nil || r2.GetBatchId() != r1.GetBatchId() {
		t.Fatalf("replay: %v, %v; first %v", r2, err, r1)
	}
	changed := &paymentsv1.BulkPaymentRequest{Instructions: []*paymentsv1.CreditInstruction{instruction("k1", "msisdn", "372551", "500")}}
	_, err = e.bulk.BulkPayment(call(treasury, "x-correlationid", "same"), changed)
	st := testkit.WantReason(t, err, codes.AlreadyExists, "IDEMPOTENCY_KEY_REUSED")
	if !strings.Contains(st.Message(), "different request") {
		t.Errorf("the refusal does not say the body changed: %s", st.Message())
	}
	// The same key from another tenant is another request; so is Idempotency-Key's.
	if _, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "same", "platform-tenantid", "other"),
		&paymentsv1.BulkPaymentRequest{Instructions: []*paymentsv1.CreditInstruction{instruction("k1", "msisdn", "372551", "5")}}); err != nil {
		t.Fatalf("another tenant: %v", err)
	}
	var batches int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM batch`).Scan(&batches); err != nil || batches != 2 {
		t.Fatalf("%d batches (%v), want 2", batches, err)
	}
}

// Fifty identical requests at once, one key: exactly one transfer; each answer is the first's or 202.
func TestFiftyConcurrentIdenticalRequestsMakeOneTransfer(t *testing.T) {
	e := start(t, nil)
	var wg sync.WaitGroup
	var ok, accepted atomic.Int64
	for range 50 {
		wg.Go(func() {
			var hdr metadata.MD
			_, err := e.ledger.FundAccount(call(treasury, "x-correlationid", "fund-once"),
				&paymentsv1.FundAccountRequest{Code: "funding:EE-TREASURY-1", Currency: "EUR", Amount: "100"}, grpc.Header(&hdr))
			switch {
			case err == nil && len(hdr.Get("x-http-code")) == 0:
				ok.Add(1)
			case status.Code(err) == codes.Aborted || err == nil:
				accepted.Add(1) // still running: retry shortly
			default:
				t.Errorf("unexpected answer: %v", err)
			}
		})
	}
	wg.Wait()
	var transfers int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM ledger_transfer`).Scan(&transfers); err != nil || transfers != 1 {
		t.Fatalf("%d transfers (%v), want exactly 1", transfers, err)
	}
	if got := e.account("funding:EE-TREASURY-1").GetAvailable(); got != "100.00" || ok.Load() == 0 {
		t.Fatalf("funded %s; %d first answers, %d in progress", got, ok.Load(), accepted.Load())
	}
	// The same for batches: fifty hand-overs of one batch, one batch.
	req := &paymentsv1.BulkPaymentRequest{Instructions: []*paymentsv1.CreditInstruction{instruction("c1", "msisdn", "372551", "5")}}
	ids := sync.Map{}
	for range 50 {
		wg.Go(func() {
			r, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "batch-once"), req)
			if err != nil {
				t.Errorf("hand-over: %v", err)
				return
			}
			ids.Store(r.GetBatchId(), true)
		})
	}
	wg.Wait()
	var batches int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM batch`).Scan(&batches); err != nil || batches != 1 {
		t.Fatalf("%d batches (%v), want 1", batches, err)
	}
	ids.Range(func(k, _ any) bool {
		if k != "" {
			var n int
			_ = e.pool.QueryRow(context.Background(), `SELECT count(*) FROM batch WHERE id = $1`, k).Scan(&n)
			if n != 1 {
				t.Errorf("answered batch id %v does not exist", k)
			}
		}
		return true
	})
}

func TestCallbacksAreRetriedWithBackoff(t *testing.T) {
	e := start(t, nil)
	e.callbacks.failNext(2)
	if _, err := e.mapper.RegisterBeneficiaries(call(treasury, "x-registering-institution-id", "ministry",
		"x-callback-url", e.callbacks.URL+"/m"), &paymentsv1.RegisterBeneficiariesRequest{RequestId: "r-1",
		Beneficiaries: []*paymentsv1.Beneficiary{{PayeeIdentity: "EE1", PaymentModality: "01", FinancialAddress: "3725"},
			{PayeeIdentity: "EE2", PaymentModality: "77", FinancialAddress: "3726"}}}); err != nil {
		t.Fatal(err)
	}
	e.work() // first attempt fails
	for attempt := 2; len(e.callbacks.got("/m")) == 0; attempt++ {
		if attempt > 4 {
			t.Fatal("the callback was never delivered")
		}
		e.work() // not due yet: nothing is sent before the backoff
		e.clock.Advance(time.Duration(1<<attempt) * time.Second)
		e.work()
	}
	body := string(e.callbacks.got("/m")[0])
	poll, err := e.mapper.GetMapperResult(call(treasury), &paymentsv1.GetMapperResultRequest{RequestId: "r-1"})
	if err != nil || poll.GetNumberFailedCases() != 1 || !strings.Contains(body, `"numberFailedCases":1`) ||
		!strings.Contains(body, "EE2") {
		t.Fatalf("callback %s, poll %v, %v", body, poll, err)
	}
	var attempts int
	if err := e.pool.QueryRow(context.Background(), `SELECT attempts FROM callback`).Scan(&attempts); err != nil || attempts != 3 {
		t.Fatalf("attempts %d (%v), want 3", attempts, err)
	}
	_ = fmt.Sprint()
}

// Every action is audited — who (IM client, person), when, what — in a log the database keeps append-only.
func TestActionsAreAuditedAppendOnly(t *testing.T) {
	e := start(t, nil)
	e.fund("100")
	resp, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "aud"), &paymentsv1.BulkPaymentRequest{
		Instructions: []*paymentsv1.CreditInstruction{instruction("a1", "msisdn", "372551", "5")}})
	if err != nil {
		t.Fatal(err)
	}
	e.work()
	if _, err := e.bulk.AuthorizeFunds(e.as("alice", []string{"staff"}), &paymentsv1.AuthorizeFundsRequest{BatchId: resp.GetBatchId(),
		PayerIdentifier: "EE-TREASURY-1", Currency: "EUR", Amount: "5"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ledger.fund": "", "batch.submit": "", "batch.approve": "alice"}
	rows, err := e.pool.Query(context.Background(), `SELECT action, client, actor, at FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var action, client, actor string
		var at time.Time
		if err := rows.Scan(&action, &client, &actor, &at); err != nil {
			t.Fatal(err)
		}
		if who, ok := want[action]; ok && client == treasury && actor == who && !at.IsZero() {
			delete(want, action)
		}
	}
	if len(want) > 0 {
		t.Fatalf("not audited (or without who and when): %v", want)
	}
	for _, sql := range []string{`UPDATE audit_log SET actor = 'mallory'`, `DELETE FROM audit_log`} {
		if _, err := e.pool.Exec(context.Background(), sql); err == nil {
			t.Errorf("%s: accepted", sql)
		}
	}
}

// A settled payment is reversed once: the rail gives it back and the ledger returns it to the funding account.
func TestASettledPaymentIsReversedOnce(t *testing.T) {
	e := start(t, nil)
	e.fund("100")
	resp, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "rev"), &paymentsv1.BulkPaymentRequest{
		Instructions: []*paymentsv1.CreditInstruction{instruction("r1", "msisdn", "372551", "30"), instruction("r2", "msisdn", "372552", "20")}})
	if err != nil {
		t.Fatal(err)
	}
	e.work()
	if _, err := e.bulk.AuthorizeFunds(e.as("alice", []string{"staff"}), &paymentsv1.AuthorizeFundsRequest{BatchId: resp.GetBatchId(),
		PayerIdentifier: "EE-TREASURY-1", Currency: "EUR", Amount: "50"}); err != nil {
		t.Fatal(err)
	}
	e.work()
	req := &paymentsv1.ReversePaymentRequest{InstructionId: "r1", Reason: "paid to the wrong person"}
	_, err = e.bulk.ReversePayment(call(treasury), req)
	testkit.WantCode(t, err, codes.Unauthenticated)
	r, err := e.bulk.ReversePayment(e.as("alice", []string{"staff"}), req)
	if err != nil || r.GetPayment().GetStatus() != "REVERSED" {
		t.Fatalf("reversal: %v, %v", r, err)
	}
	_, err = e.bulk.ReversePayment(e.as("alice", []string{"staff"}), req)
	testkit.WantReason(t, err, codes.FailedPrecondition, "NOT_REVERSIBLE")
	if got := e.account("funding:EE-TREASURY-1").GetAvailable(); got != "80.00" {
		t.Fatalf("funding after reversing 30 of 50 paid: %s, want 80.00", got)
	}
	if count, totals := e.rail.Settled(); count != 1 || totals["EUR"] != 2000 {
		t.Fatalf("rail: %d settled, %v", count, totals)
	}
	var reversed int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE type = $1`, paymentsv1.EventPaymentReversed).
		Scan(&reversed); err != nil || reversed != 1 {
		t.Fatalf("%d payment.reversed events (%v)", reversed, err)
	}
}

// A batch and a register request above GOVSTACK_PAYMENTS_MAX_BATCH are refused naming the bound (the
// gateway lets bulk bodies of 32 MiB through, so the BB bounds their rows).
func TestBulkRequestsAreBoundedByMaxBatch(t *testing.T) {
	e := start(t, func(c *paymentsConfig) { c.MaxBatch = 2 })
	_, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "big-1"), &paymentsv1.BulkPaymentRequest{Instructions: []*paymentsv1.CreditInstruction{
		instruction("a", "msisdn", "1", "1"), instruction("b", "msisdn", "2", "1"), instruction("c", "msisdn", "3", "1")}})
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("a batch of 3 with MaxBatch 2: %v", err)
	}
	req := &paymentsv1.RegisterBeneficiariesRequest{RequestId: "big-reg"}
	for i := range 3 {
		req.Beneficiaries = append(req.Beneficiaries, &paymentsv1.Beneficiary{PayeeIdentity: fmt.Sprint("B", i), PaymentModality: "01", FinancialAddress: "3725"})
	}
	_, err = e.mapper.RegisterBeneficiaries(call(treasury, "x-registering-institution-id", "ministry", "x-correlationid", "big-reg"), req)
	st := testkit.WantReason(t, err, codes.InvalidArgument, "TOO_MANY_BENEFICIARIES")
	if !strings.Contains(st.Message(), "at most 2") {
		t.Errorf("the refusal does not give the bound: %s", st.Message())
	}
}
