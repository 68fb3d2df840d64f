package api

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
)

// Reporting implements ReportingService (public: every figure derives from published OCDS data).
type Reporting struct {
	procv1.UnimplementedReportingServiceServer
	app *app.Service
}

// NewReporting returns the reporting handlers on a.
func NewReporting(a *app.Service) *Reporting { return &Reporting{app: a} }

func (h *Reporting) GetTendersByStage(ctx context.Context, _ *procv1.GetTendersByStageRequest) (*procv1.GetTendersByStageResponse, error) {
	stages, err := h.app.TendersByStage(ctx)
	out := &procv1.GetTendersByStageResponse{Stages: []*procv1.StageCount{}}
	for _, s := range stages {
		out.Stages = append(out.Stages, &procv1.StageCount{Stage: s.Stage, Tenders: int32(s.Tenders)})
	}
	return out, err
}

func (h *Reporting) ListBidsPerTender(ctx context.Context, r *procv1.ListBidsPerTenderRequest) (*procv1.ListBidsPerTenderResponse, error) {
	tenders, err := h.app.BidsPerTender(ctx, int(r.GetLimit()))
	out := &procv1.ListBidsPerTenderResponse{Tenders: []*procv1.TenderBids{}}
	for _, t := range tenders {
		out.Tenders = append(out.Tenders, &procv1.TenderBids{TenderId: t.TenderID, Ocid: t.OCID, Title: t.Title, Stage: t.Stage,
			Bids: int32(t.Bids), Withdrawn: int32(t.Withdrawn), Disqualified: int32(t.Disqualified)})
	}
	return out, err
}

func (h *Reporting) GetStageDurations(ctx context.Context, _ *procv1.GetStageDurationsRequest) (*procv1.GetStageDurationsResponse, error) {
	stages, err := h.app.StageDurations(ctx)
	out := &procv1.GetStageDurationsResponse{Stages: []*procv1.StageDuration{}}
	for _, s := range stages {
		out.Stages = append(out.Stages, &procv1.StageDuration{Stage: s.Stage, Tenders: int32(s.Tenders), AverageDays: s.AverageDays, MaxDays: s.Max})
	}
	return out, err
}

func (h *Reporting) ListOverdueSteps(ctx context.Context, _ *procv1.ListOverdueStepsRequest) (*procv1.ListOverdueStepsResponse, error) {
	steps, now, err := h.app.OverdueSteps(ctx)
	out := &procv1.ListOverdueStepsResponse{Steps: []*procv1.OverdueStep{}}
	for _, s := range steps {
		out.Steps = append(out.Steps, &procv1.OverdueStep{TenderId: s.TenderID, Ocid: s.OCID, Step: s.Step, Subject: s.Subject,
			Due: timestamppb.New(s.Due), OverdueDays: now.Sub(s.Due).Hours() / 24})
	}
	return out, err
}

func (h *Reporting) ListBuyerTotals(ctx context.Context, _ *procv1.ListBuyerTotalsRequest) (*procv1.ListBuyerTotalsResponse, error) {
	buyers, err := h.app.BuyerTotals(ctx)
	out := &procv1.ListBuyerTotalsResponse{Buyers: []*procv1.BuyerTotal{}}
	for _, b := range buyers {
		out.Buyers = append(out.Buyers, &procv1.BuyerTotal{Buyer: b.Buyer, Currency: b.Currency, Tenders: int32(b.Tenders),
			Awards: int32(b.Awards), AwardedValue: b.AwardedValue, Payments: int32(b.Payments), PaidValue: b.PaidValue})
	}
	return out, err
}

func (h *Reporting) ListRedFlags(ctx context.Context, _ *procv1.ListRedFlagsRequest) (*procv1.ListRedFlagsResponse, error) {
	flags, rules, n, err := h.app.RedFlags(ctx)
	out := &procv1.ListRedFlagsResponse{Flags: []*procv1.RedFlag{}, Processes: int32(n), Rules: &procv1.RedFlagRules{
		MinTenderDays: int32(rules.MinTenderDays), RepeatedAwards: int32(rules.RepeatedAwards), MaxAwardToEstimate: rules.MaxAwardToEstimate}}
	for _, f := range flags {
		out.Flags = append(out.Flags, &procv1.RedFlag{Indicator: string(f.Indicator), Title: f.Title, Ocids: f.OCIDs, Reason: f.Reason})
	}
	return out, err
}
