// Package redflags computes integrity red flags from OCDS data, as Prozorro's monitoring and the Open
// Contracting Partnership's red-flags guides do. Each function is pure: records in, flags out. A flag is
// a reason to look closer, never a verdict.
//
// Sources of the indicator names cited on each function:
//   - OCP, "Red flags for integrity: giving the green light to open data solutions" (2016), and
//   - OCP, "Red Flags in Public Procurement" (2024) as implemented by Cardinal (cardinal.readthedocs.io),
//     whose indicator codes (R003, R018) are cited where they match.
package redflags

import (
	"sort"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

// Indicator names a red flag.
type Indicator string

// The indicators this package computes.
const (
	SingleBid               Indicator = "singleBid"
	ShortTenderPeriod       Indicator = "shortTenderPeriod"
	RepeatedAwards          Indicator = "repeatedAwards"
	ChangedAfterPublication Indicator = "changedAfterPublication"
	AwardAboveEstimate      Indicator = "awardAboveEstimate"
)

// Titles are the indicators' names for people (a reporting API shows them beside each flag).
var Titles = map[Indicator]string{
	SingleBid:               "Single bid received",
	ShortTenderPeriod:       "Short notice to bidders",
	RepeatedAwards:          "High number of contract awards to one bidder",
	ChangedAfterPublication: "Tender changed after publication",
	AwardAboveEstimate:      "Award value far above the estimate",
}

// Flag is one red flag: the contracting processes it concerns and why.
type Flag struct {
	Indicator Indicator `json:"indicator"`
	Title     string    `json:"title"`
	OCIDs     []string  `json:"ocids"`
	Reason    string    `json:"reason"`
}

// Record is what the indicators read about one contracting process: its compiled release (the current
// state) and its releases (the history, for changes after publication).
type Record struct {
	Compiled ocds.Release
	Releases []ocds.Release
}

// Rules are the thresholds; the zero value of a field takes the default of DefaultRules.
type Rules struct {
	MinTenderDays      int      // a tender period shorter than this many calendar days is flagged
	RepeatedAwards     int      // this many active awards from one buyer to one supplier are flagged
	MaxAwardToEstimate float64  // awards worth more than this times the estimate are flagged
	CompetitiveMethods []string // procurement methods with an open call, where competition is expected
}

// DefaultRules: 15 days is Cardinal's R003 default (and the EU's shortest accelerated open procedure);
// three awards and 20% over the estimate are starting points to tune on local data.
var DefaultRules = Rules{MinTenderDays: 15, RepeatedAwards: 3, MaxAwardToEstimate: 1.2, CompetitiveMethods: []string{"open", "selective"}}

// WithDefaults is r with its zero fields set from DefaultRules: the rules an indicator applies.
func (r Rules) WithDefaults() Rules { return r.withDefaults() }

func (r Rules) withDefaults() Rules {
	if r.MinTenderDays == 0 {
		r.MinTenderDays = DefaultRules.MinTenderDays
	}
	if r.RepeatedAwards == 0 {
		r.RepeatedAwards = DefaultRules.RepeatedAwards
	}
	if r.MaxAwardToEstimate == 0 {
		r.MaxAwardToEstimate = DefaultRules.MaxAwardToEstimate
	}
	if r.CompetitiveMethods == nil {
		r.CompetitiveMethods = DefaultRules.CompetitiveMethods
	}
	return r
}

func (r Rules) competitive(t *ocds.Tender) bool {
	for _, m := range r.CompetitiveMethods {
		if t != nil && t.ProcurementMethod == m {
			return true
		}
	}
	return false
}

// All runs every indicator over records and returns the flags ordered by indicator, then first ocid.
func All(records []Record, rules Rules) []Flag {
	rules = rules.withDefaults()
	compiled := make([]ocds.Release, len(records))
	for i, r := range records {
		compiled[i] = r.Compiled
	}
	var out []Flag
	out = append(out, FindSingleBids(compiled, rules)...)
	out = append(out, FindShortTenderPeriods(compiled, rules)...)
	out = append(out, FindRepeatedAwards(compiled, rules)...)
	out = append(out, FindChangesAfterPublication(records)...)
	out = append(out, FindAwardsAboveEstimate(compiled, rules)...)
	for i := range out {
		out[i].Title = Titles[out[i].Indicator]
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Indicator != out[j].Indicator {
			return out[i].Indicator < out[j].Indicator
		}
		return out[i].OCIDs[0] < out[j].OCIDs[0]
	})
	return out
}

func days(d time.Duration) float64 { return d.Hours() / 24 }
