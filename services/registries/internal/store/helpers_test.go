package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
	"github.com/govstackbb/marketplace/services/registries/internal/store"
	"github.com/govstackbb/marketplace/services/registries/migrations"
)

// newStore returns a Store on a fresh, migrated database.
func newStore(t testing.TB) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.NewPool(t, pgstore.MigrationSet{Name: "registries", FS: migrations.FS, Dir: "."}, outbox.Migrations)
	return store.New(pool), pool
}

var peopleSchema = map[string]any{"type": "object", "properties": map[string]any{
	"id": map[string]any{"type": "string"}, "name": map[string]any{"type": "string"},
	"age": map[string]any{"type": "integer"}, "city": map[string]any{"type": "string"}}}

// newRegistry stores a registry "people" (version v) with person id field "id".
func newRegistry(t testing.TB, s *store.Store, version string) domain.Registry {
	t.Helper()
	r, err := domain.NewRegistry(domain.RegistryDraft{Name: "people", Version: version, Schema: peopleSchema,
		PersonIDField: "id", GroupName: "test"}, "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	saved, created, err := s.SaveRegistry(context.Background(), r, nil)
	if err != nil || !created {
		t.Fatalf("SaveRegistry = %v, created %v", err, created)
	}
	return saved
}

func person(i int, city string) domain.Record {
	id := fmt.Sprintf("p%03d", i)
	return domain.Record{ID: id, PersonID: id, Content: map[string]any{
		"id": id, "name": fmt.Sprintf("Person %d", i), "age": float64(20 + i%7), "city": city}}
}

func wantKind(t *testing.T, err error, kind apierr.Kind, reason string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != kind || (reason != "" && e.Reason != reason) {
		t.Fatalf("want %v/%s, got %v", kind, reason, err)
	}
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// insertPeople stores n people (ids p000, p001, ...) living in city.
func insertPeople(t testing.TB, s *store.Store, r domain.Registry, n int, city string) {
	t.Helper()
	for i := range n {
		if err := s.InsertRecord(context.Background(), r.ID, person(i, city)); err != nil {
			t.Fatal(err)
		}
	}
}
