package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/redflags"
)

// Reports are the management figures over published tenders (drafts left out), computed by the store.
type Reports interface {
	TendersByStage(ctx context.Context) ([]StageCount, error)
	BidsPerTender(ctx context.Context, limit int) ([]TenderBids, error)
	StageDurations(ctx context.Context) ([]StageDuration, error)
	// OverdueSteps are the steps due before now and not done, oldest first.
	OverdueSteps(ctx context.Context, now time.Time) ([]OverdueStep, error)
	BuyerTotals(ctx context.Context) ([]BuyerTotal, error)
}

// StageCount is how many tenders are at one stage (their status).
type StageCount struct {
	Stage   string
	Tenders int
}

// TenderBids is one tender's bids by outcome.
type TenderBids struct {
	TenderID, OCID, Title, Stage  string
	Bids, Withdrawn, Disqualified int
}

// StageDuration is the time the tenders that left a stage spent in it.
type StageDuration struct {
	Stage            string
	Tenders          int
	AverageDays, Max float64
}

// OverdueStep is one step past its due time.
type OverdueStep struct {
	TenderID, OCID, Step, Subject string
	Due                           time.Time
}

// BuyerTotal is one buyer's tenders, awards and payments in one currency; values are decimal strings.
type BuyerTotal struct {
	Buyer, Currency           string
	Tenders, Awards, Payments int
	AwardedValue, PaidValue   string
}

// Stages of the stage durations, in lifecycle order.
const (
	StageTendering  = "tendering"  // publication to the opening of the bids
	StageEvaluation = "evaluation" // opening to award
	StageStandstill = "standstill" // award to the signed contract
	StageDelivery   = "delivery"   // contract to completion (every milestone paid)
)

// Overdue steps.
const (
	StepBidsOpening = "bids-opening" // the tender period ended, the bids are not opened
	StepStandstill  = "standstill"   // the standstill's end passed, the award is not active
	StepDelivery    = "delivery"     // a milestone's due date passed undelivered
	StepPayment     = "payment"      // delivered over a day ago, not yet paid
)

// MaxReportRows bounds the per-tender report.
const MaxReportRows = 1000

// TendersByStage counts tenders per stage.
func (s *Service) TendersByStage(ctx context.Context) ([]StageCount, error) {
	return s.Reports.TendersByStage(ctx)
}

// BidsPerTender counts each tender's bids, newest tender first; limit 0 takes 100.
func (s *Service) BidsPerTender(ctx context.Context, limit int) ([]TenderBids, error) {
	if limit == 0 {
		limit = 100
	}
	if limit < 1 || limit > MaxReportRows {
		return nil, apierr.Invalid("INVALID_LIMIT", "limit: 1 to 1000",
			apierr.FieldViolation{Field: "limit", Description: "a whole number from 1 to 1000 (default 100)"})
	}
	return s.Reports.BidsPerTender(ctx, limit)
}

// StageDurations is the time spent in each stage.
func (s *Service) StageDurations(ctx context.Context) ([]StageDuration, error) {
	return s.Reports.StageDurations(ctx)
}

// OverdueSteps lists the steps past their deadline now.
func (s *Service) OverdueSteps(ctx context.Context) ([]OverdueStep, time.Time, error) {
	now := s.now()
	steps, err := s.Reports.OverdueSteps(ctx, now)
	return steps, now, err
}

// BuyerTotals is each buyer's awards and payments.
func (s *Service) BuyerTotals(ctx context.Context) ([]BuyerTotal, error) {
	return s.Reports.BuyerTotals(ctx)
}

// RedFlags runs the integrity indicators over every published process's record (compiled by the OCDS
// merge from its releases, kept compiled between requests: recordCache) and returns the flags, the rules in
// force and how many processes were read.
func (s *Service) RedFlags(ctx context.Context) ([]redflags.Flag, redflags.Rules, int, error) {
	records, err := s.records.compiled(ctx, s.Releases)
	if err != nil {
		return nil, redflags.Rules{}, 0, err
	}
	return redflags.All(records, s.RedFlagRules), s.RedFlagRules.WithDefaults(), len(records), nil
}
