package redflags

import (
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func intp(n int) *int { return &n }

func tender(method string, startDays, endDays int) *ocds.Tender {
	return &ocds.Tender{ID: "t", ProcurementMethod: method, Value: &ocds.Value{Amount: 100, Currency: "GBP"},
		TenderPeriod: &ocds.Period{StartDate: t0.AddDate(0, 0, startDays), EndDate: t0.AddDate(0, 0, endDays)}}
}

func TestFindSingleBids(t *testing.T) {
	withBids := func(n int, method string) ocds.Release {
		r := ocds.Release{OCID: "ocds-1", Tender: tender(method, 0, 30)}
		r.Tender.NumberOfTenderers = intp(n)
		return r
	}
	statistic := func(days int) ocds.Release {
		return ocds.Release{OCID: "ocds-1", Tender: tender("open", 0, 30), Bids: &ocds.Bids{Statistics: []ocds.BidsStatistic{
			{ID: "bids", Measure: ocds.MeasureBids, Value: 1, Date: t0.AddDate(0, 0, days)}}}}
	}
	details := ocds.Release{OCID: "ocds-1", Tender: tender("open", 0, 30), Bids: &ocds.Bids{Details: []ocds.Bid{
		{ID: "1", Status: ocds.BidValid}, {ID: "2", Status: ocds.BidWithdrawn}}}}
	cases := []struct {
		name string
		r    ocds.Release
		flag bool
	}{
		{"one bid, open", withBids(1, "open"), true},
		{"one bid, selective", withBids(1, "selective"), true},
		{"one bid, direct award is not competitive", withBids(1, "direct"), false},
		{"three bids", withBids(3, "open"), false},
		{"no bid: unsuccessful, not single", withBids(0, "open"), false},
		{"count from the statistic at the deadline", statistic(30), true},
		{"sealed count before the deadline is not judged", statistic(29), false},
		{"count from details, withdrawn left out", details, true},
		{"no count yet", ocds.Release{OCID: "ocds-1", Tender: tender("open", 0, 30)}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := FindSingleBids([]ocds.Release{tc.r}, Rules{})
			assertFlagged(t, got, tc.flag, SingleBid, "ocds-1", "single bid")
		})
	}
}

func TestFindShortTenderPeriods(t *testing.T) {
	cases := []struct {
		name    string
		tender  *ocds.Tender
		minDays int
		flag    bool
	}{
		{"10 days under the default 15", tender("open", 0, 10), 0, true},
		{"15 days is the rule itself", tender("open", 0, 15), 0, false},
		{"30 days under a 35-day rule", tender("open", 0, 30), 35, true},
		{"short but limited procedure", tender("limited", 0, 3), 0, false},
		{"no end date", &ocds.Tender{ID: "t", ProcurementMethod: "open", TenderPeriod: &ocds.Period{StartDate: t0}}, 0, false},
		{"no tender", nil, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := FindShortTenderPeriods([]ocds.Release{{OCID: "ocds-1", Tender: tc.tender}}, Rules{MinTenderDays: tc.minDays})
			assertFlagged(t, got, tc.flag, ShortTenderPeriod, "ocds-1", "shorter than the")
		})
	}
}

func award(buyer, supplier, status string, ocid string) ocds.Release {
	return ocds.Release{OCID: ocid, Buyer: &ocds.OrganizationReference{ID: buyer}, Awards: []ocds.Award{{ID: "a",
		Status: status, Suppliers: []ocds.OrganizationReference{{ID: supplier}}}}}
}

func TestFindRepeatedAwards(t *testing.T) {
	cases := []struct {
		name      string
		releases  []ocds.Release
		threshold int
		want      []string // flagged ocids, one flag
	}{
		{"three awards, default threshold", []ocds.Release{award("B", "S", "active", "o1"), award("B", "S", "active", "o3"),
			award("B", "S", "active", "o2")}, 0, []string{"o1", "o2", "o3"}},
		{"two awards under the default", []ocds.Release{award("B", "S", "active", "o1"), award("B", "S", "active", "o2")}, 0, nil},
		{"two awards at threshold 2", []ocds.Release{award("B", "S", "active", "o1"), award("B", "S", "active", "o2")}, 2, []string{"o1", "o2"}},
		{"cancelled awards do not count", []ocds.Release{award("B", "S", "active", "o1"), award("B", "S", "cancelled", "o2"),
			award("B", "S", "active", "o3")}, 3, nil},
		{"other buyers do not count", []ocds.Release{award("B", "S", "active", "o1"), award("C", "S", "active", "o2"),
			award("D", "S", "active", "o3")}, 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := FindRepeatedAwards(tc.releases, Rules{RepeatedAwards: tc.threshold})
			if tc.want == nil {
				if len(got) != 0 {
					t.Fatalf("want no flag, got %+v", got)
				}
				return
			}
			if len(got) != 1 || strings.Join(got[0].OCIDs, ",") != strings.Join(tc.want, ",") ||
				!strings.Contains(got[0].Reason, "buyer B made") || !strings.Contains(got[0].Reason, "supplier S") {
				t.Fatalf("want one flag naming %v, got %+v", tc.want, got)
			}
		})
	}
}

func TestFindAwardsAboveEstimate(t *testing.T) {
	withAward := func(amounts ...float64) ocds.Release {
		r := ocds.Release{OCID: "ocds-1", Tender: tender("open", 0, 30)}
		for _, a := range amounts {
			r.Awards = append(r.Awards, ocds.Award{ID: "a", Status: ocds.AwardActive, Value: &ocds.Value{Amount: a, Currency: "GBP"}})
		}
		return r
	}
	other := withAward()
	other.Awards = []ocds.Award{{ID: "a", Status: ocds.AwardActive, Value: &ocds.Value{Amount: 500, Currency: "EUR"}}}
	cases := []struct {
		name  string
		r     ocds.Release
		ratio float64
		flag  bool
	}{
		{"150 on 100 over the default 1.2", withAward(150), 0, true},
		{"120 on 100 is at the limit", withAward(120), 0, false},
		{"two awards add up", withAward(70, 70), 0, true},
		{"130 under a 1.5 ratio", withAward(130), 1.5, false},
		{"another currency is not compared", other, 0, false},
		{"no estimate", ocds.Release{OCID: "ocds-1", Tender: &ocds.Tender{ID: "t"}, Awards: withAward(900).Awards}, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := FindAwardsAboveEstimate([]ocds.Release{tc.r}, Rules{MaxAwardToEstimate: tc.ratio})
			assertFlagged(t, got, tc.flag, AwardAboveEstimate, "ocds-1", "times the estimate")
		})
	}
}

func TestFindChangesAfterPublication(t *testing.T) {
	published := ocds.Release{OCID: "ocds-1", Date: t0, Tag: []string{ocds.TagTender}, Tender: tender("open", 0, 30)}
	update := func(tag string, days int, change func(*ocds.Tender)) ocds.Release {
		t := *published.Tender
		change(&t)
		return ocds.Release{OCID: "ocds-1", Date: t0.AddDate(0, 0, days), Tag: []string{tag}, Tender: &t}
	}
	cases := []struct {
		name     string
		releases []ocds.Release
		want     string // "" for no flag
	}{
		{"value raised", []ocds.Release{published, update(ocds.TagTenderUpdate, 3, func(t *ocds.Tender) {
			t.Value = &ocds.Value{Amount: 150, Currency: "GBP"}
		})}, "value 100.00 GBP → 150.00 GBP on 2026-03-05"},
		{"deadline moved, by an amendment", []ocds.Release{update(ocds.TagTenderAmendment, 3, func(t *ocds.Tender) {
			t.TenderPeriod = &ocds.Period{StartDate: t0, EndDate: t0.AddDate(0, 0, 10)}
		}), published}, "tenderPeriod.endDate 2026-04-01 → 2026-03-12"},
		{"items changed", []ocds.Release{published, update(ocds.TagTenderUpdate, 1, func(t *ocds.Tender) {
			t.Items = []ocds.Item{{ID: "1", Description: "Printer"}}
		})}, "items changed on 2026-03-03"},
		{"only the status moved", []ocds.Release{published, update(ocds.TagTenderUpdate, 40, func(t *ocds.Tender) {
			t.Status, t.NumberOfTenderers = ocds.TenderComplete, intp(3)
		})}, ""},
		{"an update without a tender section", []ocds.Release{published, {OCID: "ocds-1", Date: t0.AddDate(0, 0, 5),
			Tag: []string{ocds.TagTenderUpdate}, Bids: &ocds.Bids{}}}, ""},
		{"award releases are not tender changes", []ocds.Release{published, update(ocds.TagAward, 50, func(t *ocds.Tender) {
			t.Value = &ocds.Value{Amount: 1, Currency: "GBP"}
		})}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := FindChangesAfterPublication([]Record{{Compiled: ocds.Release{OCID: "ocds-1"}, Releases: tc.releases}})
			assertFlagged(t, got, tc.want != "", ChangedAfterPublication, "ocds-1", tc.want)
		})
	}
}

func assertFlagged(t *testing.T, got []Flag, want bool, ind Indicator, ocid, reason string) {
	t.Helper()
	if !want {
		if len(got) != 0 {
			t.Fatalf("want no flag, got %+v", got)
		}
		return
	}
	if len(got) != 1 || got[0].Indicator != ind || len(got[0].OCIDs) != 1 || got[0].OCIDs[0] != ocid ||
		!strings.Contains(got[0].Reason, reason) {
		t.Fatalf("want one %s flag on %s saying %q, got %+v", ind, ocid, reason, got)
	}
}
