package events

import (
	"slices"
	"testing"
	"time"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Every domain event encodes to a published type of the catalogue, and the voucher event never carries the
// voucher's number.
func TestEveryEventEncodesToAPublishedType(t *testing.T) {
	now := time.Now()
	var evs []domain.Event
	for _, k := range []domain.PaymentEventKind{domain.PaymentReserved, domain.PaymentSubmitted, domain.PaymentSettled,
		domain.PaymentFailed, domain.PaymentReversed} {
		evs = append(evs, domain.PaymentEvent{Kind: k, Currency: "EUR", Amount: 150, References: map[string]string{"contractId": "C"}, At: now})
	}
	for _, k := range []domain.BatchEventKind{domain.BatchEventReceived, domain.BatchEventValidated, domain.BatchEventAuthorized,
		domain.BatchEventRejected, domain.BatchEventCompleted} {
		evs = append(evs, domain.BatchEvent{Kind: k, Batch: domain.Batch{Currency: "EUR"}, At: now})
	}
	for _, st := range []domain.VoucherStatus{domain.VoucherPreActivated, domain.VoucherActive, domain.VoucherSuspended,
		domain.VoucherRedeemed, domain.VoucherCancelled, domain.VoucherExpired} {
		evs = append(evs, domain.VoucherEvent{Voucher: domain.Voucher{Status: st, Currency: "KES", NumberHash: []byte("secret")}, At: now})
	}
	evs = append(evs, domain.BillPaidEvent{Bill: domain.Bill{Currency: "KES"}, At: now})
	seen := map[string]bool{}
	for _, e := range evs {
		out, err := Encode(e)
		if err != nil {
			t.Fatalf("%T: %v", e, err)
		}
		if !slices.Contains(paymentsv1.Events, out.Type) || out.Source != Source {
			t.Errorf("%T encodes to %q, not a published type", e, out.Type)
		}
		seen[out.Type] = true
	}
	if len(seen) != len(paymentsv1.Events) {
		t.Errorf("%d of %d published types are ever encoded", len(seen), len(paymentsv1.Events))
	}
	settled, _ := Encode(domain.PaymentEvent{Kind: domain.PaymentSettled, Currency: "EUR", Amount: 150, References: map[string]string{"contractId": "C-7"}})
	if p := settled.Payload.(*paymentsv1.PaymentEvent); p.GetAmount() != "1.50" || p.GetReferences()["contractId"] != "C-7" {
		t.Errorf("payment.settled payload: %v", p)
	}
}
