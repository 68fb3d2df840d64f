package payments_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
	"github.com/govstackbb/marketplace/services/payments/internal/fakerail"
)

// Rail callbacks arriving at once are applied in groups (one transaction each): 30 payments settled by
// callbacks sent three times each, all at once, are each settled once — one ledger post per payment, and
// every caller told the payment's state.
func TestConcurrentCallbacksSettleEachPaymentOnce(t *testing.T) {
	e := start(t, func(c *paymentsConfig) { c.FourEyesAbove = "" })
	e.fund("1000.00")
	e.rail.FaultFor = func(domain.RailInstruction) fakerail.Fault { return fakerail.Pending }
	req := &paymentsv1.BulkPaymentRequest{Type: "raw"}
	for i := range 30 {
		req.Instructions = append(req.Instructions, instruction(fmt.Sprintf("g%d", i), "msisdn", fmt.Sprintf("37256%04d1", i), "1.00"))
	}
	resp, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "group-1"), req)
	if err != nil {
		t.Fatal(err)
	}
	e.work()
	if _, err := e.bulk.AuthorizeFunds(e.as("approver-1", []string{"staff"}), &paymentsv1.AuthorizeFundsRequest{
		BatchId: resp.GetBatchId(), PayerIdentifier: "EE-TREASURY-1", Currency: "EUR", Amount: "30.00"}); err != nil {
		t.Fatal(err)
	}
	e.work()
	pending := e.rail.PendingIDs()
	if len(pending) != 30 {
		t.Fatalf("%d payments pending at the rail, want 30", len(pending))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 90)
	for _, id := range pending {
		body := callbackBody(t, e.rail.Settle(id, domain.RailSettled))
		for range 3 {
			wg.Go(func() {
				cb, err := e.rails.RailCallback(call("EE/COM/10000009/rail"), &paymentsv1.RailCallbackRequest{Rail: "mobilemoney", Body: body})
				if err == nil && cb.GetStatus() != "COMPLETED" {
					err = fmt.Errorf("callback of %s answered %s", id, cb.GetStatus())
				}
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var posts int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM ledger_transfer WHERE kind = 'post'
		AND reference LIKE 'instruction:%'`).Scan(&posts); err != nil || posts != 30 {
		t.Fatalf("%d settlements in the ledger (%v), want 30", posts, err)
	}
	if got := e.account("rail:mobilemoney").GetCreditsPosted(); got != "30.00" {
		t.Fatalf("the rail's account: %s posted, want 30.00", got)
	}
}
