package payments_test

import (
	"fmt"
	"testing"
	"time"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// BenchmarkIdempotentReplay: a funding request through the BB's gRPC server with its interceptors, fresh
// (a new X-CorrelationID each time: a transfer and a kept answer) against a replay (the same key and body:
// the kept answer, no work). docs/benchmarks.md, Payments.
func BenchmarkIdempotentReplay(b *testing.B) {
	e := start(b, nil)
	req := &paymentsv1.FundAccountRequest{Code: "funding:BENCH", Currency: "EUR", Amount: "1"}
	if _, err := e.ledger.FundAccount(call(treasury, "x-correlationid", "replayed"), req); err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, mode := range []string{"fresh", "replay"} {
		b.Run(mode, func(b *testing.B) {
			start := time.Now()
			count := 0
			for b.Loop() {
				key := "replayed"
				if mode == "fresh" {
					n++
					key = fmt.Sprintf("fresh-%d", n)
				}
				if _, err := e.ledger.FundAccount(call(treasury, "x-correlationid", key), req); err != nil {
					b.Fatal(err)
				}
				count++
			}
			b.ReportMetric(float64(count)/time.Since(start).Seconds(), "requests/s")
		})
	}
}

// BenchmarkBatchEndToEnd: a batch of 1,000 instructions handed over, validated, authorised and paid through
// the fake rail by the background work (one worker), until COMPLETED. Reports payments/s end to end.
func BenchmarkBatchEndToEnd(b *testing.B) {
	e := start(b, func(c *paymentsConfig) { c.FourEyesAbove = "" })
	e.fund("100000000")
	const size = 1000
	round := 0
	start := time.Now()
	for b.Loop() {
		round++
		req := &paymentsv1.BulkPaymentRequest{}
		for i := range size {
			req.Instructions = append(req.Instructions, instruction(fmt.Sprintf("b%d-%d", round, i), "msisdn", fmt.Sprintf("3725%06d1", i), "1.00"))
		}
		resp, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", fmt.Sprintf("bench-%d", round)), req)
		if err != nil {
			b.Fatal(err)
		}
		e.work()
		if _, err := e.bulk.AuthorizeFunds(e.as("alice", []string{"staff"}), &paymentsv1.AuthorizeFundsRequest{BatchId: resp.GetBatchId(),
			PayerIdentifier: "EE-TREASURY-1", Currency: "EUR", Amount: fmt.Sprint(size)}); err != nil {
			b.Fatal(err)
		}
		e.work()
		if s := e.summary(resp.GetBatchId()); s.GetStatus() != "COMPLETED" || s.GetCompleted() != size {
			b.Fatalf("batch: %v", s)
		}
	}
	b.ReportMetric(float64(round*size)/time.Since(start).Seconds(), "payments/s")
}

// BenchmarkBatchThroughTheSimulator: a batch of 10,000 instructions handed over, validated (an account
// look-up each at the rail), authorised and paid through the mobile money client and the rail simulator
// over HTTP (callbacks back through the BB's RailService), until COMPLETED and reconciled — without faults,
// and as a chaos run (5% lost and 5% duplicated callbacks, 2% time-outs, 2% 5xx after the rail took a
// payment). Every round checks zero double payments and the ledger equal to the rail's total, to the cent.
// One worker does the background work. Reports payments/s end to end.
func BenchmarkBatchThroughTheSimulator(b *testing.B) {
	const size = 10_000
	for _, c := range []struct {
		name   string
		faults railsim.Faults
	}{
		{"clean", railsim.Faults{}},
		{"chaos", railsim.Faults{CallbackLost: 0.05, CallbackDuplicate: 0.05, Timeout: 0.02, ErrorAfterAccept: 0.02}},
	} {
		b.Run(c.name, func(b *testing.B) {
			e, sim := startWithSimulator(b, c.faults, func(cfg *paymentsConfig) { cfg.FourEyesAbove = "" })
			e.fund("1000000.00")
			round, elapsed := 0, time.Duration(0)
			for b.Loop() {
				round++
				start := time.Now()
				id, _ := e.simBatch(fmt.Sprintf("%s-%d", c.name, round), size, 0)
				e.work()
				e.authorizeValid(id)
				s := e.payThrough(sim, id, 10*time.Minute)
				elapsed += time.Since(start)
				e.checkReconciled(sim, 100_000_000, s)
			}
			b.ReportMetric(float64(round*size)/elapsed.Seconds(), "payments/s")
		})
	}
}
