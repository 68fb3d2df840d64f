package procurement

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/events"
	"github.com/govstackbb/marketplace/services/procurement/internal/seal"
	"github.com/govstackbb/marketplace/services/procurement/internal/store"
)

// BenchmarkPublicationToAward carries one tender per iteration from publication to award with 20 bids on the
// real Postgres (the other BBs faked, the jobs called directly): publish, 20 sealed bids, opening at the
// deadline, eligibility, 20 scorings, ranking, award. The ms/op of each phase say where the time goes.
func BenchmarkPublicationToAward(b *testing.B) {
	const bidders = 20
	ctx := context.Background()
	pool := pgtest.NewPool(b, Migrations()...)
	keys, err := seal.LoadFile(filepath.Join(b.TempDir(), "seal.key"), true)
	if err != nil {
		b.Fatal(err)
	}
	companies := map[string]string{}
	for i := range bidders {
		companies[fmt.Sprintf("C%03d", i)] = "active"
	}
	bbs := &fakeBBs{companies: companies, deadlines: map[string]time.Time{}, starts: map[string]int{}}
	clk := &clock{now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	st := store.New(pool, events.Encode)
	uc := app.New(app.Deps{Store: st, Keys: keys, Registries: bbs, Scheduling: bbs, Workflow: bbs, Payments: bbs,
		Calendar: domain.Calendar{Day: time.Hour}, Now: clk.Now})
	phases := map[string]time.Duration{}
	lap := func(name string, start time.Time) { phases[name] += time.Since(start) }
	score := []domain.Score{{CriterionID: "price", Score: 70, Reason: "fair"}}

	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		tender, err := uc.CreateTender(ctx, buyer, draft())
		if err == nil {
			tender, err = uc.PublishTender(ctx, buyer, tender.ID)
		}
		if err != nil {
			b.Fatal(err)
		}
		lap("publish", t0)
		t0 = time.Now()
		var bids []string
		for i := range bidders {
			s := app.Actor{ID: fmt.Sprintf("s%d", i), Email: "s@x.example", CompanyID: fmt.Sprintf("C%03d", i), Roles: []string{app.RoleSupplier}}
			bid, err := uc.SubmitBid(ctx, s, tender.ID, domain.BidContents{Price: fmt.Sprintf("%d.00", 9000+i), Proposal: "switches"})
			if err != nil {
				b.Fatal(err)
			}
			bids = append(bids, bid.ID)
		}
		lap("bids", t0)
		clk.Set(tender.TenderEnd)
		t0 = time.Now()
		if err := uc.DeadlineReached(ctx, st.InTx, "procurement/tender/"+tender.ID+"/tender-period"); err != nil {
			b.Fatal(err)
		}
		lap("open", t0)
		t0 = time.Now()
		job := func(typ string) {
			if _, err := uc.DoJob(ctx, app.Job{Type: typ, Variables: map[string]any{"tenderId": tender.ID}}); err != nil {
				b.Fatal(err)
			}
		}
		job(app.JobEligibility)
		lap("eligibility", t0)
		t0 = time.Now()
		if err := uc.DeclareInterest(ctx, buyer, tender.ID, false, "none"); err != nil {
			b.Fatal(err)
		}
		for _, id := range bids {
			if _, err := uc.ScoreBid(ctx, buyer, tender.ID, id, append([]domain.Score(nil), score...)); err != nil {
				b.Fatal(err)
			}
		}
		lap("scores", t0)
		t0 = time.Now()
		job(app.JobRank)
		job(app.JobAward)
		lap("rank+award", t0)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "tenders/s")
	for name, d := range phases {
		b.ReportMetric(float64(d.Milliseconds())/n, name+"-ms/op")
	}
}
