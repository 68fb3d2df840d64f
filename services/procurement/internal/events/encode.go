// Package events is procurement's side of NATS: the encoder of its own events (domain events → CloudEvents
// with protojson payloads, published through the outbox) and the consumers of the events it reacts to —
// its own (the calls to other BBs each change asks for), Scheduling's deadline.reached, Payments'
// payment.settled and Workflow's task.completed (the people's steps, audited) — each exactly once through
// the inbox.
package events

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/outbox"

	procurementv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// Source is the CloudEvents source of procurement's events.
const Source = "govstack/procurement"

// TypePrefix turns a domain event kind into its type (and NATS subject).
const TypePrefix = "govstack.procurement.v1."

// Encode builds the outbox event of a domain event.
func Encode(e domain.Event) (outbox.Event, error) {
	var payload proto.Message
	subject := e.Tender.ID
	switch {
	case e.Contract != nil:
		payload, subject = contractEvent(e), e.Contract.ID
	case e.Award != nil:
		payload, subject = awardEvent(e), e.Award.ID
	case e.Bid != nil:
		b := e.Bid
		payload = &procurementv1.BidEvent{TenderId: b.TenderID, BidId: b.ID, CompanyId: b.CompanyID, Status: b.Status,
			SupplierEmail: b.SupplierEmail, Reason: b.DisqualificationReason, At: timestamppb.New(e.At)}
	case e.Question != nil:
		q := e.Question
		payload = &procurementv1.QuestionEvent{TenderId: q.TenderID, QuestionId: q.ID, Text: q.Text, Answer: q.Answer,
			Notify: e.Notify, At: timestamppb.New(e.At)}
	default:
		payload = tenderEvent(e)
	}
	return outbox.Event{Type: TypePrefix + e.Type, Source: Source, Subject: subject, Payload: payload}, nil
}

// stamp reports whether a time is set.
func stamp(t interface{ IsZero() bool }) bool { return !t.IsZero() }

func tenderEvent(e domain.Event) *procurementv1.TenderEvent {
	t := e.Tender
	out := &procurementv1.TenderEvent{TenderId: t.ID, Ocid: t.OCID, Title: t.Title, Status: t.Status, BuyerOrganisation: t.BuyerOrg,
		Reason: t.StatusReason, Notify: e.Notify, At: timestamppb.New(e.At), StandstillDays: int32(t.StandstillDays)}
	if stamp(t.EnquiryEnd) {
		out.EnquiryEnd, out.TenderEnd = timestamppb.New(t.EnquiryEnd), timestamppb.New(t.TenderEnd)
	}
	return out
}

func awardEvent(e domain.Event) *procurementv1.AwardEvent {
	a := e.Award
	out := &procurementv1.AwardEvent{TenderId: a.TenderID, AwardId: a.ID, BidId: a.BidID, CompanyId: a.CompanyID, Value: a.Value,
		Currency: a.Currency, Status: a.Status, StandstillEnd: timestamppb.New(a.StandstillEnd), ComplaintId: e.ComplaintID,
		At: timestamppb.New(e.At)}
	for _, o := range e.Outcomes {
		out.Outcomes = append(out.Outcomes, &procurementv1.BidderOutcome{Email: o.Email, CompanyId: o.CompanyID,
			TotalScore: domain.FormatCents(o.TotalScore), Rank: int32(o.Rank), Awarded: o.Awarded})
	}
	return out
}

func contractEvent(e domain.Event) *procurementv1.ContractEvent {
	c := e.Contract
	out := &procurementv1.ContractEvent{TenderId: c.TenderID, ContractId: c.ID, AwardId: c.AwardID, CompanyId: c.CompanyID,
		Amount: c.Value, Currency: c.Currency, Status: c.Status, PayeeKey: c.PayeeKey, PayeeValue: c.PayeeValue, Ocid: e.Tender.OCID,
		At: timestamppb.New(e.At)}
	if m, ok := c.Milestone(e.MilestoneID); ok {
		out.MilestoneId, out.Amount = m.ID, m.Amount
	}
	return out
}
