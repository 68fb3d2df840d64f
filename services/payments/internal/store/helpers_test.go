package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
	"github.com/govstackbb/marketplace/services/payments/internal/events"
	"github.com/govstackbb/marketplace/services/payments/internal/store"
	"github.com/govstackbb/marketplace/services/payments/migrations"
)

func newStore(t testing.TB) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.NewPool(t, pgstore.MigrationSet{Name: "payments", FS: migrations.FS, Dir: "."}, outbox.Migrations)
	return store.New(pool, events.Encode), pool
}

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func account(t testing.TB, s *store.Store, code, currency string, noOverdraft bool) domain.Account {
	t.Helper()
	var a domain.Account
	err := s.InTx(context.Background(), func(tx app.Tx) error {
		var err error
		a, err = tx.EnsureAccount(context.Background(), domain.Account{Tenant: "gov", Code: code, Currency: currency,
			DebitsMustNotExceedCredits: noOverdraft})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func apply(s *store.Store, ts ...domain.Transfer) ([]domain.Transfer, error) {
	var out []domain.Transfer
	err := s.InTx(context.Background(), func(tx app.Tx) error {
		var err error
		out, err = tx.ApplyTransfers(context.Background(), t0, ts...)
		return err
	})
	return out, err
}

func wantReason(t testing.TB, err error, reason string) {
	t.Helper()
	var e *apierr.Error
	if !errors.As(err, &e) || e.Reason != reason {
		t.Fatalf("error %v, want reason %s", err, reason)
	}
}

func pendingDue(t testing.TB, s *store.Store) []domain.Transfer {
	t.Helper()
	var due []domain.Transfer
	err := s.InTx(context.Background(), func(tx app.Tx) error {
		var err error
		due, err = tx.PendingDue(context.Background(), t0, 100)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return due
}
