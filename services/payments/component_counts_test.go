package payments_test

import (
	"testing"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"
)

// The batches of the caller's tenant counted by status, in lifecycle order (the administrator's dashboard):
// none at first; one handed over and validated is VALIDATED; another member's client sees none of them.
func TestBatchesCountedByStatus(t *testing.T) {
	e := start(t, nil)
	e.register(map[string]string{"EE0001": "372550001"})
	count := func(client string) []*paymentsv1.BatchStatusCount {
		t.Helper()
		r, err := e.bulk.CountBatches(call(client), &paymentsv1.CountBatchesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return r.GetStatuses()
	}
	if got := count(treasury); len(got) != 0 {
		t.Fatalf("before any batch: %v", got)
	}
	for _, id := range []string{"a", "b"} {
		if _, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", "batch-"+id),
			&paymentsv1.BulkPaymentRequest{Type: "raw", Instructions: []*paymentsv1.CreditInstruction{
				instruction("i-"+id, "functionalId", "EE0001", "10.00")}}); err != nil {
			t.Fatal(err)
		}
	}
	e.work()
	got := count(treasury)
	if len(got) != 1 || got[0].GetStatus() != "VALIDATED" || got[0].GetBatches() != 2 {
		t.Fatalf("two validated batches: %v", got)
	}
	if other := count("EE/GOV/70000002/school"); len(other) != 0 {
		t.Fatalf("another member's client sees %v", other)
	}
}
