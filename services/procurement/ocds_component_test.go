package procurement

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/api"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/events"
	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
	"github.com/govstackbb/marketplace/services/procurement/internal/seal"
	"github.com/govstackbb/marketplace/services/procurement/internal/store"
)

// world is the service's use cases on the real Postgres with the other BBs faked, a clock the test moves,
// and the OCDS and reporting handlers as the gateway calls them.
type world struct {
	t       testing.TB
	ctx     context.Context
	uc      *app.Service
	st      *store.Store
	bbs     *fakeBBs
	clk     *clock
	ocds    *api.OCDS
	reports *api.Reporting
}

func newWorld(t testing.TB) *world {
	pool := pgtest.NewPool(t, Migrations()...)
	keys, err := seal.LoadFile(filepath.Join(t.TempDir(), "seal.key"), true)
	if err != nil {
		t.Fatal(err)
	}
	bbs := &fakeBBs{companies: map[string]string{"C1": "active", "C2": "active", "C3": "active"}, deadlines: map[string]time.Time{}, starts: map[string]int{}}
	clk := &clock{now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	st := store.New(pool, events.Encode)
	uc := app.New(app.Deps{Store: st, Keys: keys, Registries: bbs, Scheduling: bbs, Workflow: bbs, Payments: bbs,
		Calendar: domain.Calendar{Day: time.Hour}, Now: clk.Now, Releases: st, Reports: st,
		Publisher: app.Publisher{BaseURL: "https://marketplace.example.org", Name: "Test", License: "https://creativecommons.org/licenses/by/4.0/"}})
	return &world{t: t, ctx: t.Context(), uc: uc, st: st, bbs: bbs, clk: clk, ocds: api.NewOCDS(uc), reports: api.NewReporting(uc)}
}

func (w *world) tick(d time.Duration) { w.clk.Set(w.clk.Now().Add(d)) }

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func supplierOf(company string) app.Actor {
	return app.Actor{ID: "u-" + company, Email: strings.ToLower(company) + "@example.org", CompanyID: company, Roles: []string{app.RoleSupplier}}
}

// publishWithBids publishes a draft and has each company bid its price; it returns the tender.
func (w *world) publishWithBids(prices map[string]string) domain.Tender {
	w.t.Helper()
	tender, err := w.uc.CreateTender(w.ctx, buyer, draft())
	w.must(err)
	tender, err = w.uc.PublishTender(w.ctx, buyer, tender.ID)
	w.must(err)
	w.tick(time.Minute)
	q, err := w.uc.AskQuestion(w.ctx, supplierOf("C1"), tender.ID, "Is PoE+ required?")
	w.must(err)
	_, err = w.uc.AnswerQuestion(w.ctx, buyer, tender.ID, q.ID, "Yes, on every port.")
	w.must(err)
	for _, c := range []string{"C1", "C2", "C3"} {
		if p, ok := prices[c]; ok {
			w.tick(time.Minute)
			_, err := w.uc.SubmitBid(w.ctx, supplierOf(c), tender.ID, domain.BidContents{Price: p, Proposal: "switches from " + c})
			w.must(err)
		}
	}
	return tender
}

// releasePackage fetches a package through the handler and checks it validates against OCDS 1.1.5 + bids.
func (w *world) releasePackage(ocid string) (ocds.ReleasePackage, string) {
	w.t.Helper()
	body, err := w.ocds.GetReleasePackage(w.ctx, &procv1.GetReleasePackageRequest{Ocid: ocid})
	w.must(err)
	w.must(ocds.Validate(body.Data))
	var pkg ocds.ReleasePackage
	w.must(json.Unmarshal(body.Data, &pkg))
	return pkg, string(body.Data)
}

// runToPaid carries tender from its bids to paid and closed: C3's company is dissolved before the opening
// (disqualified at eligibility), the cheapest eligible bid wins, two milestones are delivered and paid.
func (w *world) runToPaid(tender domain.Tender) (domain.Award, domain.Contract) {
	w.t.Helper()
	w.bbs.mu.Lock()
	w.bbs.companies["C3"] = "dissolved"
	w.bbs.mu.Unlock()
	w.clk.Set(tender.TenderEnd)
	w.must(w.uc.DeadlineReached(w.ctx, w.st.InTx, "procurement/tender/"+tender.ID+"/tender-period"))
	job := func(typ string) {
		_, err := w.uc.DoJob(w.ctx, app.Job{Type: typ, Variables: map[string]any{"tenderId": tender.ID}})
		w.must(err)
	}
	w.tick(time.Hour)
	job(app.JobEligibility)
	w.must(w.uc.DeclareInterest(w.ctx, buyer, tender.ID, false, "none"))
	bids, err := w.uc.ListBids(w.ctx, buyer, tender.ID)
	w.must(err)
	for _, b := range bids {
		if b.Status == domain.BidEligible {
			_, err := w.uc.ScoreBid(w.ctx, buyer, tender.ID, b.ID, []domain.Score{{CriterionID: "price", Score: 100 - len(b.Contents.Price), Reason: "price"}})
			w.must(err)
		}
	}
	w.tick(time.Hour)
	job(app.JobRank)
	job(app.JobAward)
	awards, err := w.uc.ListAwards(w.ctx, tender.ID)
	w.must(err)
	award := awards[0]
	w.clk.Set(award.StandstillEnd)
	w.must(w.uc.StandstillReached(w.ctx, w.st.InTx, award.ID))
	w.tick(time.Hour)
	half, _ := domain.Cents(award.Value)
	contract, err := w.uc.SignContract(w.ctx, buyer, award.ID, domain.Contract{PeriodStart: w.clk.Now(), PeriodEnd: w.clk.Now().AddDate(0, 3, 0),
		Milestones: []domain.Milestone{{Title: "Delivery", Amount: domain.FormatCents(half / 2), DueDate: w.clk.Now().AddDate(0, 1, 0)},
			{Title: "Installation", Amount: domain.FormatCents(half - half/2), DueDate: w.clk.Now().AddDate(0, 2, 0)}}})
	w.must(err)
	for _, m := range contract.Milestones {
		w.tick(24 * time.Hour)
		_, err := w.uc.ConfirmDelivery(w.ctx, buyer, contract.ID, m.ID)
		w.must(err)
		w.tick(time.Hour)
		w.must(w.uc.PaymentSettled(w.ctx, w.st.InTx, m.ID, w.clk.Now()))
	}
	job(app.JobClose)
	contract, err = w.uc.GetContract(w.ctx, contract.ID)
	w.must(err)
	return award, contract
}

// TestOCDSTellsTheLifecycle: a tender run from publication to paid and closed with three suppliers (one
// disqualified) is published as OCDS — before the opening no release carries a bid's price, proposal or
// bidder; every package validates against OCDS 1.1.5 + bids; the record's compiled release tells the same
// story as the API (status, award supplier and value, contract, payments); the list pages by links.next
// and filters by date.
func TestOCDSTellsTheLifecycle(t *testing.T) {
	w := newWorld(t)
	prices := map[string]string{"C1": "9100.00", "C2": "8800.50", "C3": "8000.00"}
	tender := w.publishWithBids(prices)

	_, sealed := w.releasePackage(tender.OCID)
	for _, secret := range []string{"9100", "8800", "8000", "switches from", "C1", "C2", "C3"} {
		if strings.Contains(sealed, secret) {
			t.Fatalf("before the opening a release shows %q: %s", secret, sealed)
		}
	}

	award, contract := w.runToPaid(tender)
	pkg, _ := w.releasePackage(tender.OCID)
	var tags []string // publication, the answer, three bids (their count), the opening, ...
	for _, r := range pkg.Releases {
		tags = append(tags, r.Tag...)
	}
	want := "tender tenderUpdate tenderUpdate tenderUpdate tenderUpdate tenderUpdate award awardUpdate contract implementation implementationUpdate implementationUpdate implementationUpdate implementationUpdate"
	if got := strings.Join(tags, " "); got != want {
		t.Errorf("tags:\n got %s\nwant %s", got, want)
	}

	body, err := w.ocds.GetRecordPackage(w.ctx, &procv1.GetRecordPackageRequest{Ocid: tender.OCID, Versioned: true})
	w.must(err)
	w.must(ocds.Validate(body.Data))
	var rp ocds.RecordPackage
	w.must(json.Unmarshal(body.Data, &rp))
	c, err := ocds.FromMap(rp.Records[0].CompiledRelease)
	w.must(err)
	got, err := w.uc.GetTender(w.ctx, buyer, tender.ID)
	w.must(err)
	value, _ := domain.Cents(award.Value)
	var paid int
	for _, tx := range c.Contracts[0].Implementation.Transactions {
		paid += int(tx.Value.Amount * 100)
	}
	checks := map[string][2]any{
		"tender status":      {c.Tender.Status, got.Status},
		"award supplier":     {c.Awards[0].Suppliers[0].ID, award.CompanyID},
		"award value":        {c.Awards[0].Value.Amount, float64(value) / 100},
		"winner":             {award.CompanyID, "C2"},
		"contract":           {c.Contracts[0].ID + " " + c.Contracts[0].Status, contract.ID + " " + contract.Status},
		"payments":           {len(c.Contracts[0].Implementation.Transactions), len(contract.Milestones)},
		"paid total (cents)": {paid, int(value)},
		"bids published":     {len(c.Bids.Details), 3},
		"tenderers":          {*c.Tender.NumberOfTenderers, 3},
		"versioned":          {rp.Records[0].VersionedRelease != nil, true},
	}
	for name, pair := range checks {
		if fmt.Sprint(pair[0]) != fmt.Sprint(pair[1]) {
			t.Errorf("%s: OCDS says %v, the API %v", name, pair[0], pair[1])
		}
	}

	t.Run("paged and filtered", func(t *testing.T) {
		var all []string
		req := &procv1.ListReleasePackagesRequest{Limit: 4}
		for range 10 {
			body, err := w.ocds.ListReleasePackages(w.ctx, req)
			w.must(err)
			w.must(ocds.Validate(body.Data))
			var page ocds.ReleasePackage
			w.must(json.Unmarshal(body.Data, &page))
			for _, r := range page.Releases {
				all = append(all, r.ID)
			}
			if page.Links == nil {
				break
			}
			if !strings.HasPrefix(page.Links.Next, "https://marketplace.example.org/ocds/releasePackages?") {
				t.Fatalf("links.next %q", page.Links.Next)
			}
			req.Cursor = strings.SplitN(page.Links.Next, "cursor=", 2)[1]
			req.Cursor = strings.SplitN(req.Cursor, "&", 2)[0]
		}
		if len(all) != len(pkg.Releases) {
			t.Fatalf("paged %d releases, the process has %d", len(all), len(pkg.Releases))
		}
		since := pkg.Releases[len(pkg.Releases)-1].Date.Format(time.RFC3339Nano)
		body, err := w.ocds.ListReleasePackages(w.ctx, &procv1.ListReleasePackagesRequest{Since: since})
		w.must(err)
		var page ocds.ReleasePackage
		w.must(json.Unmarshal(body.Data, &page))
		if len(page.Releases) == 0 || len(page.Releases) >= len(pkg.Releases) {
			t.Fatalf("since %s: %d releases", since, len(page.Releases))
		}
		if _, err := w.ocds.ListReleasePackages(w.ctx, &procv1.ListReleasePackagesRequest{Since: "yesterday"}); err == nil ||
			!strings.Contains(err.Error(), "since") {
			t.Fatalf("a bad since: %v", err)
		}
		if _, err := w.ocds.GetRecordPackage(w.ctx, &procv1.GetRecordPackageRequest{Ocid: "ocds-none"}); err == nil {
			t.Fatal("a record of no process")
		}
	})
}
