package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
	"github.com/govstackbb/marketplace/services/registration/migrations"
)

func newStore(t *testing.T) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.NewPool(t, pgstore.MigrationSet{Name: app.BB, FS: migrations.FS, Dir: "."}, outbox.Migrations, inbox.Migrations)
	return store.New(pool), pool
}

func outboxTypes(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT type FROM outbox ORDER BY created_at, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var typ string
		if err := rows.Scan(&typ); err != nil {
			t.Fatal(err)
		}
		out = append(out, typ)
	}
	return out
}

// What a unit of work publishes reaches the outbox, in order, only when it commits.
func TestInTxPublishesOnCommitOnly(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	at := time.Now()
	acc := domain.Account{ID: "7e57a000-0000-4000-a000-000000000001", Email: "ann@x.example", Roles: []string{"buyer"},
		Status: domain.StatusPendingActivation, Created: at}
	refused := errors.New("refused")
	err := s.InTx(ctx, func(tx app.Tx) error {
		if _, _, err := tx.AddAccount(ctx, acc); err != nil {
			return err
		}
		tx.Publish(domain.AccountActivated{Account: acc, At: at})
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("InTx = %v", err)
	}
	if got := outboxTypes(t, pool); len(got) != 0 {
		t.Fatalf("a rolled-back unit of work published %v", got)
	}
	if _, err := s.Account(ctx, acc.ID); err == nil {
		t.Fatal("a rolled-back unit of work kept its account")
	}
	err = s.InTx(ctx, func(tx app.Tx) error {
		if _, _, err := tx.AddAccount(ctx, acc); err != nil {
			return err
		}
		tx.Publish(domain.AccountActivated{Account: acc, At: at}, domain.AccountLocked{Account: acc, At: at})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := outboxTypes(t, pool)
	want := []string{"govstack.registration.v1.account.activated", "govstack.registration.v1.account.locked"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("outbox %v, want %v", got, want)
	}
}

// Concurrent failed sign-ins of one address count one by one, and exactly the one that locks the address
// of a known account writes account.locked.
func TestUpdateSignInFailuresConcurrently(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	owner := &domain.Account{ID: "7e57a000-0000-4000-a000-000000000002", Email: "lock@x.example"}
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.UpdateSignInFailures(ctx, "lock@x.example", func(f *domain.SignInFailures) ([]domain.Event, error) {
				return f.Fail(time.Now(), owner), nil
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	f, err := s.SignInFailures(ctx, "lock@x.example")
	if err != nil {
		t.Fatal(err)
	}
	if f.Count != n || f.LockedFor(time.Now()) == 0 {
		t.Errorf("after %d failures: %+v", n, f)
	}
	if got := outboxTypes(t, pool); len(got) != 1 || got[0] != "govstack.registration.v1.account.locked" {
		t.Errorf("outbox %v, want one account.locked", got)
	}
}
