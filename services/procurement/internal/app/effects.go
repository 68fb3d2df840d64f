package app

import (
	"context"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// Happened is one of procurement's own events as its effects consumer reads it back from the stream.
type Happened struct {
	Kind                                           string // domain.Ev…
	TenderID, OCID, AwardID, ContractID, Milestone string
	EnquiryEnd, TenderEnd, StandstillEnd           time.Time
	Amount, Currency, PayeeKey, PayeeValue         string
	Status                                         string
}

// Messages the procurement process waits for (correlation key = the tender id).
const (
	MsgBidsOpened      = "bids-opened"
	MsgStandstillEnded = "standstill-ended"
	MsgContractSigned  = "contract-signed"
	MsgContractPaid    = "contract-paid"
	MsgTenderCancelled = "tender-cancelled"
)

// ProcessID is the BPMN process procurement starts for every published tender.
const ProcessID = "procurement"

// deadlinePrefix starts the subject of every deadline procurement sets in Scheduling:
// procurement/tender/<id>/enquiry-period, procurement/tender/<id>/tender-period, procurement/award/<id>/standstill.
const deadlinePrefix = "procurement/"

// Effect does what one of procurement's own events asks of the other BBs, through the IM. It runs from the
// outbox's stream (so a change and the intent to act on it commit together) and every call carries a key
// derived from what it is about, so a redelivered event repeats nothing.
func (s *Service) Effect(ctx context.Context, unit Unit, h Happened) error {
	switch h.Kind {
	case domain.EvTenderPublished:
		return s.tenderPublished(ctx, unit, h)
	case domain.EvTenderBidsOpened:
		return s.Workflow.PublishMessage(ctx, MsgBidsOpened, h.TenderID, h.TenderID+":"+MsgBidsOpened, nil)
	case domain.EvTenderCancelled:
		return s.Workflow.PublishMessage(ctx, MsgTenderCancelled, h.TenderID, h.TenderID+":"+MsgTenderCancelled, nil)
	case domain.EvAwardDecided:
		_, err := s.Scheduling.SetDeadline(ctx, h.AwardID+":standstill", deadlinePrefix+"award/"+h.AwardID+"/standstill", h.OCID, h.StandstillEnd)
		return err
	case domain.EvAwardStandstillEnded:
		return s.Workflow.PublishMessage(ctx, MsgStandstillEnded, h.TenderID, h.AwardID+":"+MsgStandstillEnded, nil)
	case domain.EvContractSigned:
		return s.Workflow.PublishMessage(ctx, MsgContractSigned, h.TenderID, h.ContractID+":"+MsgContractSigned, nil)
	case domain.EvMilestoneDelivered:
		return s.payMilestone(ctx, unit, h)
	case domain.EvMilestonePaid:
		if h.Status != domain.ContractTerminated {
			return nil // milestones still to pay
		}
		return s.Workflow.PublishMessage(ctx, MsgContractPaid, h.TenderID, h.ContractID+":"+MsgContractPaid, nil)
	}
	return nil
}

func (s *Service) tenderPublished(ctx context.Context, unit Unit, h Happened) error {
	periods := []struct {
		name string
		due  time.Time
	}{{"enquiry-period", h.EnquiryEnd}, {"tender-period", h.TenderEnd}}
	for _, p := range periods {
		if _, err := s.Scheduling.SetDeadline(ctx, h.TenderID+":"+p.name, deadlinePrefix+"tender/"+h.TenderID+"/"+p.name, h.OCID, p.due); err != nil {
			return err
		}
	}
	// The process's user tasks go to the buyers of the tender's own organisation (candidate group
	// "buyer@<organisation>", process/procurement.bpmn), so it carries the organisation.
	var t domain.Tender
	if err := s.inTx(ctx, func(tx Tx) (err error) { t, err = tx.Tender(ctx, h.TenderID, false); return err }); err != nil {
		return err
	}
	instance, err := s.Workflow.StartProcess(ctx, h.TenderID, map[string]any{"tenderId": h.TenderID, "ocid": h.OCID,
		"buyerOrganisation": t.BuyerOrg})
	if err != nil {
		return err
	}
	return unit(ctx, func(tx Tx) error { return tx.SetProcessInstance(ctx, h.TenderID, instance) })
}

// TaskCompleted audits a person's step of a tender's process (the evaluation, the committee's approval,
// legal's), from Workflow's task.completed: who, when, which step.
func (s *Service) TaskCompleted(ctx context.Context, unit Unit, instanceID, step, name, by string, at time.Time) error {
	return unit(ctx, func(tx Tx) error {
		tenderID, ok, err := tx.TenderOfInstance(ctx, instanceID)
		if err != nil || !ok {
			return err
		}
		return tx.Audit(ctx, domain.AuditEntry{TenderID: tenderID, Actor: by, Action: "task.completed", Subject: "step:" + step,
			Detail: name, At: at.UTC()})
	})
}

func (s *Service) payMilestone(ctx context.Context, unit Unit, h Happened) error {
	batch, err := s.Payments.Pay(ctx, Payment{Key: h.Milestone, Amount: h.Amount, Currency: h.Currency, PayeeKey: h.PayeeKey,
		PayeeValue: h.PayeeValue, Description: "contract " + h.ContractID + " milestone",
		References: map[string]string{"ocid": h.OCID, "awardId": h.AwardID, "contractId": h.ContractID, "milestoneId": h.Milestone}})
	if err != nil {
		return err
	}
	return s.RecordPaymentBatch(ctx, unit, h.ContractID, h.Milestone, batch)
}

// DeadlineReached routes Scheduling's deadline.reached for one of procurement's deadlines (by its subject);
// other BBs' deadlines are ignored.
func (s *Service) DeadlineReached(ctx context.Context, unit Unit, subject string) error {
	rest, ok := strings.CutPrefix(subject, deadlinePrefix)
	if !ok {
		return nil
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return nil
	}
	switch parts[0] + "/" + parts[2] {
	case "tender/tender-period":
		return s.OpenBids(ctx, unit, parts[1])
	case "award/standstill":
		return s.StandstillReached(ctx, unit, parts[1])
	}
	return nil // the enquiry period's end changes nothing: questions are refused by the clock
}
