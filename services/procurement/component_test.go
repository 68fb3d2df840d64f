package procurement

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/platform/testkit"

	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/events"
	"github.com/govstackbb/marketplace/services/procurement/internal/seal"
	"github.com/govstackbb/marketplace/services/procurement/internal/store"
)

// fakeBBs stand in for the other building blocks (they are reached over gRPC through the IM, which the e2e
// tests run for real); Postgres and NATS are real.
type fakeBBs struct {
	mu        sync.Mutex
	companies map[string]string
	deadlines map[string]time.Time // idempotency key → due
	starts    map[string]int       // tender → starts
	messages  []string
}

func (f *fakeBBs) CompanyStatus(_ context.Context, id string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.companies[id]
	return s, ok, nil
}
func (f *fakeBBs) SetDeadline(_ context.Context, key, _, _ string, due time.Time) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deadlines[key] = due
	return "d-" + key, nil
}
func (f *fakeBBs) StartProcess(_ context.Context, tender string, _ map[string]any) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starts[tender]++
	return "i-" + tender, nil
}
func (f *fakeBBs) PublishMessage(_ context.Context, name, tender, _ string, _ map[string]any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.messages = append(f.messages, name+":"+tender)
	return nil
}
func (f *fakeBBs) ActivateJobs(context.Context, string, string, int, time.Duration) ([]app.Job, error) {
	return nil, errors.New("not used")
}
func (f *fakeBBs) CompleteJob(context.Context, app.Job, string, map[string]any) error { return nil }
func (f *fakeBBs) FailJob(context.Context, app.Job, string, int, string, time.Duration) error {
	return nil
}
func (f *fakeBBs) Pay(_ context.Context, p app.Payment) (string, error) { return "batch-" + p.Key, nil }

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

var (
	buyer    = app.Actor{ID: "u-buyer", Email: "b@moj.gov.example", Org: "Ministry of Justice", Roles: []string{app.RoleBuyer}}
	supplier = app.Actor{ID: "u-sup", Email: "s@contoso.example", CompanyID: "123456789", Roles: []string{app.RoleSupplier}}
)

func draft() domain.Tender {
	return domain.Tender{Title: "Switches", Description: "Network", EstimatedValue: "10000.00", Currency: "EUR",
		Items:    []domain.Item{{Description: "Switch", CPV: "32420000-3", Quantity: 4}},
		Criteria: []domain.Criterion{{ID: "price", Name: "Price", Kind: domain.KindPrice, Weight: 100}}, EnquiryDays: 1, TenderDays: 2}
}

// TestSealedBidsOpenOnlyAtTheDeadline: a bid is stored sealed (the table refuses plaintext before opening);
// two submissions of one company at once leave one bid; publication's effects set each deadline and start the
// process once; the deadline opens the bids once however often it arrives.
func TestSealedBidsOpenOnlyAtTheDeadline(t *testing.T) {
	ctx := t.Context()
	pool := pgtest.NewPool(t, Migrations()...)
	_, js := natstest.Start(t)
	keys, err := seal.LoadFile(filepath.Join(t.TempDir(), "seal.key"), true)
	if err != nil {
		t.Fatal(err)
	}
	bbs := &fakeBBs{companies: map[string]string{"123456789": "active"}, deadlines: map[string]time.Time{}, starts: map[string]int{}}
	clk := &clock{now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	st := store.New(pool, events.Encode)
	uc := app.New(app.Deps{Store: st, Keys: keys, Registries: bbs, Scheduling: bbs, Workflow: bbs, Payments: bbs,
		Calendar: domain.Calendar{Day: time.Hour}, Now: clk.Now})

	tender, err := uc.CreateTender(ctx, buyer, draft())
	if err != nil {
		t.Fatal(err)
	}
	if tender, err = uc.PublishTender(ctx, buyer, tender.ID); err != nil {
		t.Fatal(err)
	}

	// Two submissions of one company at once: one bid.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = uc.SubmitBid(ctx, supplier, tender.ID, domain.BidContents{Price: "9500.00", Proposal: "PoE+ switches"})
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) || apierr.KindOf(errors.Join(errs[0], errs[1])) != apierr.KindAlreadyExists {
		t.Fatalf("two concurrent submissions: %v / %v", errs[0], errs[1])
	}
	var sealed []byte
	if err := pool.QueryRow(ctx, `SELECT sealed FROM bids WHERE tender_id = $1`, tender.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), "9500") || strings.Contains(string(sealed), "PoE") {
		t.Fatal("the stored bid is readable")
	}
	if _, err := pool.Exec(ctx, `UPDATE bids SET price = '1.00' WHERE tender_id = $1`, tender.ID); err == nil {
		t.Fatal("the table took a price in clear for an unopened bid")
	}

	// Publication's effects, through the outbox and the effects consumer.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = outbox.NewRelay(pool, js, outbox.RelayOptions{}).Run(runCtx) }()
	go func() { _ = events.Consumers{App: uc, Within: st.Within}.Run(runCtx, js, pool) }()
	testkit.Eventually(t, 20*time.Second, "deadlines and the process", func() error {
		bbs.mu.Lock()
		defer bbs.mu.Unlock()
		if len(bbs.deadlines) != 2 || bbs.starts[tender.ID] != 1 {
			return errors.New("not yet")
		}
		return nil
	})
	if !bbs.deadlines[tender.ID+":tender-period"].Equal(tender.TenderEnd) {
		t.Fatalf("tender-period deadline: %v, want %v", bbs.deadlines, tender.TenderEnd)
	}

	// Before the deadline nothing opens; at it, once.
	unit := app.Unit(st.InTx)
	if err := uc.DeadlineReached(ctx, unit, "procurement/tender/"+tender.ID+"/tender-period"); err == nil {
		t.Fatal("opened before the tender period ended")
	}
	clk.Set(tender.TenderEnd)
	for range 2 {
		if err := uc.DeadlineReached(ctx, unit, "procurement/tender/"+tender.ID+"/tender-period"); err != nil {
			t.Fatal(err)
		}
	}
	bids, err := uc.ListBids(ctx, buyer, tender.ID)
	if err != nil || len(bids) != 1 || bids[0].Contents.Price != "9500.00" || !bids[0].Opened {
		t.Fatalf("bids after opening: %+v %v", bids, err)
	}
	var opened int
	var unwrapped *time.Time
	if err := pool.QueryRow(ctx, `SELECT count(*), (SELECT key_unwrapped_at FROM tenders WHERE id = $1) FROM audit
		WHERE tender_id = $1 AND action = 'bids.opened'`, tender.ID).Scan(&opened, &unwrapped); err != nil || opened != 1 || unwrapped == nil {
		t.Fatalf("opened %d times, key unwrapped at %v: %v", opened, unwrapped, err)
	}
	var releases int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM ocds_release WHERE ocid = $1`, tender.OCID).Scan(&releases); err != nil || releases != 3 {
		t.Fatalf("%d OCDS releases (want tender, tenderUpdate for the bid's count and tenderUpdate at the opening): %v", releases, err)
	}
	testkit.Eventually(t, 20*time.Second, "bids-opened message", func() error {
		bbs.mu.Lock()
		defer bbs.mu.Unlock()
		if len(bbs.messages) != 1 || bbs.messages[0] != app.MsgBidsOpened+":"+tender.ID {
			return errors.New("not yet")
		}
		return nil
	})
}

// TestDraftsAreTheBuyersOrganisations: a draft is seen only by buyers of its organisation — not by a supplier
// whose company carries the same name, nor by an anonymous caller — and only they may publish it.
func TestDraftsAreTheBuyersOrganisations(t *testing.T) {
	ctx := t.Context()
	pool := pgtest.NewPool(t, Migrations()...)
	keys, _ := seal.New(make([]byte, 32))
	uc := app.New(app.Deps{Store: store.New(pool, events.Encode), Keys: keys})
	tender, err := uc.CreateTender(ctx, buyer, draft())
	if err != nil {
		t.Fatal(err)
	}
	namesake := app.Actor{ID: "u-x", Org: buyer.Org, CompanyID: "1", Roles: []string{app.RoleSupplier}}
	for _, a := range []app.Actor{{}, namesake} {
		if _, err := uc.GetTender(ctx, a, tender.ID); apierr.KindOf(err) != apierr.KindNotFound {
			t.Errorf("%+v reads the draft: %v", a, err)
		}
		if _, err := uc.PublishTender(ctx, a, tender.ID); err == nil {
			t.Errorf("%+v published the draft", a)
		}
	}
	if _, err := uc.GetTender(ctx, buyer, tender.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := uc.CreateTender(ctx, app.Actor{ID: "u", Roles: []string{app.RoleBuyer}}, draft()); apierr.KindOf(err) != apierr.KindPermissionDenied {
		t.Fatalf("a buyer without an organisation drafted: %v", err)
	}
}
