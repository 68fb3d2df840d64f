package payments_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/internal/railport"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// startWithSimulator runs the BB on the mobile money rail (package rail's client, as GOVSTACK_PAYMENTS_RAIL=
// mobilemoney builds it) against the rail simulator in-process, with faults; the simulator's callbacks are
// handed to the BB's RailService as the gateway hands them over. Attempts time out after 200 ms, so the
// simulator's held requests (time-outs) cost little.
func startWithSimulator(t testing.TB, faults railsim.Faults, configure func(*payments.Config)) (*env, *railsim.Sim) {
	t.Helper()
	sim := railsim.New(railsim.Options{Seed: 16, Faults: faults, HoldMax: time.Minute, UnknownAccounts: []string{"372559999"}})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := sim.Start(l)
	t.Cleanup(sim.Close)
	var bb atomic.Pointer[env]
	callbacks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, rail.MaxCallbackBytes))
		var s structpb.Struct
		if protojson.Unmarshal(body, &s) != nil || bb.Load() == nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if _, err := bb.Load().rails.RailCallback(call("EE/COM/10000009/railsim"), &paymentsv1.RailCallbackRequest{
			Rail: payments.RailMobileMoney, Body: &s}); err != nil {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(callbacks.Close)
	mm, err := rail.NewMobileMoney(rail.MobileMoneyOptions{Name: payments.RailMobileMoney, BaseURL: base,
		CallbackURL: callbacks.URL, AttemptTimeout: 200 * time.Millisecond, MaxAttempts: 3,
		BackoffBase: 5 * time.Millisecond, BackoffMax: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e := startLogged(t, configure, quietLog(), railport.MobileMoney{R: mm})
	bb.Store(e)
	return e, sim
}

// payThrough works the batch to COMPLETED: the background work, then — once the simulator has sent what it
// will send — the clock moved past the reconciliation's recheck (and the validation lease), so payments whose
// callback was lost or whose answer timed out are asked about.
func (e *env) payThrough(sim *railsim.Sim, batchID string, timeout time.Duration) *paymentsv1.GetBatchSummaryResponse {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		e.work()
		for sim.Totals().Callbacks.Outstanding > 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond) // polling the simulator's queue, not timing
		}
		e.work()
		s := e.summary(batchID)
		if s.GetStatus() == "COMPLETED" {
			return s
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("batch %s not completed within %s: %v; the rail: %+v", batchID, timeout, s, sim.Totals())
		}
		e.clock.Advance(3 * time.Minute)
	}
}

// simBatch hands over n instructions of 1.00 to 1.99 EUR to distinct accounts (the first bad ones to an
// account the simulator does not know) and returns the batch id and its total in cents.
func (e *env) simBatch(key string, n, bad int) (string, int64) {
	e.t.Helper()
	req := &paymentsv1.BulkPaymentRequest{Type: "raw"}
	var total int64
	for i := range n {
		cents := int64(100 + i%100)
		account := fmt.Sprintf("3725%07d", i)
		if i < bad {
			account = "372559999"
		}
		total += cents
		req.Instructions = append(req.Instructions, instruction(fmt.Sprintf("%s-%d", key, i), "msisdn", account,
			domain.FormatAmount(cents, "EUR")))
	}
	resp, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", key), req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.GetBatchId(), total
}

// authorizeValid authorises what validation left of the batch (the valid total). An account check the
// rail left in doubt (all its attempts hit a fault) is retried once the batch's validation lease is over,
// so the clock moves past the lease until validation has an answer for every instruction.
func (e *env) authorizeValid(id string) {
	e.t.Helper()
	s := e.summary(id)
	for pass := 0; s.GetStatus() == "RECEIVED" && pass < 10; pass++ {
		e.clock.Advance(3 * time.Minute)
		e.work()
		s = e.summary(id)
	}
	if s.GetStatus() != "VALIDATED" {
		e.t.Fatalf("batch %s before authorisation: %v", id, s)
	}
	total, invalid := e.cents(s.GetTotalAmount()), e.cents(s.GetFailedAmount())
	if _, err := e.bulk.AuthorizeFunds(e.as("approver-1", []string{"staff"}, "x-client-correlation-id", "auth-"+id),
		&paymentsv1.AuthorizeFundsRequest{BatchId: id, PayerIdentifier: "EE-TREASURY-1", Currency: "EUR",
			Amount: domain.FormatAmount(total-invalid, "EUR")}); err != nil {
		e.t.Fatal(err)
	}
}

// cents reads an amount in EUR the API wrote ("0.00" included) as cents.
func (e *env) cents(amount string) int64 {
	e.t.Helper()
	if strings.Trim(amount, "0.") == "" {
		return 0
	}
	v, err := domain.ParseAmount("amount", amount, "EUR")
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// checkReconciled: the rail paid exactly what the ledger posted to the rail's account and took from the
// funding account, to the cent, and paid no instruction twice.
func (e *env) checkReconciled(sim *railsim.Sim, funded int64, s *paymentsv1.GetBatchSummaryResponse) {
	e.t.Helper()
	tot := sim.Totals()
	paid := tot.Currencies["EUR"].PaidMinor
	if tot.DoublePayments != 0 {
		e.t.Errorf("the rail paid %d instructions twice", tot.DoublePayments)
	}
	minor := func(code string, field func(*paymentsv1.LedgerAccount) string) int64 {
		return e.cents(field(e.account(code)))
	}
	if got := minor("rail:"+payments.RailMobileMoney, (*paymentsv1.LedgerAccount).GetCreditsPosted); got != paid {
		e.t.Errorf("ledger: the rail's account was credited %d cents, the rail paid %d", got, paid)
	}
	if got := minor("funding:EE-TREASURY-1", (*paymentsv1.LedgerAccount).GetAvailable); got != funded-paid {
		e.t.Errorf("ledger: funding has %d cents, want %d (funded %d less %d paid)", got, funded-paid, funded, paid)
	}
	if got := e.cents(s.GetCompletedAmount()); got != paid {
		e.t.Errorf("batch: completed %s, the rail paid %d cents", s.GetCompletedAmount(), paid)
	}
	if int(s.GetCompleted()) != tot.Currencies["EUR"].PaidCount {
		e.t.Errorf("batch: %d completed, the rail paid %d", s.GetCompleted(), tot.Currencies["EUR"].PaidCount)
	}
}

// A batch paid through the mobile money client and the rail simulator under every fault it has — 5xx
// before and after taking a request, time-outs that later poll as settled, lost, duplicated and
// out-of-order callbacks, unknown accounts, insufficient funds — completes, reconciles to the cent with the
// rail's own totals, and no instruction is paid twice.
func TestBatchPaidThroughTheSimulatorUnderFaults(t *testing.T) {
	e, sim := startWithSimulator(t, railsim.Faults{Delay: 0.05, ErrorBeforeAccept: 0.03, ErrorAfterAccept: 0.03,
		Timeout: 0.03, InsufficientFunds: 0.02, CallbackLost: 0.1, CallbackDuplicate: 0.1, CallbackReorder: 0.1},
		func(c *payments.Config) { c.FourEyesAbove = "" })
	e.fund("100000.00")
	id, _ := e.simBatch("sim", 400, 5)
	e.work()
	if s := e.summary(id); s.GetRejected() != 5 {
		t.Fatalf("validation: %v, want the 5 unknown accounts rejected", s)
	}
	e.authorizeValid(id)
	s := e.payThrough(sim, id, time.Minute)
	e.checkReconciled(sim, 10_000_000, s)
	tot := sim.Totals()
	if s.GetFailed() <= 5 || tot.Faults["timeout"] == 0 || tot.Callbacks.Lost == 0 || tot.Callbacks.Duplicated == 0 || tot.Replays == 0 {
		t.Errorf("the faults did not all happen (failed %d): %+v", s.GetFailed(), tot)
	}
	if got := int(s.GetCompleted() + s.GetFailed()); got != 400 {
		t.Errorf("completed %d + failed %d (the 5 invalid among them), want all 400", s.GetCompleted(), s.GetFailed())
	}
}
