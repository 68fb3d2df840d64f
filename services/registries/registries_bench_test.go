package registries_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/registries"
	"github.com/govstackbb/marketplace/services/registries/internal/app"
	"github.com/govstackbb/marketplace/services/registries/internal/domain"
	"github.com/govstackbb/marketplace/services/registries/internal/store"
)

// benchRecords is the size of the registry the benchmarks run against.
const benchRecords = 100_000

// benchFixture is one database with benchRecords records, shared by every benchmark of a run (loading it
// takes seconds) and dropped by TestMain.
var benchFixture struct {
	once     sync.Once
	server   string
	name     string
	pool     *pgxpool.Pool
	registry domain.Registry
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchFixture.pool != nil {
		benchFixture.pool.Close()
		if conn, err := pgx.Connect(context.Background(), benchFixture.server); err == nil {
			_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{benchFixture.name}.Sanitize()+" WITH (FORCE)")
			_ = conn.Close(context.Background())
		}
	}
	os.Exit(code)
}

// benchApp returns the use cases on the shared 100,000-record registry "bench" (no personal data).
func benchApp(b *testing.B) (*app.Service, *pgxpool.Pool, domain.Registry) {
	b.Helper()
	f := &benchFixture
	f.once.Do(func() {
		f.server = pgtest.ServerURL(b)
		f.name = "bench_registries_" + strconv.FormatInt(time.Now().UnixNano(), 36)
		f.err = loadBench(f.server, f.name)
	})
	if f.err != nil {
		b.Fatal(f.err)
	}
	return app.New(store.New(f.pool)), f.pool, f.registry
}

func loadBench(server, name string) error {
	ctx := context.Background()
	start := time.Now()
	if err := pgstore.EnsureDatabase(ctx, server, name); err != nil {
		return err
	}
	u, err := pgxpool.ParseConfig(server)
	if err != nil {
		return err
	}
	u.ConnConfig.Database = name
	pool, err := pgxpool.NewWithConfig(ctx, u)
	if err != nil {
		return err
	}
	benchFixture.pool = pool
	if err := pgstore.Migrate(ctx, pool, registries.Migrations()...); err != nil {
		return err
	}
	schema := map[string]any{"type": "object", "required": []any{"id", "firstName"}, "properties": map[string]any{
		"id": map[string]any{"type": "string", "primaryKey": true}, "firstName": map[string]any{"type": "string"},
		"lastName": map[string]any{"type": "string"}, "city": map[string]any{"type": "string"},
		"age": map[string]any{"type": "integer"}}}
	r, err := domain.NewRegistry(domain.RegistryDraft{Name: "bench", Schema: schema}, "bench", time.Now())
	if err != nil {
		return err
	}
	if r, _, err = store.New(pool).SaveRegistry(ctx, r, nil); err != nil {
		return err
	}
	benchFixture.registry = r
	// One statement: 100 cities of 1,000 people each, five surnames, ages 18-87.
	_, err = pool.Exec(ctx, `INSERT INTO record (registry_id, record_id, content, created_at)
		SELECT $1, id, jsonb_build_object('id', id, 'firstName', 'Name' || i,
				'lastName', (ARRAY['Smith','Jones','Tamm','Kask','Saar'])[1 + i % 5],
				'city', 'City' || (i % 100), 'age', 18 + i % 70),
			now() + i * interval '1 microsecond'
		FROM generate_series(1, $2::int) AS i, LATERAL (SELECT 'r' || lpad(i::text, 6, '0') AS id) k`, r.ID, benchRecords)
	if err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, `ANALYZE record`); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench fixture: %d records loaded in %v\n", benchRecords, time.Since(start).Round(time.Millisecond))
	return nil
}

var benchTarget = app.Target{Name: "bench", Version: "1.0"}

func BenchmarkCreate(b *testing.B) {
	a, _, _ := benchApp(b)
	ctx := context.Background()
	run := time.Now().UnixNano()
	i := 0
	for b.Loop() {
		i++
		content := map[string]any{"id": fmt.Sprintf("new-%d-%d", run, i), "firstName": "Bench", "city": "City1", "age": 30.0}
		if _, err := a.CreateRecord(ctx, benchTarget, content); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadByID(b *testing.B) {
	a, _, _ := benchApp(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		id := fmt.Sprintf("r%06d", 1+(i*7919)%benchRecords)
		if _, err := a.ReadRecord(ctx, benchTarget, map[string]any{"id": id}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFilteredSearch(b *testing.B) {
	a, _, _ := benchApp(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		page, err := a.ListRecords(ctx, benchTarget, domain.ListParams{Query: map[string]string{"city": "City" + strconv.Itoa(i%100)},
			Filter: "age", Ordering: "descending", Page: 1 + i%5, PageSize: 10})
		if err != nil || len(page.Records) != 10 || page.Total < 1000 {
			b.Fatalf("page of %d records (total %d): %v", len(page.Records), page.Total, err)
		}
	}
}

// BenchmarkPlainSelectByPK is the floor ReadByID is compared with: one primary key lookup on the same pool.
func BenchmarkPlainSelectByPK(b *testing.B) {
	_, pool, r := benchApp(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		var content map[string]any
		id := fmt.Sprintf("r%06d", 1+(i*7919)%benchRecords)
		if err := pool.QueryRow(ctx, `SELECT content FROM record WHERE registry_id = $1 AND record_id = $2`, r.ID, id).Scan(&content); err != nil {
			b.Fatal(err)
		}
	}
}
