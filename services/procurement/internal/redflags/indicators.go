package redflags

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

// FindSingleBids flags competitive tenders that received one bid. Guide: "Single bid received"
// (Cardinal R018). The count is tender.numberOfTenderers, else the bids
// statistic dated at or after the deadline, else the opened bids that were not withdrawn; a process
// still open to bids (or with no count) is not judged: more bids may come.
func FindSingleBids(compiled []ocds.Release, rules Rules) []Flag {
	rules = rules.withDefaults()
	var out []Flag
	for _, r := range compiled {
		if !rules.competitive(r.Tender) {
			continue
		}
		if n, ok := bidCount(r); ok && n == 1 {
			out = append(out, Flag{Indicator: SingleBid, OCIDs: []string{r.OCID},
				Reason: fmt.Sprintf("%s tender received a single bid", r.Tender.ProcurementMethod)})
		}
	}
	return out
}

func bidCount(r ocds.Release) (int, bool) {
	if r.Tender != nil && r.Tender.NumberOfTenderers != nil {
		return *r.Tender.NumberOfTenderers, true
	}
	if r.Bids == nil {
		return 0, false
	}
	for _, s := range r.Bids.Statistics {
		if s.Measure == ocds.MeasureBids && afterDeadline(r.Tender, s.Date) {
			return int(s.Value), true
		}
	}
	n := 0
	for _, b := range r.Bids.Details {
		if b.Status != ocds.BidWithdrawn {
			n++
		}
	}
	return n, len(r.Bids.Details) > 0
}

func afterDeadline(t *ocds.Tender, at time.Time) bool {
	return t == nil || t.TenderPeriod == nil || t.TenderPeriod.EndDate.IsZero() || !at.Before(t.TenderPeriod.EndDate)
}

// FindShortTenderPeriods flags competitive tenders whose tender period is shorter than
// rules.MinTenderDays calendar days. Guide: "Short notice to bidders to submit expressions of interest
// or bids" (Cardinal R003; 2016 guide: "Short notice to bidders").
func FindShortTenderPeriods(compiled []ocds.Release, rules Rules) []Flag {
	rules = rules.withDefaults()
	var out []Flag
	for _, r := range compiled {
		if !rules.competitive(r.Tender) || r.Tender.TenderPeriod == nil {
			continue
		}
		p := r.Tender.TenderPeriod
		if p.StartDate.IsZero() || p.EndDate.IsZero() {
			continue
		}
		if d := days(p.EndDate.Sub(p.StartDate)); d < float64(rules.MinTenderDays) {
			out = append(out, Flag{Indicator: ShortTenderPeriod, OCIDs: []string{r.OCID},
				Reason: fmt.Sprintf("tender period of %.1f days, shorter than the %d-day rule", d, rules.MinTenderDays)})
		}
	}
	return out
}

// FindRepeatedAwards flags each buyer and supplier pair with rules.RepeatedAwards or more active awards
// across the records, naming every process involved. Guide (2016): "High number of contract awards to
// one bidder".
func FindRepeatedAwards(compiled []ocds.Release, rules Rules) []Flag {
	rules = rules.withDefaults()
	type pair struct{ buyer, supplier string }
	ocids := map[pair][]string{}
	for _, r := range compiled {
		if r.Buyer == nil {
			continue
		}
		for _, a := range r.Awards {
			if a.Status != ocds.AwardActive {
				continue
			}
			for _, s := range a.Suppliers {
				k := pair{r.Buyer.ID, s.ID}
				ocids[k] = append(ocids[k], r.OCID)
			}
		}
	}
	var out []Flag
	for k, list := range ocids {
		if len(list) < rules.RepeatedAwards {
			continue
		}
		sort.Strings(list)
		out = append(out, Flag{Indicator: RepeatedAwards, OCIDs: list, Reason: fmt.Sprintf(
			"buyer %s made %d awards to supplier %s (threshold %d)", k.buyer, len(list), k.supplier, rules.RepeatedAwards)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Reason < out[j].Reason })
	return out
}

// FindAwardsAboveEstimate flags processes whose active awards, in the estimate's currency, add up to more
// than rules.MaxAwardToEstimate times the tender's estimated value. The guides' nearest indicators are
// the 2016 "Large difference between contract award and final contract amount" and the winning bid far
// above the cost estimate (paraphrased; the exact indicator name was not verifiable offline).
func FindAwardsAboveEstimate(compiled []ocds.Release, rules Rules) []Flag {
	rules = rules.withDefaults()
	var out []Flag
	for _, r := range compiled {
		if r.Tender == nil || r.Tender.Value == nil || r.Tender.Value.Amount <= 0 {
			continue
		}
		est := r.Tender.Value
		total := 0.0
		for _, a := range r.Awards {
			if a.Status == ocds.AwardActive && a.Value != nil && a.Value.Currency == est.Currency {
				total += a.Value.Amount
			}
		}
		if ratio := total / est.Amount; ratio > rules.MaxAwardToEstimate {
			out = append(out, Flag{Indicator: AwardAboveEstimate, OCIDs: []string{r.OCID}, Reason: fmt.Sprintf(
				"awarded %.2f %s, %.2f times the estimate of %.2f (limit %.2f)", total, est.Currency, ratio, est.Amount, rules.MaxAwardToEstimate)})
		}
	}
	return out
}

// joinChanges words the changed fields of one process.
func joinChanges(changes []string) string {
	return strings.Join(changes, "; ")
}
