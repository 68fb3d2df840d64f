// Package events is the Payments BB's event contract: it encodes the domain events the use cases publish
// into outbox events (type constants from proto/govstack/payments/v1/event_types.go, protobuf payloads).
package events

import (
	"fmt"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/outbox"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Source is the CloudEvents source of every event Payments publishes.
const Source = "govstack/payments"

// Encode turns one domain event into the outbox event Payments publishes.
func Encode(e domain.Event) (outbox.Event, error) {
	switch e := e.(type) {
	case domain.PaymentEvent:
		return outbox.Event{Type: e.EventType(), Source: Source, Subject: e.PaymentID, Payload: &paymentsv1.PaymentEvent{
			Tenant: e.Tenant, PaymentId: e.PaymentID, BatchId: e.BatchID, Amount: domain.FormatAmount(e.Amount, e.Currency),
			Currency: e.Currency, PayeeIdentity: e.Payee.Identity, PaymentModality: e.Payee.Account.Modality, Rail: e.Rail,
			RailReference: e.RailRef, Reason: e.Reason, References: e.References, At: timestamppb.New(e.At),
		}}, nil
	case domain.BatchEvent:
		b := e.Batch
		return outbox.Event{Type: e.EventType(), Source: Source, Subject: b.ID, Payload: &paymentsv1.BatchEvent{
			Tenant: b.Tenant, BatchId: b.ID, Status: string(b.Status), Total: int32(b.Stats.Total),
			Completed: int32(b.Stats.Completed), Failed: int32(b.Stats.Failed), Rejected: int32(b.Stats.Invalid),
			TotalAmount: domain.FormatAmount(b.Stats.TotalAmount, b.Currency), CompletedAmount: domain.FormatAmount(b.Stats.CompletedAmount, b.Currency),
			Currency: b.Currency, At: timestamppb.New(e.At),
		}}, nil
	case domain.VoucherEvent:
		v := e.Voucher
		return outbox.Event{Type: e.EventType(), Source: Source, Subject: v.Serial, Payload: &paymentsv1.VoucherEvent{
			Tenant: v.Tenant, SerialNumber: v.Serial, Status: string(v.Status), Amount: domain.FormatAmount(v.Amount, v.Currency),
			Currency: v.Currency, ProgramId: v.ProgramID, GroupCode: v.GroupCode, PayeeFunctionalId: v.PayeeIdentity,
			AgentId: v.AgentID, At: timestamppb.New(e.At),
		}}, nil
	case domain.BillPaidEvent:
		b := e.Bill
		return outbox.Event{Type: e.EventType(), Source: Source, Subject: b.ID, Payload: &paymentsv1.BillPaidEvent{
			Tenant: b.Tenant, BillId: b.ID, BillerId: b.BillerID, Amount: domain.FormatAmount(b.Amount, b.Currency),
			Currency: b.Currency, PayerFi: b.PayerFI, PaymentReferenceId: b.PaymentRef, Channel: b.Channel, At: timestamppb.New(e.At),
		}}, nil
	}
	return outbox.Event{}, fmt.Errorf("events: no encoding for %T", e)
}
