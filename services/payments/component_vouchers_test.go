package payments_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/govstackbb/marketplace/platform/testkit"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"
)

func (e *env) fundBudget(program, amount string) {
	e.t.Helper()
	if _, err := e.ledger.FundAccount(call(treasury, "x-correlationid", "budget-"+program+amount),
		&paymentsv1.FundAccountRequest{Code: "budget:" + program, Currency: "KES", Amount: amount}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) vouchers(key string, amounts ...string) *paymentsv1.VoucherCommandResponse {
	e.t.Helper()
	body := &paymentsv1.VoucherCommandBody{RequestId: "v-" + key}
	for i, a := range amounts {
		body.VoucherInstructions = append(body.VoucherInstructions, &paymentsv1.VoucherInstruction{
			InstructionId: key + "-" + string(rune('a'+i)), GroupCode: "FRT", Currency: "KES", Amount: a, PayeeFunctionalId: "KE001"})
	}
	r, err := e.vouch.VoucherCommand(call(treasury, "x-program-id", "seeds", "x-correlationid", key), &paymentsv1.VoucherCommandRequest{Body: body})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) activate(serials ...string) {
	e.t.Helper()
	body := &paymentsv1.VoucherStatusBody{RequestId: "act"}
	for _, s := range serials {
		body.VoucherInstructions = append(body.VoucherInstructions, &paymentsv1.VoucherInstruction{SerialNumber: s})
	}
	r, err := e.vouch.UpdateVoucherStatus(call(treasury), &paymentsv1.UpdateVoucherStatusRequest{Command: "activate", Body: body})
	if err != nil || r.GetResponseCode() != "00" {
		e.t.Fatalf("activate: %v, %v", r, err)
	}
}

func (e *env) redeem(client, serial, number, agent string) (*paymentsv1.VoucherCommandResponse, error) {
	return e.vouch.VoucherCommand(call(client), &paymentsv1.VoucherCommandRequest{Command: "redeem",
		Body: &paymentsv1.VoucherCommandBody{VoucherSerialNumber: serial, VoucherSecretNumber: number, AgentId: agent}})
}

func (e *env) kesAccount(code string) *paymentsv1.LedgerAccount {
	e.t.Helper()
	return e.kesAccountOf(treasury, code)
}

func (e *env) kesAccountOf(client, code string) *paymentsv1.LedgerAccount {
	e.t.Helper()
	a, err := e.ledger.GetLedgerAccount(call(client), &paymentsv1.GetLedgerAccountRequest{Code: code, Currency: "KES"})
	if err != nil {
		e.t.Fatalf("%s: %v", code, err)
	}
	return a.GetAccount()
}

func TestAVoucherIsFundedActivatedAndRedeemedOnce(t *testing.T) {
	e := start(t, nil)
	e.fundBudget("seeds", "1000")
	made := e.vouchers("k1", "150", "250.50")
	if len(made.GetVouchers()) != 2 {
		t.Fatalf("created: %v", made)
	}
	v := made.GetVouchers()[0]
	if len(v.GetVoucherNumber()) != 16 || v.GetSerialNumber() == "" {
		t.Fatalf("voucher: %v", v)
	}
	if a := e.kesAccount("budget:seeds"); a.GetAvailable() != "599.50" || a.GetDebitsPending() != "400.50" {
		t.Fatalf("budget after creating: %v", a)
	}
	// Before activation it cannot be used.
	_, err := e.redeem(treasury, v.GetSerialNumber(), v.GetVoucherNumber(), "AG-1")
	testkit.WantReason(t, err, codes.FailedPrecondition, "VOUCHER_STATE")
	e.activate(v.GetSerialNumber())
	r, err := e.redeem(treasury, v.GetSerialNumber(), v.GetVoucherNumber(), "AG-1")
	if err != nil || r.GetStatus() != 1 || r.GetValue() != "150.00" || r.GetTransactionId() == "" {
		t.Fatalf("redeem: %v, %v", r, err)
	}
	if a := e.kesAccount("merchant:AG-1"); a.GetCreditsPosted() != "150.00" {
		t.Fatalf("merchant: %v", a)
	}
	if a := e.kesAccount("budget:seeds"); a.GetAvailable() != "599.50" || a.GetDebitsPosted() != "150.00" || a.GetDebitsPending() != "250.50" {
		t.Fatalf("budget after redeeming: %v", a)
	}
	st, err := e.vouch.GetVoucherStatus(call(treasury), &paymentsv1.GetVoucherStatusRequest{SerialNumber: v.GetSerialNumber(), Fields: "status"})
	if err != nil || st.GetStatus() != 3 || st.GetState() != "REDEEMED" {
		t.Fatalf("status: %v, %v", st, err)
	}
	_, err = e.redeem(treasury, v.GetSerialNumber(), v.GetVoucherNumber(), "AG-2")
	testkit.WantReason(t, err, codes.FailedPrecondition, "VOUCHER_ALREADY_USED")
	// The second voucher is cancelled: its reservation goes back to the budget.
	c, err := e.vouch.VoucherCommand(call(treasury), &paymentsv1.VoucherCommandRequest{Command: "cancel", Body: &paymentsv1.VoucherCommandBody{
		VoucherInstructions: []*paymentsv1.VoucherInstruction{{SerialNumber: made.GetVouchers()[1].GetSerialNumber()}, {SerialNumber: "nope"}}}})
	if err != nil || c.GetResponseCode() != "01" || len(c.GetFailedCases()) != 1 || c.GetFailedCases()[0].GetSerialNumber() != "nope" {
		t.Fatalf("cancel: %v, %v", c, err)
	}
	if a := e.kesAccount("budget:seeds"); a.GetAvailable() != "850.00" || a.GetDebitsPending() != "0.00" {
		t.Fatalf("budget after cancelling: %v", a)
	}
	// Numbers are stored nowhere: not in the vouchers, not in the kept answer a replay gives, not in the audit.
	checkNumberStoredNowhere(t, e, made)
	again := e.vouchers("k1", "150", "250.50")
	if again.GetVouchers()[0].GetSerialNumber() != v.GetSerialNumber() || again.GetVouchers()[0].GetVoucherNumber() != "" {
		t.Fatalf("replay of the creation: %v", again)
	}
}

func checkNumberStoredNowhere(t *testing.T, e *env, made *paymentsv1.VoucherCommandResponse) {
	t.Helper()
	for _, v := range made.GetVouchers() {
		var hits int
		err := e.pool.QueryRow(context.Background(), `SELECT
			(SELECT count(*) FROM voucher v WHERE v::text LIKE '%' || $1 || '%') +
			(SELECT count(*) FROM audit_log a WHERE a::text LIKE '%' || $1 || '%') +
			(SELECT count(*) FROM outbox o WHERE o::text LIKE '%' || $1 || '%' OR position(convert_to($1, 'UTF8') IN o.payload) > 0) +
			(SELECT count(*) FROM idempotency_key k WHERE position(convert_to($1, 'UTF8') IN coalesce(k.response, '')) > 0)`,
			v.GetVoucherNumber()).Scan(&hits)
		if err != nil || hits != 0 {
			t.Fatalf("voucher number found in %d stored rows (%v)", hits, err)
		}
	}
}

// Two clients redeem the same voucher at the same moment, many times over: it pays once.
func TestAVoucherRedeemedByTwoClientsAtOncePaysOnce(t *testing.T) {
	e := start(t, nil)
	e.fundBudget("seeds", "1000")
	v := e.vouchers("k2", "100").GetVouchers()[0]
	e.activate(v.GetSerialNumber())
	var paid, refused atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 20 {
		client := []string{"EE/COM/1/agent-app", "EE/COM/2/merchant-app"}[i%2]
		wg.Go(func() {
			<-start
			_, err := e.redeem(client, v.GetSerialNumber(), v.GetVoucherNumber(), "AG-"+client[7:8])
			switch {
			case err == nil:
				paid.Add(1)
			case strings.Contains(err.Error(), "already redeemed"):
				refused.Add(1)
			default:
				t.Errorf("redeem: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if paid.Load() != 1 || refused.Load() != 19 {
		t.Fatalf("%d redemptions paid, %d refused; want 1 and 19", paid.Load(), refused.Load())
	}
	var credits int64
	if err := e.pool.QueryRow(context.Background(), `SELECT coalesce(sum(credits_posted), 0) FROM ledger_account WHERE code LIKE 'merchant:%'`).
		Scan(&credits); err != nil || credits != 10000 {
		t.Fatalf("merchants were credited %d (%v), want 10000 once", credits, err)
	}
}

func TestVoucherExpiryReleasesTheBudget(t *testing.T) {
	e := start(t, nil)
	e.fundBudget("seeds", "100")
	v := e.vouchers("k3", "60").GetVouchers()[0]
	e.activate(v.GetSerialNumber())
	_, err := e.vouch.VoucherCommand(call(treasury, "x-program-id", "seeds"), &paymentsv1.VoucherCommandRequest{Body: &paymentsv1.VoucherCommandBody{
		VoucherInstructions: []*paymentsv1.VoucherInstruction{{Currency: "KES", Amount: "50"}}}})
	testkit.WantReason(t, err, codes.FailedPrecondition, "BUDGET_EXHAUSTED") // 60 of 100 are reserved
	e.clock.Advance(91 * 24 * time.Hour)
	_, err = e.redeem(treasury, v.GetSerialNumber(), v.GetVoucherNumber(), "AG-1")
	testkit.WantReason(t, err, codes.FailedPrecondition, "VOUCHER_EXPIRED")
	e.work()
	st, err := e.vouch.GetVoucherStatus(call(treasury), &paymentsv1.GetVoucherStatusRequest{SerialNumber: v.GetSerialNumber()})
	if err != nil || st.GetStatus() != 6 {
		t.Fatalf("status after expiry: %v, %v", st, err)
	}
	if a := e.kesAccount("budget:seeds"); a.GetAvailable() != "100.00" || a.GetDebitsPending() != "0.00" {
		t.Fatalf("budget after expiry: %v", a)
	}
}

// syncBuffer is a log sink the service writes from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// Every log line of a voucher's life, at debug level — requests, refusals, the background work — is read
// for the voucher's number: it is never there.
func TestNoVoucherNumberInAnyLog(t *testing.T) {
	var logs syncBuffer
	e := startLogged(t, nil, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	e.fundBudget("seeds", "1000")
	v := e.vouchers("k5", "10").GetVouchers()[0]
	e.activate(v.GetSerialNumber())
	wrong := "0" + v.GetVoucherNumber()[1:]
	if wrong == v.GetVoucherNumber() {
		wrong = "1" + v.GetVoucherNumber()[1:]
	}
	_, err := e.redeem(treasury, v.GetSerialNumber(), wrong, "AG-1")
	testkit.WantReason(t, err, codes.InvalidArgument, "INVALID_VOUCHER_NUMBER")
	if _, err := e.redeem(treasury, v.GetSerialNumber(), v.GetVoucherNumber(), "AG-1"); err != nil {
		t.Fatal(err)
	}
	_, err = e.redeem(treasury, "", v.GetVoucherNumber(), "AG-1") // by number alone, as 1.0 clients do
	testkit.WantCode(t, err, codes.FailedPrecondition)
	e.work()
	out := logs.String()
	if !strings.Contains(out, "VoucherCommand") {
		t.Fatalf("the calls were not logged at all, so this test proves nothing: %q", out)
	}
	for _, secret := range []string{v.GetVoucherNumber(), wrong} {
		if strings.Contains(out, secret) {
			t.Fatalf("a voucher number is in the logs:\n%s", out)
		}
	}
}

func TestWrongNumbersBlockAVoucher(t *testing.T) {
	e := start(t, nil)
	e.fundBudget("seeds", "1000")
	v := e.vouchers("k6", "10").GetVouchers()[0]
	e.activate(v.GetSerialNumber())
	for range 5 {
		_, err := e.redeem(treasury, v.GetSerialNumber(), "0000000000000000", "AG-1")
		testkit.WantReason(t, err, codes.InvalidArgument, "INVALID_VOUCHER_NUMBER")
	}
	_, err := e.redeem(treasury, v.GetSerialNumber(), v.GetVoucherNumber(), "AG-1")
	testkit.WantReason(t, err, codes.FailedPrecondition, "VOUCHER_BLOCKED")
	st, _ := e.vouch.GetVoucherStatus(call(treasury), &paymentsv1.GetVoucherStatusRequest{SerialNumber: v.GetSerialNumber()})
	if st.GetStatus() != 4 {
		t.Fatalf("status %v, want 4 (suspended/blocked)", st)
	}
}
