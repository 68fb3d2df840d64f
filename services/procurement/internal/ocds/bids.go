package ocds

import "time"

// Bid statistic measures (bidStatistics.csv).
const (
	MeasureBids                 = "bids"
	MeasureBidders              = "bidders"
	MeasureValidBids            = "validBids"
	MeasureLowestValidBidValue  = "lowestValidBidValue"
	MeasureHighestValidBidValue = "highestValidBidValue"
)

// PublishBids is the bids section of a release as of at. Bids are sealed until the opening: before it,
// only how many bids and bidders there are is published — not who bid, nor for how much — and the
// details follow once opened is true, with the lowest and highest valid bid. Withdrawn bids count as
// neither bids nor bidders. Returns nil when there is nothing to publish.
func PublishBids(bids []Bid, opened bool, at time.Time) *Bids {
	if len(bids) == 0 {
		return nil
	}
	bidders := map[string]bool{}
	count := 0
	for _, b := range bids {
		if b.Status == BidWithdrawn {
			continue
		}
		count++
		for _, t := range b.Tenderers {
			bidders[t.ID] = true
		}
	}
	out := &Bids{}
	stat := func(measure string, v float64, currency string) {
		out.Statistics = append(out.Statistics, BidsStatistic{
			ID: measure, Measure: measure, Date: at, Value: v, Currency: currency, // merged by id: one per measure
		})
	}
	stat(MeasureBids, float64(count), "")
	stat(MeasureBidders, float64(len(bidders)), "")
	if !opened {
		return out
	}
	out.Details = append([]Bid(nil), bids...)
	var valid []Bid
	for _, b := range bids {
		if b.Status == BidValid && b.Value != nil {
			valid = append(valid, b)
		}
	}
	stat(MeasureValidBids, float64(len(valid)), "")
	if len(valid) > 0 {
		lo, hi := valid[0].Value, valid[0].Value
		for _, b := range valid[1:] {
			if b.Value.Amount < lo.Amount {
				lo = b.Value
			}
			if b.Value.Amount > hi.Amount {
				hi = b.Value
			}
		}
		stat(MeasureLowestValidBidValue, lo.Amount, lo.Currency)
		stat(MeasureHighestValidBidValue, hi.Amount, hi.Currency)
	}
	return out
}
