package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

func posted(id string, from, to domain.Account, amount int64) domain.Transfer {
	return domain.Transfer{ID: id, Tenant: "gov", Kind: domain.TransferPosted, DebitAccount: from.ID,
		CreditAccount: to.ID, Amount: amount, Currency: from.Currency}
}

func TestPostedTransferMovesTheCounters(t *testing.T) {
	s, _ := newStore(t)
	src, dst := account(t, s, "external", "EUR", false), account(t, s, "funding", "EUR", true)
	if _, err := apply(s, posted("t1", src, dst, 1050)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Account(context.Background(), "gov", "funding", "EUR")
	if err != nil || got.Balance != (domain.Balance{CreditsPosted: 1050}) || got.Balance.Available() != 1050 {
		t.Fatalf("funding: %+v, %v", got.Balance, err)
	}
	ext, _ := s.Account(context.Background(), "gov", "external", "EUR")
	if ext.Balance != (domain.Balance{DebitsPosted: 1050}) {
		t.Fatalf("external: %+v", ext.Balance)
	}
}

// An account that may not be overdrawn refuses in the UPDATE's WHERE, and the whole unit is rolled back.
func TestOverdraftIsRefusedAndNothingIsWritten(t *testing.T) {
	s, pool := newStore(t)
	src, funding, payee := account(t, s, "external", "EUR", false), account(t, s, "funding", "EUR", true), account(t, s, "payee", "EUR", false)
	if _, err := apply(s, posted("fund", src, funding, 100)); err != nil {
		t.Fatal(err)
	}
	_, err := apply(s, posted("ok-part", funding, payee, 60), posted("too-much", funding, payee, 50))
	wantReason(t, err, domain.ReasonInsufficientFunds)
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM ledger_transfer`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d transfers kept (%v), want only the funding one", n, err)
	}
	got, _ := s.Account(context.Background(), "gov", "funding", "EUR")
	if got.Balance.Available() != 100 || got.Balance.DebitsPosted != 0 {
		t.Fatalf("funding after a refused unit: %+v", got.Balance)
	}
	// A pending debit counts against the available balance too.
	_, err = apply(s, domain.Transfer{ID: "hold", Tenant: "gov", Kind: domain.TransferPending, DebitAccount: funding.ID,
		CreditAccount: payee.ID, Amount: 80, Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = apply(s, posted("beyond-hold", funding, payee, 30))
	wantReason(t, err, domain.ReasonInsufficientFunds)
}

func TestTransferRowsAreAppendOnly(t *testing.T) {
	s, pool := newStore(t)
	src, dst := account(t, s, "a", "EUR", false), account(t, s, "b", "EUR", false)
	if _, err := apply(s, posted("t1", src, dst, 5)); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`UPDATE ledger_transfer SET amount = 500 WHERE id = 't1'`,
		`DELETE FROM ledger_transfer WHERE id = 't1'`,
		`TRUNCATE ledger_transfer CASCADE`,
	} {
		if _, err := pool.Exec(context.Background(), sql); err == nil {
			t.Errorf("%s: accepted", sql)
		}
	}
	_, err := apply(s, posted("t1", src, dst, 5))
	wantReason(t, err, domain.ReasonTransferExists)
}

func TestCurrencyMismatchIsRefused(t *testing.T) {
	s, _ := newStore(t)
	eur, usd := account(t, s, "a", "EUR", false), account(t, s, "b", "USD", false)
	_, err := apply(s, posted("t1", eur, usd, 5))
	wantReason(t, err, domain.ReasonCurrencyMismatch)
}

// Many goroutines race to post and to void one pending transfer: the database accepts exactly one.
func TestAPendingTransferIsResolvedOnce(t *testing.T) {
	s, _ := newStore(t)
	src, dst := account(t, s, "a", "EUR", false), account(t, s, "b", "EUR", false)
	if _, err := apply(s, domain.Transfer{ID: "p", Tenant: "gov", Kind: domain.TransferPending, DebitAccount: src.ID,
		CreditAccount: dst.ID, Amount: 40, Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	var wins, refused atomic.Int64
	var wg sync.WaitGroup
	for i := range 20 {
		kind := domain.TransferPost
		if i%2 == 1 {
			kind = domain.TransferVoid
		}
		wg.Go(func() {
			_, err := apply(s, domain.Transfer{ID: fmt.Sprintf("r%d", i), Kind: kind, PendingID: "p"})
			switch {
			case err == nil:
				wins.Add(1)
			default:
				wantReason(t, err, domain.ReasonPendingAlreadyResolved)
				refused.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 || refused.Load() != 19 {
		t.Fatalf("%d resolutions accepted, %d refused", wins.Load(), refused.Load())
	}
	b, _ := s.Account(context.Background(), "gov", "b", "EUR")
	if b.Balance.CreditsPending != 0 || (b.Balance.CreditsPosted != 40 && b.Balance.CreditsPosted != 0) {
		t.Fatalf("b after one resolution: %+v", b.Balance)
	}
}

func TestExpiredPendingIsDueAndCannotBePosted(t *testing.T) {
	s, _ := newStore(t)
	src, dst := account(t, s, "a", "EUR", false), account(t, s, "b", "EUR", false)
	if _, err := apply(s, domain.Transfer{ID: "p", Tenant: "gov", Kind: domain.TransferPending, DebitAccount: src.ID,
		CreditAccount: dst.ID, Amount: 40, Currency: "EUR", ExpiresAt: t0.Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	_, err := apply(s, domain.Transfer{ID: "post", Kind: domain.TransferPost, PendingID: "p"})
	wantReason(t, err, domain.ReasonPendingExpired)
	due := pendingDue(t, s)
	if len(due) != 1 || due[0].ID != "p" {
		t.Fatalf("due: %+v", due)
	}
	if _, err := apply(s, domain.Transfer{ID: "exp", Kind: domain.TransferExpire, PendingID: "p"}); err != nil {
		t.Fatal(err)
	}
	if due := pendingDue(t, s); len(due) != 0 {
		t.Fatalf("still due after expiry: %+v", due)
	}
}
