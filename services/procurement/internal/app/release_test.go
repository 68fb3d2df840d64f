package app

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

// lifecycle walks one tender's state through the scenarios' stages and returns the release of each.
type lifecycle struct {
	t        *testing.T
	st       processState
	at       time.Time
	releases []ocds.Release
}

func newLifecycle(t *testing.T) *lifecycle {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	tender := domain.Tender{ID: "t1", OCID: "ocds-gvstck-t1", Title: "Switches", Description: "Network", Status: domain.StatusActive,
		BuyerOrg: "Ministry of Justice", EstimatedValue: "10000.00", Currency: "EUR",
		Items:       []domain.Item{{ID: "1", Description: "Switch", CPV: "32420000-3", Quantity: 4, Unit: "piece"}},
		Criteria:    []domain.Criterion{{ID: "price", Name: "Price", Kind: domain.KindPrice, Weight: 60}, {ID: "q", Name: "Quality", Kind: domain.KindQuality, Weight: 40}},
		Documents:   []domain.Document{{ID: "spec", Title: "Specification", URL: "https://example.org/spec.pdf"}},
		PublishedAt: at, EnquiryEnd: at.Add(24 * time.Hour), TenderEnd: at.Add(72 * time.Hour)}
	return &lifecycle{t: t, st: processState{tender: tender}, at: at}
}

// step applies change an hour later and publishes the release of event kind, which must pass ocds.Check.
func (l *lifecycle) step(kind, tag string, change func(st *processState, now time.Time)) ocds.Release {
	l.t.Helper()
	l.at = l.at.Add(time.Hour)
	change(&l.st, l.at)
	e := domain.Event{Type: kind, Tender: l.st.tender, At: l.at}
	r := buildRelease(l.st, e, tagsFor(l.st, e, []string{tag}), l.st.tender.OCID+"-"+newID())
	if err := ocds.Check(r); err != nil {
		l.t.Fatalf("%s: %v", kind, err)
	}
	l.releases = append(l.releases, r)
	return r
}

func (l *lifecycle) publishAndBid() {
	l.step(domain.EvTenderPublished, ocds.TagTender, func(*processState, time.Time) {})
	for i, c := range []string{"C1", "C2", "C3"} {
		sealed := []byte("sealed")
		l.st.bids = append(l.st.bids, domain.Bid{ID: "b" + c, CompanyID: c, Status: domain.BidSubmitted, Sealed: sealed,
			SubmittedAt: l.at.Add(time.Duration(i) * time.Minute), Contents: domain.BidContents{}})
	}
	r := l.step(domain.EvQuestionAnswered, ocds.TagTenderUpdate, func(st *processState, _ time.Time) { st.hasQuestions = true })
	raw, _ := json.Marshal(r)
	if r.Bids == nil || len(r.Bids.Details) != 0 || len(r.Parties) != 1 || strings.Contains(string(raw), "C2") {
		l.t.Fatalf("before the opening a release shows bids: %s", raw)
	}
}

func (l *lifecycle) open(prices ...string) {
	l.step(domain.EvTenderBidsOpened, ocds.TagTenderUpdate, func(st *processState, now time.Time) {
		st.tender.Status, st.tender.BidsOpenedAt = domain.StatusEvaluation, now
		for i := range st.bids {
			st.bids[i].Opened, st.bids[i].Sealed, st.bids[i].Contents.Price = true, nil, prices[i]
		}
	})
}

// TestReleasesOfEveryScenarioPassCheck: paid, cancelled after bids and unsuccessful — every release the
// mapping makes validates against OCDS 1.1.5 + bids and the open codelists, so the use cases' check never
// fails on them; bids show only their counts before the opening.
func TestReleasesOfEveryScenarioPassCheck(t *testing.T) {
	t.Run("paid", func(t *testing.T) {
		l := newLifecycle(t)
		l.publishAndBid()
		l.open("9500.00", "9000.50", "9900.00")
		l.step(domain.EvAwardDecided, ocds.TagAward, func(st *processState, now time.Time) {
			st.bids[0].Status, st.bids[1].Status, st.bids[2].Status = domain.BidNotAwarded, domain.BidAwarded, domain.BidDisqualified
			st.tender.Status = domain.StatusAwarded
			st.awards = []domain.Award{{ID: "a1", CompanyID: "C2", Value: "9000.50", Currency: "EUR", Status: domain.AwardStandstill, DecidedAt: now}}
		})
		l.step(domain.EvAwardStandstillEnded, ocds.TagAwardUpdate, func(st *processState, _ time.Time) { st.awards[0].Status = domain.AwardActive })
		l.step(domain.EvContractSigned, ocds.TagContract, func(st *processState, now time.Time) {
			st.tender.Status, st.awards[0].Status = domain.StatusContracted, domain.AwardContracted
			st.contracts = []domain.Contract{{ID: "k1", AwardID: "a1", CompanyID: "C2", Value: "9000.50", Currency: "EUR", Status: domain.ContractActive,
				PeriodStart: now, PeriodEnd: now.AddDate(0, 6, 0), SignedAt: now, Milestones: []domain.Milestone{
					{ID: "k1-m1", Title: "Half", Amount: "4500.25", Status: domain.MilestoneScheduled, DueDate: now.AddDate(0, 1, 0)},
					{ID: "k1-m2", Title: "Rest", Amount: "4500.25", Status: domain.MilestoneScheduled, DueDate: now.AddDate(0, 2, 0)}}}}
		})
		ms := l.st.contracts
		for i := range 2 {
			first := l.step(domain.EvMilestoneDelivered, ocds.TagImplementation, func(_ *processState, now time.Time) {
				ms[0].Milestones[i].Status, ms[0].Milestones[i].DeliveredAt = domain.MilestoneDelivered, now
			})
			if want := []string{ocds.TagImplementation, ocds.TagImplementationUpdate}[min(i, 1)]; first.Tag[0] != want {
				t.Errorf("delivery %d tagged %v, want %s", i+1, first.Tag, want)
			}
			paid := l.step(domain.EvMilestonePaid, ocds.TagImplementationUpdate, func(_ *processState, now time.Time) {
				ms[0].Milestones[i].Status, ms[0].Milestones[i].PaidAt = domain.MilestonePaid, now
				if i == 1 {
					ms[0].Status = domain.ContractTerminated
				}
			})
			if got := len(paid.Contracts[0].Implementation.Transactions); got != i+1 {
				t.Errorf("after payment %d: %d transactions", i+1, got)
			}
		}
		l.step(domain.EvTenderCompleted, ocds.TagImplementationUpdate, func(st *processState, _ time.Time) { st.tender.Status = domain.StatusComplete })
		rec, err := ocds.NewRecord(l.releases, "https://example.org/ocds/releasePackages/"+l.st.tender.OCID, false)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := ocds.FromMap(rec.CompiledRelease)
		if c.Tender.Status != ocds.TenderComplete || c.Awards[0].Suppliers[0].ID != "C2" || c.Awards[0].Value.Amount != 9000.5 ||
			c.Contracts[0].Status != ocds.ContractTerminated || len(c.Contracts[0].Implementation.Transactions) != 2 || len(c.Bids.Details) != 3 {
			t.Fatalf("compiled release: %+v", rec.CompiledRelease)
		}
	})
	t.Run("cancelled after bids", func(t *testing.T) {
		l := newLifecycle(t)
		l.publishAndBid()
		r := l.step(domain.EvTenderCancelled, ocds.TagTenderCancellation, func(st *processState, _ time.Time) { st.tender.Status = domain.StatusCancelled })
		if r.Tender.Status != ocds.TenderCancelled || len(r.Bids.Details) != 0 {
			t.Fatalf("cancellation: %+v", r)
		}
	})
	t.Run("unsuccessful", func(t *testing.T) {
		l := newLifecycle(t)
		l.publishAndBid()
		l.open("9500.00", "9000.00", "9900.00")
		r := l.step(domain.EvTenderUnsuccessful, ocds.TagTenderUpdate, func(st *processState, _ time.Time) {
			st.tender.Status = domain.StatusUnsuccessful
			for i := range st.bids {
				st.bids[i].Status = domain.BidDisqualified
			}
		})
		if r.Tender.Status != ocds.TenderUnsuccessful || len(r.Bids.Details) != 3 {
			t.Fatalf("unsuccessful: %+v", r)
		}
	})
}

// TestAnInvalidReleaseIsRefused: what the mapping cannot publish validly fails the check (the use case
// then fails in its transaction, appending nothing).
func TestAnInvalidReleaseIsRefused(t *testing.T) {
	l := newLifecycle(t)
	l.st.tender.Currency = "XXQ" // not in the currency codelist
	r := buildRelease(l.st, domain.Event{Type: domain.EvTenderPublished, Tender: l.st.tender, At: l.at}, []string{ocds.TagTender}, "x")
	if err := ocds.Check(r); err == nil {
		t.Fatal("a release with an unknown currency passed the check")
	}
}
