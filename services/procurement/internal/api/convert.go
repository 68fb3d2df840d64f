package api

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/apierr"
	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func tenderIn(p *procv1.Tender) domain.Tender {
	t := domain.Tender{Title: p.GetTitle(), Description: p.GetDescription(), EstimatedValue: p.GetEstimatedValue(),
		Currency: p.GetCurrency(), EnquiryDays: int(p.GetEnquiryPeriodDays()), TenderDays: int(p.GetTenderPeriodDays()),
		StandstillDays: int(p.GetStandstillDays())}
	for _, i := range p.GetItems() {
		t.Items = append(t.Items, domain.Item{ID: i.GetId(), Description: i.GetDescription(), CPV: i.GetCpvCode(),
			Quantity: int(i.GetQuantity()), Unit: i.GetUnit(), LotID: i.GetLotId()})
	}
	for _, l := range p.GetLots() {
		t.Lots = append(t.Lots, domain.Lot{ID: l.GetId(), Title: l.GetTitle(), EstimatedValue: l.GetEstimatedValue()})
	}
	for _, c := range p.GetAwardCriteria() {
		t.Criteria = append(t.Criteria, domain.Criterion{ID: c.GetId(), Name: c.GetName(), Kind: c.GetKind(), Weight: int(c.GetWeight())})
	}
	t.Documents = documentsIn(p.GetDocuments())
	return t
}

func documentsIn(in []*procv1.Document) []domain.Document {
	var out []domain.Document
	for _, d := range in {
		out = append(out, domain.Document{ID: d.GetId(), Title: d.GetTitle(), URL: d.GetUrl()})
	}
	return out
}

func documentsPB(in []domain.Document) []*procv1.Document {
	out := []*procv1.Document{}
	for _, d := range in {
		out = append(out, &procv1.Document{Id: d.ID, Title: d.Title, Url: d.URL})
	}
	return out
}

func tenderPB(t domain.Tender) *procv1.Tender {
	out := &procv1.Tender{Id: t.ID, Ocid: t.OCID, Title: t.Title, Description: t.Description, Status: t.Status,
		BuyerOrganisation: t.BuyerOrg, BuyerId: t.BuyerID, EstimatedValue: t.EstimatedValue, Currency: t.Currency,
		EnquiryPeriodDays: int32(t.EnquiryDays), TenderPeriodDays: int32(t.TenderDays), StandstillDays: int32(t.StandstillDays),
		EnquiryEnd: ts(t.EnquiryEnd), TenderEnd: ts(t.TenderEnd), PublishedAt: ts(t.PublishedAt), BidsOpenedAt: ts(t.BidsOpenedAt),
		CreatedAt: ts(t.CreatedAt), StatusReason: t.StatusReason, RequiresActiveCompany: true, Documents: documentsPB(t.Documents)}
	for _, i := range t.Items {
		out.Items = append(out.Items, &procv1.Item{Id: i.ID, Description: i.Description, CpvCode: i.CPV, Quantity: int32(i.Quantity), Unit: i.Unit, LotId: i.LotID})
	}
	for _, l := range t.Lots {
		out.Lots = append(out.Lots, &procv1.Lot{Id: l.ID, Title: l.Title, EstimatedValue: l.EstimatedValue})
	}
	for _, c := range t.Criteria {
		out.AwardCriteria = append(out.AwardCriteria, &procv1.AwardCriterion{Id: c.ID, Name: c.Name, Kind: c.Kind, Weight: int32(c.Weight)})
	}
	return out
}

func questionPB(q domain.Question) *procv1.Question {
	return &procv1.Question{Id: q.ID, TenderId: q.TenderID, Text: q.Text, Answer: q.Answer, AskedAt: ts(q.AskedAt), AnsweredAt: ts(q.AnsweredAt)}
}

// bidPB shows a bid's contents only once it is opened: until then they exist only sealed.
func bidPB(b domain.Bid) *procv1.Bid {
	out := &procv1.Bid{Id: b.ID, TenderId: b.TenderID, CompanyId: b.CompanyID, Status: b.Status, Sealed: !b.Opened,
		SubmittedAt: ts(b.SubmittedAt), UpdatedAt: ts(b.UpdatedAt), DisqualificationReason: b.DisqualificationReason, Rank: int32(b.Rank)}
	if b.Opened {
		out.Price, out.Proposal, out.Documents = b.Contents.Price, b.Contents.Proposal, documentsPB(b.Contents.Documents)
	}
	if b.Rank > 0 {
		out.TotalScore = domain.FormatCents(b.TotalScore)
	}
	return out
}

// supplierBidPB is one of a supplier's own bids: the bid as bidPB shows it (sealed until opened) and its tender.
func supplierBidPB(b app.SupplierBid) *procv1.SupplierBid {
	return &procv1.SupplierBid{Bid: bidPB(b.Bid), TenderTitle: b.TenderTitle, TenderStatus: b.TenderStatus,
		BuyerOrganisation: b.BuyerOrg, Currency: b.Currency, TenderEnd: ts(b.TenderEnd)}
}

func scorePB(s domain.Score) *procv1.Score {
	return &procv1.Score{BidId: s.BidID, CriterionId: s.CriterionID, Score: int32(s.Score), Reason: s.Reason, EvaluatorId: s.EvaluatorID, ScoredAt: ts(s.At)}
}

func awardPB(a domain.Award) *procv1.Award {
	out := &procv1.Award{Id: a.ID, TenderId: a.TenderID, BidId: a.BidID, CompanyId: a.CompanyID, Value: a.Value, Currency: a.Currency,
		Status: a.Status, DecidedAt: ts(a.DecidedAt), StandstillEnd: ts(a.StandstillEnd)}
	for _, c := range a.Complaints {
		out.Complaints = append(out.Complaints, complaintPB(c))
	}
	return out
}

func complaintPB(c domain.Complaint) *procv1.Complaint {
	return &procv1.Complaint{Id: c.ID, AwardId: c.AwardID, CompanyId: c.CompanyID, Text: c.Text, Status: c.Status, Resolution: c.Resolution, FiledAt: ts(c.FiledAt)}
}

func contractPB(c domain.Contract) *procv1.Contract {
	out := &procv1.Contract{Id: c.ID, TenderId: c.TenderID, AwardId: c.AwardID, CompanyId: c.CompanyID, Value: c.Value, Currency: c.Currency,
		Status: c.Status, PeriodStart: ts(c.PeriodStart), PeriodEnd: ts(c.PeriodEnd), SignedAt: ts(c.SignedAt), PayeeKey: c.PayeeKey, PayeeValue: c.PayeeValue}
	for _, m := range c.Milestones {
		out.Milestones = append(out.Milestones, &procv1.Milestone{Id: m.ID, Title: m.Title, Amount: m.Amount, DueDate: ts(m.DueDate),
			Status: m.Status, DeliveredAt: ts(m.DeliveredAt), PaidAt: ts(m.PaidAt), PaymentBatchId: m.PaymentBatchID})
	}
	return out
}

func evaluationPB(tenderID string, e app.Evaluation) *procv1.Evaluation {
	out := &procv1.Evaluation{TenderId: tenderID}
	for _, s := range e.Scores {
		out.Scores = append(out.Scores, scorePB(s))
	}
	for _, b := range e.Bids {
		out.Bids = append(out.Bids, bidPB(b))
	}
	for _, a := range e.Audit {
		out.Audit = append(out.Audit, &procv1.AuditEntry{Actor: a.Actor, Action: a.Action, Subject: a.Subject, Detail: a.Detail, At: ts(a.At)})
	}
	return out
}

// contractIn reads a contract being signed; dates are RFC 3339 (a plain date is read as midnight UTC).
func contractIn(r *procv1.SignContractRequest) (domain.Contract, error) {
	var v []apierr.FieldViolation
	date := func(name, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		for _, layout := range []string{time.RFC3339, time.DateOnly} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC()
			}
		}
		v = append(v, apierr.FieldViolation{Field: name, Description: "not a date: RFC 3339 (2026-01-31 or 2026-01-31T00:00:00Z)"})
		return time.Time{}
	}
	c := domain.Contract{PeriodStart: date("periodStart", r.GetPeriodStart()), PeriodEnd: date("periodEnd", r.GetPeriodEnd()),
		PayeeKey: r.GetPayeeKey(), PayeeValue: r.GetPayeeValue()}
	for _, m := range r.GetMilestones() {
		c.Milestones = append(c.Milestones, domain.Milestone{Title: m.GetTitle(), Amount: m.GetAmount(), DueDate: date("milestones.dueDate", m.GetDueDate())})
	}
	if (c.PayeeKey == "") != (c.PayeeValue == "") {
		v = append(v, apierr.FieldViolation{Field: "payeeValue", Description: "payeeKey and payeeValue go together"})
	}
	if len(v) > 0 {
		return c, apierr.Invalid(domain.ReasonInvalid, "the contract's fields are not readable: see details", v...)
	}
	return c, nil
}
