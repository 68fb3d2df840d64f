package store_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
	"github.com/govstackbb/marketplace/services/payments/internal/store"
)

// Benchmarks of the ledger (docs/benchmarks.md, Payments). Each reports transfers/s; the ratios between the
// sub-benchmarks of one run are what matter.

var benchSeq atomic.Int64

func benchID(prefix string) string { return fmt.Sprintf("%s-%d", prefix, benchSeq.Add(1)) }

// BenchmarkTransfers: one transfer per transaction, and 100 or 1,000 per transaction (ApplyTransfers with
// many rows: one lock, one insert and one counter update per unit).
func BenchmarkTransfers(b *testing.B) {
	s, _ := newStore(b)
	src, dst := account(b, s, "external", "EUR", false), account(b, s, "payee", "EUR", false)
	for _, per := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("per-commit-%d", per), func(b *testing.B) {
			start := time.Now()
			n := 0
			for b.Loop() {
				ts := make([]domain.Transfer, per)
				for i := range ts {
					ts[i] = posted(benchID("t"), src, dst, 1)
				}
				if _, err := apply(s, ts...); err != nil {
					b.Fatal(err)
				}
				n += per
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "transfers/s")
		})
	}
}

// BenchmarkHotFundingAccount: eight workers pay 50 payments each, concurrently, one transfer per payment.
// "hot" debits the one funding account (protected from overdraft) for every payment; "clearing" reserves
// each worker's batch once from the funding account into the batch's own clearing account and pays from
// there, so the funding row is touched once per batch.
func BenchmarkHotFundingAccount(b *testing.B) {
	s, _ := newStore(b)
	ext := account(b, s, "external", "EUR", false)
	funding := account(b, s, "funding", "EUR", true)
	if _, err := apply(s, posted("fund", ext, funding, 1<<50)); err != nil {
		b.Fatal(err)
	}
	payees := make([]domain.Account, 8)
	for i := range payees {
		payees[i] = account(b, s, fmt.Sprintf("payee-%d", i), "EUR", false)
	}
	const workers, perBatch = 8, 50
	for _, mode := range []string{"hot", "clearing"} {
		b.Run(mode, func(b *testing.B) {
			start := time.Now()
			n := 0
			for b.Loop() {
				var wg sync.WaitGroup
				for w := range workers {
					wg.Go(func() { payBatch(b, s, mode, funding, payees[w], perBatch) })
				}
				wg.Wait()
				n += workers * perBatch
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "payments/s")
		})
	}
}

func payBatch(b *testing.B, s *store.Store, mode string, funding, payee domain.Account, count int) {
	from := funding
	if mode == "clearing" {
		from = account(b, s, benchID("clearing"), "EUR", true)
		if _, err := apply(s, posted(benchID("reserve"), funding, from, int64(count))); err != nil {
			b.Error(err)
			return
		}
	}
	for range count {
		if _, err := apply(s, posted(benchID("pay"), from, payee, 1)); err != nil {
			b.Error(err)
			return
		}
	}
}
