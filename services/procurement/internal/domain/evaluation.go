package domain

import (
	"slices"
	"strconv"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Score is one evaluator's score of one bid on one criterion.
type Score struct {
	BidID, CriterionID, Reason, EvaluatorID string
	Score                                   int
	At                                      time.Time
}

// Declaration is an evaluator's declaration of interest for a tender.
type Declaration struct {
	TenderID, EvaluatorID, Statement string
	Conflict                         bool
	At                               time.Time
}

// CheckScores checks one evaluator's scores of one bid against the tender's criteria: one per criterion,
// 0 to 100, each with a reason.
func CheckScores(t Tender, scores []Score) error {
	var v []apierr.FieldViolation
	seen := map[string]bool{}
	for i, s := range scores {
		at := "scores[" + strconv.Itoa(i) + "]"
		if _, ok := t.Criterion(s.CriterionID); !ok {
			v = append(v, field(at+".criterionId", "%q is not one of the tender's award criteria", s.CriterionID))
		}
		if seen[s.CriterionID] {
			v = append(v, field(at+".criterionId", "%q is scored twice", s.CriterionID))
		}
		seen[s.CriterionID] = true
		if s.Score < 0 || s.Score > 100 {
			v = append(v, field(at+".score", "0 to 100"))
		}
		if err := CheckText(at+".reason", s.Reason, 2000); err != nil {
			v = append(v, field(at+".reason", "required: say why, at most 2000 characters"))
		}
	}
	for _, c := range t.Criteria {
		if !seen[c.ID] {
			v = append(v, field("scores", "criterion %q (%s) has no score", c.ID, c.Name))
		}
	}
	if len(v) > 0 {
		return invalid("the scores do not match the tender's award criteria: see details", v)
	}
	return nil
}

// MayScore says whether an evaluator with declaration d (ok: one was made) may score.
func MayScore(d Declaration, ok bool) error {
	if !ok {
		return apierr.FailedPrecondition(ReasonNoDeclaration,
			"declare your interests first (POST /tenders/{id}/declarations): scoring needs a declaration")
	}
	if d.Conflict {
		return apierr.PermissionDenied(ReasonConflict, "you declared a conflict of interest for this tender and cannot score its bids")
	}
	return nil
}

// Rank combines the scores of the eligible bids by the criteria's weights: each criterion's score is the
// mean of its evaluators', weighted by the criterion's percent; ties go to the lower price, then the earlier
// bid. It sets TotalScore (hundredths) and Rank, best first, and returns the bids ranked; a bid without
// scores on every criterion is an error naming it.
func Rank(t Tender, bids []Bid, scores []Score) ([]Bid, error) {
	var ranked []Bid
	for _, b := range bids {
		if b.Status != BidEligible {
			continue
		}
		total, err := weighted(t, b.ID, scores)
		if err != nil {
			return nil, err
		}
		b.TotalScore = total
		ranked = append(ranked, b)
	}
	slices.SortStableFunc(ranked, func(a, b Bid) int {
		if a.TotalScore != b.TotalScore {
			return int(b.TotalScore - a.TotalScore)
		}
		pa, _ := Cents(a.Contents.Price)
		pb, _ := Cents(b.Contents.Price)
		if pa != pb {
			return int(pa - pb)
		}
		return a.SubmittedAt.Compare(b.SubmittedAt)
	})
	for i := range ranked {
		ranked[i].Rank = i + 1
	}
	return ranked, nil
}

func weighted(t Tender, bidID string, scores []Score) (int64, error) {
	var total int64
	for _, c := range t.Criteria {
		sum, n := 0, 0
		for _, s := range scores {
			if s.BidID == bidID && s.CriterionID == c.ID {
				sum, n = sum+s.Score, n+1
			}
		}
		if n == 0 {
			return 0, apierr.FailedPrecondition(ReasonWrongStatus, "bid "+bidID+" has no score on criterion "+c.ID+": the panel has not finished")
		}
		// hundredths of a point: score (0-100) × weight (percent) / 100 × 100, averaged over evaluators.
		total += int64(sum) * int64(c.Weight) / int64(n)
	}
	return total, nil
}

// AuditEntry is one recorded evaluation step.
type AuditEntry struct {
	TenderID, Actor, Action, Subject, Detail string
	At                                       time.Time
}
