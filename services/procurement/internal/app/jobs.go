package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// The service tasks of the procurement process that procurement does (job types).
const (
	JobEligibility  = "procurement-eligibility"
	JobUnsuccessful = "procurement-unsuccessful"
	JobRank         = "procurement-combine-scores"
	JobAward        = "procurement-award"
	JobClose        = "procurement-close"
)

// JobTypes are the job types the worker asks Workflow for.
var JobTypes = []string{JobEligibility, JobUnsuccessful, JobRank, JobAward, JobClose}

// DoJob does one job of the process for its tender (variable tenderId) and returns its result variables.
// Every job may run twice (its lease ran out before it completed): each leaves what is already done as is.
func (s *Service) DoJob(ctx context.Context, j Job) (map[string]any, error) {
	tenderID, _ := j.Variables["tenderId"].(string)
	if tenderID == "" {
		return nil, fmt.Errorf("job %s has no tenderId variable", j.Key)
	}
	switch j.Type {
	case JobEligibility:
		return s.checkEligibility(ctx, tenderID)
	case JobUnsuccessful:
		return nil, s.endUnsuccessful(ctx, tenderID, "no eligible bid")
	case JobRank:
		return s.rank(ctx, tenderID)
	case JobAward:
		return s.award(ctx, tenderID)
	case JobClose:
		return nil, s.close(ctx, tenderID)
	}
	return nil, fmt.Errorf("unknown job type %q", j.Type)
}

// checkEligibility checks every opened bid's company in the companies registry again: a company no longer
// active is disqualified, with the reason, and told.
func (s *Service) checkEligibility(ctx context.Context, tenderID string) (map[string]any, error) {
	var bids []domain.Bid
	if err := s.inTx(ctx, func(tx Tx) (err error) { bids, err = tx.Bids(ctx, tenderID); return err }); err != nil {
		return nil, err
	}
	verdicts := map[string]string{} // bid id → reason ("" eligible)
	for _, b := range bids {
		if b.Status != domain.BidSubmitted {
			continue
		}
		status, found, err := s.Registries.CompanyStatus(ctx, b.CompanyID)
		if err != nil {
			return nil, err
		}
		switch {
		case !found:
			verdicts[b.ID] = "company " + b.CompanyID + " is not in the companies registry"
		case status != "active":
			verdicts[b.ID] = "company " + b.CompanyID + " is " + status + " in the companies registry"
		default:
			verdicts[b.ID] = ""
		}
	}
	eligible := 0
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := tx.Tender(ctx, tenderID, true)
		if err != nil {
			return err
		}
		for id, reason := range verdicts {
			b, err := tx.Bid(ctx, tenderID, id, true)
			if err != nil {
				return err
			}
			if b.Status != domain.BidSubmitted {
				continue
			}
			b.Decide(reason == "", reason)
			if err := tx.UpdateBid(ctx, b); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, tenderID, "procurement", "bid."+b.Status, "bid:"+b.ID, reason); err != nil {
				return err
			}
			if reason != "" {
				tx.Publish(domain.Event{Type: domain.EvBidDisqualified, Tender: t, Bid: &b, At: s.now()})
			}
		}
		all, err := tx.Bids(ctx, tenderID)
		for _, b := range all {
			if b.Status == domain.BidEligible {
				eligible++
			}
		}
		return err
	})
	return map[string]any{"eligibleBids": eligible}, err
}

func (s *Service) audit(ctx context.Context, tx Tx, tenderID, actor, action, subject, detail string) error {
	return tx.Audit(ctx, domain.AuditEntry{TenderID: tenderID, Actor: actor, Action: action, Subject: subject, Detail: detail, At: s.now()})
}

// endUnsuccessful ends the tender without an award; the followers are told.
func (s *Service) endUnsuccessful(ctx context.Context, tenderID, reason string) error {
	return s.finish(ctx, tenderID, domain.EvTenderUnsuccessful, "tenderUpdate", func(t *domain.Tender) (bool, error) {
		if t.Ended() {
			return false, nil // done before: the job ran twice
		}
		return true, t.Unsuccessful(reason)
	})
}

// finish ends the tender with end (false: it is over already) and tells the followers, in one transaction.
func (s *Service) finish(ctx context.Context, tenderID, kind, tag string, end func(*domain.Tender) (bool, error)) error {
	return s.inTx(ctx, func(tx Tx) error {
		t, err := tx.Tender(ctx, tenderID, true)
		if err != nil {
			return err
		}
		if ok, err := end(&t); err != nil || !ok {
			return err
		}
		if err := tx.UpdateTender(ctx, t); err != nil {
			return err
		}
		notify, err := tx.Followers(ctx, tenderID)
		if err != nil {
			return err
		}
		return s.changed(ctx, tx, domain.Event{Type: kind, Tender: t, Notify: notify}, tag)
	})
}

// rank combines the panel's scores by the published weights.
func (s *Service) rank(ctx context.Context, tenderID string) (map[string]any, error) {
	var best string
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := tx.Tender(ctx, tenderID, true)
		if err != nil {
			return err
		}
		bids, err := tx.Bids(ctx, tenderID)
		if err != nil {
			return err
		}
		scores, err := tx.Scores(ctx, tenderID)
		if err != nil {
			return err
		}
		ranked, err := domain.Rank(t, bids, scores)
		if err != nil {
			return err
		}
		var lines []string
		for _, b := range ranked {
			if err := tx.UpdateBid(ctx, b); err != nil {
				return err
			}
			lines = append(lines, fmt.Sprintf("%d. bid %s: %s", b.Rank, b.ID, domain.FormatCents(b.TotalScore)))
		}
		if len(ranked) > 0 {
			best = ranked[0].ID
		}
		return s.audit(ctx, tx, tenderID, "procurement", "scores.combined", "tender:"+tenderID, strings.Join(lines, "; "))
	})
	return map[string]any{"bestBid": best}, err
}

// close completes the tender once every milestone is paid.
func (s *Service) close(ctx context.Context, tenderID string) error {
	return s.finish(ctx, tenderID, domain.EvTenderCompleted, "implementationUpdate", func(t *domain.Tender) (bool, error) {
		if t.Status == domain.StatusComplete {
			return false, nil
		}
		return true, t.Advance(domain.StatusContracted, domain.StatusComplete)
	})
}
