package registry_test

import (
	"context"
	"sync"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// auditLog collects what the store audits, and checks each entry arrives inside a live transaction.
type auditLog struct {
	mu      sync.Mutex
	entries []auditEntry
}

type auditEntry struct{ actor, action, target string }

func (a *auditLog) record(ctx context.Context, tx pgx.Tx, actor, action, target string, _ any) error {
	var one int
	if err := tx.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.entries = append(a.entries, auditEntry{actor, action, target})
	return nil
}

func (a *auditLog) last() auditEntry {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.entries) == 0 {
		return auditEntry{}
	}
	return a.entries[len(a.entries)-1]
}

func newStore(t testing.TB) (*registry.Store, *auditLog) {
	t.Helper()
	pool := pgtest.NewPool(t, registry.Migrations())
	log := &auditLog{}
	return registry.New(pool, log.record), log
}

func client(s string) imident.Client {
	c, err := imident.Parse(s)
	if err != nil {
		panic(err)
	}
	return c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type pgxTx = pgx.Tx

func newPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return pgtest.NewPool(t, registry.Migrations())
}
