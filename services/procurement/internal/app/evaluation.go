package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// DeclareInterest records an evaluator's declaration of interest for the tender (audited).
func (s *Service) DeclareInterest(ctx context.Context, a Actor, tenderID string, conflict bool, statement string) error {
	if err := domain.CheckText("statement", statement, 2000); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		if _, err := s.buyersTender(ctx, tx, a, tenderID, false); err != nil {
			return err
		}
		if err := tx.SaveDeclaration(ctx, domain.Declaration{TenderID: tenderID, EvaluatorID: a.ID, Conflict: conflict,
			Statement: statement, At: s.now()}); err != nil {
			return err
		}
		action := "declared.no_conflict"
		if conflict {
			action = "declared.conflict"
		}
		return s.audit(ctx, tx, tenderID, a.ID, action, "tender:"+tenderID, statement)
	})
}

// ScoreBid records an evaluator's scores of one eligible bid (audited).
func (s *Service) ScoreBid(ctx context.Context, a Actor, tenderID, bidID string, scores []domain.Score) ([]domain.Score, error) {
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := s.buyersTender(ctx, tx, a, tenderID, false)
		if err != nil {
			return err
		}
		if t.Status != domain.StatusEvaluation {
			return apierr.FailedPrecondition(domain.ReasonWrongStatus, "the tender is "+t.Status+": bids are scored during evaluation")
		}
		d, ok, err := tx.Declaration(ctx, tenderID, a.ID)
		if err != nil {
			return err
		}
		if err := domain.MayScore(d, ok); err != nil {
			return err
		}
		b, err := tx.Bid(ctx, tenderID, bidID, false)
		if err != nil {
			return err
		}
		if b.Status != domain.BidEligible {
			return apierr.FailedPrecondition(domain.ReasonWrongStatus, "the bid is "+b.Status+": only eligible bids are scored")
		}
		if err := domain.CheckScores(t, scores); err != nil {
			return err
		}
		now := s.now()
		var summary []string
		for i := range scores {
			scores[i].BidID, scores[i].EvaluatorID, scores[i].At = bidID, a.ID, now
			summary = append(summary, fmt.Sprintf("%s=%d (%s)", scores[i].CriterionID, scores[i].Score, scores[i].Reason))
		}
		if err := tx.ReplaceScores(ctx, tenderID, bidID, a.ID, scores); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenderID, a.ID, "bid.scored", "bid:"+bidID, strings.Join(summary, "; "))
	})
	return scores, err
}

// Evaluation is a tender's scores, ranked bids and audit trail.
type Evaluation struct {
	Scores []domain.Score
	Bids   []domain.Bid
	Audit  []domain.AuditEntry
}

// GetEvaluation reads the evaluation (the buyer's organisation).
func (s *Service) GetEvaluation(ctx context.Context, a Actor, tenderID string) (Evaluation, error) {
	var out Evaluation
	err := s.inTx(ctx, func(tx Tx) error {
		_, err := s.buyersTender(ctx, tx, a, tenderID, false)
		if err != nil {
			return err
		}
		if out.Scores, err = tx.Scores(ctx, tenderID); err != nil {
			return err
		}
		if out.Bids, err = tx.Bids(ctx, tenderID); err != nil {
			return err
		}
		out.Audit, err = tx.AuditTrail(ctx, tenderID)
		return err
	})
	return out, err
}
