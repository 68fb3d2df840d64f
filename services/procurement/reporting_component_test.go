package procurement

import (
	"slices"
	"testing"
	"time"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/redflags"
)

// TestReporting: three tenders — one paid and closed, one cancelled after a single bid, one whose tender
// period ended without the bids being opened — give the reports: tenders by stage, bids per tender, time
// in each stage, the overdue opening, the buyer's awards and payments, and red flags naming the processes
// (the test's two-hour tender periods are far under the rule's 15 days).
func TestReporting(t *testing.T) {
	w := newWorld(t)
	paid := w.publishWithBids(map[string]string{"C1": "9100.00", "C2": "8800.50", "C3": "8000.00"})
	award, _ := w.runToPaid(paid)

	cancelled := w.publishWithBids(map[string]string{"C1": "9000.00"})
	_, err := w.uc.CancelTender(w.ctx, buyer, cancelled.ID, "the budget was withdrawn")
	w.must(err)
	stalled := w.publishWithBids(map[string]string{"C2": "9000.00"})
	w.clk.Set(stalled.TenderEnd.Add(48 * time.Hour))

	stages, err := w.reports.GetTendersByStage(w.ctx, &procv1.GetTendersByStageRequest{})
	w.must(err)
	byStage := map[string]int32{}
	for _, s := range stages.GetStages() {
		byStage[s.GetStage()] = s.GetTenders()
	}
	if byStage["complete"] != 1 || byStage["cancelled"] != 1 || byStage["active"] != 1 || len(byStage) != 3 {
		t.Errorf("tenders by stage: %v", byStage)
	}

	bids, err := w.reports.ListBidsPerTender(w.ctx, &procv1.ListBidsPerTenderRequest{})
	w.must(err)
	perTender := map[string]*procv1.TenderBids{}
	for _, b := range bids.GetTenders() {
		perTender[b.GetTenderId()] = b
	}
	if b := perTender[paid.ID]; b.GetBids() != 3 || b.GetDisqualified() != 1 || perTender[cancelled.ID].GetBids() != 1 {
		t.Errorf("bids per tender: %v", bids.GetTenders())
	}
	if _, err := w.reports.ListBidsPerTender(w.ctx, &procv1.ListBidsPerTenderRequest{Limit: 5000}); err == nil {
		t.Error("limit 5000 was taken")
	}

	durations, err := w.reports.GetStageDurations(w.ctx, &procv1.GetStageDurationsRequest{})
	w.must(err)
	var names []string
	for _, d := range durations.GetStages() {
		names = append(names, d.GetStage())
		if d.GetTenders() != 1 || d.GetAverageDays() <= 0 || d.GetMaxDays() < d.GetAverageDays() {
			t.Errorf("stage %s: %v", d.GetStage(), d)
		}
	}
	if !slices.Equal(names, []string{"tendering", "evaluation", "standstill", "delivery"}) {
		t.Errorf("stages timed: %v", names)
	}

	overdue, err := w.reports.ListOverdueSteps(w.ctx, &procv1.ListOverdueStepsRequest{})
	w.must(err)
	if s := overdue.GetSteps(); len(s) != 1 || s[0].GetTenderId() != stalled.ID || s[0].GetStep() != "bids-opening" || s[0].GetOverdueDays() < 2 {
		t.Errorf("overdue steps: %v", s)
	}

	totals, err := w.reports.ListBuyerTotals(w.ctx, &procv1.ListBuyerTotalsRequest{})
	w.must(err)
	if b := totals.GetBuyers(); len(b) != 1 || b[0].GetBuyer() != buyer.Org || b[0].GetTenders() != 3 || b[0].GetAwards() != 1 ||
		b[0].GetAwardedValue() != award.Value || b[0].GetPayments() != 2 || b[0].GetPaidValue() != award.Value {
		t.Errorf("buyer totals: %v (award %s)", b, award.Value)
	}

	flags, err := w.reports.ListRedFlags(w.ctx, &procv1.ListRedFlagsRequest{})
	w.must(err)
	if flags.GetProcesses() != 3 || flags.GetRules().GetMinTenderDays() != int32(redflags.DefaultRules.MinTenderDays) {
		t.Errorf("red flags over %d processes, rules %v", flags.GetProcesses(), flags.GetRules())
	}
	flagged := map[string][]string{}
	for _, f := range flags.GetFlags() {
		if f.GetReason() == "" || f.GetTitle() == "" || len(f.GetOcids()) == 0 {
			t.Errorf("a flag without its reason, title or processes: %v", f)
		}
		flagged[f.GetIndicator()] = append(flagged[f.GetIndicator()], f.GetOcids()...)
	}
	if !slices.Contains(flagged["shortTenderPeriod"], paid.OCID) {
		t.Errorf("the paid tender's two-hour tender period is not flagged: %v", flagged)
	}
	t.Logf("flags: %v", flagged)

	// The records stay compiled between requests; a release appended since — the stalled tender's single bid
	// opened, a new tender published — is in the next answer.
	if slices.Contains(flagged["singleBid"], stalled.OCID) {
		t.Fatalf("the stalled tender's sealed bid is counted: %v", flagged)
	}
	w.must(w.uc.DeadlineReached(w.ctx, w.st.InTx, "procurement/tender/"+stalled.ID+"/tender-period"))
	fresh := w.publishWithBids(map[string]string{"C1": "9000.00", "C2": "9100.00"})
	flags, err = w.reports.ListRedFlags(w.ctx, &procv1.ListRedFlagsRequest{})
	w.must(err)
	flagged = map[string][]string{}
	for _, f := range flags.GetFlags() {
		flagged[f.GetIndicator()] = append(flagged[f.GetIndicator()], f.GetOcids()...)
	}
	if flags.GetProcesses() != 4 || !slices.Contains(flagged["singleBid"], stalled.OCID) || !slices.Contains(flagged["shortTenderPeriod"], fresh.OCID) {
		t.Errorf("after new releases, red flags over %d processes: %v", flags.GetProcesses(), flagged)
	}
}
