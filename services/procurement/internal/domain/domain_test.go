package domain

import (
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func goodTender() Tender {
	return Tender{ID: "T1", Status: StatusDraft, Title: "Switches", Description: "Network", EstimatedValue: "10000.00", Currency: "EUR",
		Items:       []Item{{ID: "i1", Description: "Switch", CPV: "32420000-3", Quantity: 4}},
		Criteria:    []Criterion{{ID: "price", Name: "Price", Kind: KindPrice, Weight: 60}, {ID: "quality", Name: "Quality", Kind: KindQuality, Weight: 40}},
		EnquiryDays: 5, TenderDays: 20}
}

func TestPublishNamesEveryBadField(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Tender)
		fields []string
	}{
		{"complete", func(*Tender) {}, nil},
		{"weights", func(t *Tender) { t.Criteria[1].Weight = 30 }, []string{"tender.awardCriteria"}},
		{"no price criterion", func(t *Tender) { t.Criteria = []Criterion{{ID: "q", Name: "Q", Kind: KindQuality, Weight: 100}} }, []string{"tender.awardCriteria"}},
		{"cpv", func(t *Tender) { t.Items[0].CPV = "3242" }, []string{"tender.items[0].cpvCode"}},
		{"quantity", func(t *Tender) { t.Items[0].Quantity = 0 }, []string{"tender.items[0].quantity"}},
		{"value", func(t *Tender) { t.EstimatedValue = "10,000" }, []string{"tender.estimatedValue"}},
		{"currency", func(t *Tender) { t.Currency = "XXX" }, []string{"tender.currency"}},
		{"periods", func(t *Tender) { t.TenderDays = 5 }, []string{"tender.tenderPeriodDays"}},
		{"unknown lot", func(t *Tender) { t.Items[0].LotID = "lot-9" }, []string{"tender.items[0].lotId"}},
		{"empty", func(t *Tender) { *t = Tender{Status: StatusDraft} }, []string{"tender.title", "tender.description", "tender.items",
			"tender.awardCriteria", "tender.enquiryPeriodDays"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tender := goodTender()
			c.change(&tender)
			err := tender.Publish(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), Calendar{})
			if len(c.fields) == 0 {
				if err != nil || tender.Status != StatusActive {
					t.Fatalf("publish: %v (%s)", err, tender.Status)
				}
				return
			}
			e, ok := apierr.As(err)
			if !ok || e.Kind != apierr.KindInvalidArgument {
				t.Fatalf("want a 400, got %v", err)
			}
			for _, f := range c.fields {
				found := false
				for _, v := range e.Violations {
					found = found || v.Field == f
				}
				if !found {
					t.Errorf("no violation for %s in %+v", f, e.Violations)
				}
			}
		})
	}
}

func TestWorkingDaysSkipWeekends(t *testing.T) {
	friday := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		days int
		want time.Time
	}{
		{1, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)},  // Monday
		{5, time.Date(2026, 12, 11, 10, 0, 0, 0, time.UTC)}, // next Friday
		{6, time.Date(2026, 12, 14, 10, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		if got := (Calendar{}).AddWorkingDays(friday, c.days); !got.Equal(c.want) {
			t.Errorf("%d working days after Friday: %s, want %s", c.days, got, c.want)
		}
	}
	if got := (Calendar{Day: time.Second}).AddWorkingDays(friday, 3); !got.Equal(friday.Add(3 * time.Second)) {
		t.Errorf("a short working day: %s", got)
	}
}

// A demo tender's own working day sets its periods; every other tender keeps the service's calendar.
func TestADemoTenderPublishesOnItsOwnDay(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC) // a Friday
	demo, real := goodTender(), goodTender()
	demo.DemoDay = 3 * time.Second
	for _, tender := range []*Tender{&demo, &real} {
		if err := tender.Publish(now, Calendar{}); err != nil {
			t.Fatal(err)
		}
	}
	if want := now.Add(time.Duration(demo.TenderDays) * 3 * time.Second); !demo.TenderEnd.Equal(want) {
		t.Errorf("the demo tender's period ends %s, want %s", demo.TenderEnd, want)
	}
	if want := (Calendar{}).AddWorkingDays(now, real.TenderDays); !real.TenderEnd.Equal(want) {
		t.Errorf("a tender without a demo day ends %s, want %s", real.TenderEnd, want)
	}
	if got := (Calendar{Day: time.Minute}).For(demo); got.Day != 3*time.Second {
		t.Errorf("the demo tender's calendar: %v", got)
	}
}

func TestBidsOnlyInTheTenderPeriod(t *testing.T) {
	tender := goodTender()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	if err := tender.TakesBids(now); apierr.KindOf(err) != apierr.KindFailedPrecondition {
		t.Fatalf("a draft takes bids: %v", err)
	}
	if err := tender.Publish(now, Calendar{}); err != nil {
		t.Fatal(err)
	}
	if err := tender.TakesBids(tender.TenderEnd.Add(-time.Second)); err != nil {
		t.Fatalf("before the deadline: %v", err)
	}
	err := tender.TakesBids(tender.TenderEnd)
	if e, ok := apierr.As(err); !ok || e.Reason != ReasonPeriodEnded {
		t.Fatalf("at the deadline: %v", err)
	}
	if err := tender.Open(tender.TenderEnd.Add(-time.Second)); err == nil {
		t.Fatal("opened before the deadline")
	}
	if err := tender.Open(tender.TenderEnd); err != nil || tender.Status != StatusEvaluation {
		t.Fatalf("open: %v", err)
	}
}

func TestRankCombinesByWeightsAndBreaksTiesOnPrice(t *testing.T) {
	tender := goodTender()
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	bids := []Bid{
		{ID: "a", Status: BidEligible, Contents: BidContents{Price: "9000.00"}, SubmittedAt: at},
		{ID: "b", Status: BidEligible, Contents: BidContents{Price: "8000.00"}, SubmittedAt: at.Add(time.Minute)},
		{ID: "c", Status: BidDisqualified, Contents: BidContents{Price: "1.00"}},
		{ID: "d", Status: BidEligible, Contents: BidContents{Price: "7000.00"}, SubmittedAt: at},
	}
	scores := []Score{
		// a: price 90 and 70 from two evaluators (mean 80), quality 50 → 80×0.6 + 50×0.4 = 68
		{BidID: "a", CriterionID: "price", Score: 90}, {BidID: "a", CriterionID: "price", Score: 70, EvaluatorID: "e2"},
		{BidID: "a", CriterionID: "quality", Score: 50},
		// b: 60×0.6 + 80×0.4 = 68, cheaper than a: ranked before it
		{BidID: "b", CriterionID: "price", Score: 60}, {BidID: "b", CriterionID: "quality", Score: 80},
		// d: 100×0.6 + 90×0.4 = 96
		{BidID: "d", CriterionID: "price", Score: 100}, {BidID: "d", CriterionID: "quality", Score: 90},
	}
	ranked, err := Rank(tender, bids, scores)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range ranked {
		got = append(got, b.ID+"="+FormatCents(b.TotalScore))
	}
	if strings.Join(got, " ") != "d=96.00 b=68.00 a=68.00" {
		t.Fatalf("ranking: %v", got)
	}
	if _, err := Rank(tender, bids, scores[:6]); err == nil || !strings.Contains(err.Error(), "bid d") {
		t.Fatalf("a bid without every score: %v", err)
	}
}

func TestScoresNeedADeclarationWithoutConflictAndAReason(t *testing.T) {
	if err := MayScore(Declaration{}, false); apierr.KindOf(err) != apierr.KindFailedPrecondition {
		t.Fatalf("no declaration: %v", err)
	}
	if err := MayScore(Declaration{Conflict: true}, true); apierr.KindOf(err) != apierr.KindPermissionDenied {
		t.Fatalf("conflict: %v", err)
	}
	tender := goodTender()
	err := CheckScores(tender, []Score{{CriterionID: "price", Score: 101, Reason: "ok"}, {CriterionID: "nope", Score: 1}})
	e, _ := apierr.As(err)
	if e == nil || len(e.Violations) < 4 {
		t.Fatalf("bad scores: %+v", err)
	}
}

func TestContractMilestonesSumToTheAward(t *testing.T) {
	a := Award{Value: "9500.00"}
	c := Contract{PeriodStart: time.Now(), PeriodEnd: time.Now().Add(time.Hour),
		Milestones: []Milestone{{Title: "Delivery", Amount: "7000"}, {Title: "Install", Amount: "2500.00"}}}
	if err := CheckContract(a, c); err != nil {
		t.Fatal(err)
	}
	c.Milestones[1].Amount = "2499.99"
	if err := CheckContract(a, c); err == nil || !strings.Contains(err.Error(), "cannot be signed") {
		t.Fatalf("sum off by a cent: %v", err)
	}
}

func TestStandstillWaitsForEveryComplaint(t *testing.T) {
	a := Award{Status: AwardStandstill, StandstillEnd: time.Now().Add(time.Hour), Complaints: []Complaint{{Status: ComplaintOpen}}}
	if a.EndStandstill() {
		t.Fatal("ended before its deadline")
	}
	a.StandstillOver = true
	if a.EndStandstill() {
		t.Fatal("ended with a complaint open")
	}
	a.Complaints[0].Status = ComplaintResolved
	if !a.EndStandstill() || a.Status != AwardActive {
		t.Fatal("did not end once the complaint was resolved")
	}
}

func FuzzCents(f *testing.F) {
	for _, s := range []string{"0", "1.5", "10000.00", "1e5", "-1", ".5", "99999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := Cents(s)
		if !ok {
			return
		}
		back, ok2 := Cents(FormatCents(c))
		if !ok2 || back != c || c < 0 {
			t.Fatalf("%q → %d → %q", s, c, FormatCents(c))
		}
	})
}
