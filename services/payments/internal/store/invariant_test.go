package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// TestLedgerInvariantsUnderConcurrentRandomTransfers runs workers that post, reserve, post and void
// pending transfers, and expire them, between random accounts of two currencies — some of which may not be
// overdrawn — all at once. After every operation a worker checks, in one snapshot of the database: per
// currency, total debits equal total credits (pending and posted); every account's counters equal the sums
// of its transfers; no protected account is overdrawn; no pending transfer is resolved twice.
func TestLedgerInvariantsUnderConcurrentRandomTransfers(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	var accounts []domain.Account
	for _, cur := range []string{"EUR", "KES"} {
		source := account(t, s, "external", cur, false)
		for i := range 5 {
			a := account(t, s, fmt.Sprintf("acct-%d", i), cur, i < 3) // three protected, two free
			if _, err := apply(s, posted("seed-"+cur+a.Code, source, a, 5000)); err != nil {
				t.Fatal(err)
			}
			accounts = append(accounts, a)
		}
		accounts = append(accounts, source)
	}
	var mu sync.Mutex
	var pendings []string // ids of pending transfers, resolved or not
	const workers, ops = 6, 120
	var wg sync.WaitGroup
	var applied, refused [5]int
	for w := range workers {
		rng := rand.New(rand.NewPCG(uint64(w), 42))
		wg.Go(func() {
			for i := range ops {
				op, ts := randomOp(rng, accounts, &mu, &pendings, fmt.Sprintf("w%d-%d", w, i))
				_, err := apply(s, ts...)
				mu.Lock()
				if err == nil && op == 1 {
					pendings = append(pendings, ts[0].ID) // only what exists can be resolved
				}
				if err == nil {
					applied[op]++
				} else {
					refused[op]++
				}
				mu.Unlock()
				if err != nil && !expectedRefusal(err) {
					t.Errorf("op %d: %v", op, err)
					return
				}
				if err := checkInvariants(ctx, pool); err != nil {
					t.Errorf("after worker %d op %d: %v", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("applied by kind (posted, pending, post, void, expire): %v; refused: %v", applied, refused)
	for op, n := range applied {
		if n == 0 {
			t.Errorf("operation kind %d never succeeded: the run did not exercise it", op)
		}
	}
	if refused[0]+refused[1] == 0 {
		t.Error("no transfer was refused for lack of funds: the protected accounts were never tested")
	}
}

// randomOp picks one operation: 0 posted, 1 pending (half of them already expired), 2 post, 3 void, 4 expire.
func randomOp(rng *rand.Rand, accounts []domain.Account, mu *sync.Mutex, pendings *[]string, id string) (int, []domain.Transfer) {
	op := rng.IntN(5)
	mu.Lock()
	defer mu.Unlock()
	if op >= 2 && len(*pendings) == 0 {
		op = 1
	}
	switch op {
	case 0, 1:
		from := accounts[rng.IntN(len(accounts))]
		to := accounts[rng.IntN(len(accounts))]
		for to.ID == from.ID || to.Currency != from.Currency {
			to = accounts[rng.IntN(len(accounts))]
		}
		t := posted(id, from, to, 1+rng.Int64N(3000))
		if op == 1 {
			t.Kind = domain.TransferPending
			if rng.IntN(2) == 0 {
				t.ExpiresAt = t0.Add(-time.Minute)
			} else {
				t.ExpiresAt = t0.Add(time.Hour)
			}
		}
		return op, []domain.Transfer{t}
	}
	kind := map[int]domain.TransferKind{2: domain.TransferPost, 3: domain.TransferVoid, 4: domain.TransferExpire}[op]
	return op, []domain.Transfer{{ID: id, Kind: kind, PendingID: (*pendings)[rng.IntN(len(*pendings))]}}
}

func expectedRefusal(err error) bool {
	var e *apierr.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Reason {
	case domain.ReasonInsufficientFunds, domain.ReasonPendingAlreadyResolved, domain.ReasonPendingExpired:
		return true
	}
	return false
}

// checkInvariants reads the ledger in one REPEATABLE READ snapshot.
func checkInvariants(ctx context.Context, pool *pgxpool.Pool) error {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	var problems []string
	collect := func(sql string) error {
		rows, err := tx.Query(ctx, sql)
		if err != nil {
			return err
		}
		found, err := pgx.CollectRows(rows, pgx.RowTo[string])
		problems = append(problems, found...)
		return err
	}
	for _, sql := range []string{
		// Per currency, the double entry holds.
		`SELECT currency || ': debits ' || sum(debits_pending) || '/' || sum(debits_posted) || ' credits ' ||
			sum(credits_pending) || '/' || sum(credits_posted) FROM ledger_account GROUP BY currency
		 HAVING sum(debits_pending) <> sum(credits_pending) OR sum(debits_posted) <> sum(credits_posted)`,
		// Every account's counters are the sums of its transfers.
		`WITH side AS (
			SELECT debit_account AS id,
				CASE kind WHEN 'pending' THEN amount WHEN 'posted' THEN 0 WHEN 'post' THEN -amount ELSE -amount END AS dp,
				CASE WHEN kind IN ('posted', 'post') THEN amount ELSE 0 END AS dpo, 0::bigint AS cp, 0::bigint AS cpo
			FROM ledger_transfer
			UNION ALL
			SELECT credit_account,  0, 0,
				CASE kind WHEN 'pending' THEN amount WHEN 'posted' THEN 0 ELSE -amount END,
				CASE WHEN kind IN ('posted', 'post') THEN amount ELSE 0 END
			FROM ledger_transfer),
		 sums AS (SELECT id, sum(dp) dp, sum(dpo) dpo, sum(cp) cp, sum(cpo) cpo FROM side GROUP BY id)
		 SELECT a.code || ' ' || a.currency || ': counters differ from its transfers'
		 FROM ledger_account a LEFT JOIN sums s ON s.id = a.id
		 WHERE a.debits_pending <> coalesce(s.dp, 0) OR a.debits_posted <> coalesce(s.dpo, 0)
		    OR a.credits_pending <> coalesce(s.cp, 0) OR a.credits_posted <> coalesce(s.cpo, 0)`,
		`SELECT code || ' ' || currency || ' is overdrawn' FROM ledger_account
		 WHERE debits_must_not_exceed_credits AND debits_pending + debits_posted > credits_posted`,
		`SELECT pending_id || ' resolved twice' FROM ledger_transfer WHERE pending_id IS NOT NULL
		 GROUP BY pending_id HAVING count(*) > 1`,
		`SELECT r.id || ' resolves ' || p.id || ', which is ' || p.kind FROM ledger_transfer r
		 JOIN ledger_transfer p ON p.id = r.pending_id WHERE p.kind <> 'pending'`,
	} {
		if err := collect(sql); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("ledger invariants broken: %v", problems)
	}
	return nil
}
