package msglog

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

type fixture struct {
	pool *pgxpool.Pool
	log  *Log
	key  ed25519.PrivateKey
	reg  *prometheus.Registry
}

// newFixture opens a log on a fresh database. run starts its writer; the writer is stopped (and drained)
// at cleanup.
func newFixture(t testing.TB, opts Options, run bool) *fixture {
	t.Helper()
	pool := pgtest.NewPool(t, Migrations())
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{pool: pool, key: key, reg: prometheus.NewRegistry()}
	opts.Registerer = f.reg
	if f.log, err = OpenWithKey(context.Background(), pool, key, opts); err != nil {
		t.Fatal(err)
	}
	if run {
		f.start(t)
	}
	return f
}

func (f *fixture) start(t testing.TB) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.log.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

func (f *fixture) pub() ed25519.PublicKey { return f.key.Public().(ed25519.PublicKey) }

func (f *fixture) count(t testing.TB, where string, args ...any) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), "SELECT count(*) FROM im_msglog_record WHERE "+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitRecords polls until the writer's chain holds n records.
func (f *fixture) waitRecords(t testing.TB, n int) {
	t.Helper()
	eventually(t, func() error {
		if got := f.count(t, "chain_id = $1", f.log.Writer().Chain()); got != n {
			return fmt.Errorf("%d records written, want %d", got, n)
		}
		return nil
	})
}

func (f *fixture) verify(t testing.TB) Report {
	t.Helper()
	r, err := Verify(context.Background(), f.pool, f.pub())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// eventually polls cond until it succeeds or a generous deadline passes (the machine is slow and shared).
func eventually(t testing.TB, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func testRecord(i int, client, service string) Record {
	now := time.Now()
	return Record{
		MessageID: fmt.Sprintf("msg-%d", i), Direction: Request, Client: client, Service: service,
		Endpoint: "/govstack.registries.v1.RegistriesService/ReadRecord", Method: "GET",
		Path:    fmt.Sprintf("/r1/GOVSTACK/GOV/GOVSTACK/registries/registries/data/%d", i),
		Started: now, Finished: now.Add(time.Millisecond), Status: 200, Size: int64(i), TraceID: "t", CorrID: "c",
	}
}

func chainReport(t testing.TB, r Report, chain string) ChainReport {
	t.Helper()
	for _, c := range r.Chains {
		if c.Chain == chain {
			return c
		}
	}
	t.Fatalf("no chain %s in the report", chain)
	return ChainReport{}
}

func mustOK(t testing.TB, r Report) {
	t.Helper()
	for _, c := range r.Chains {
		if c.Problem != nil {
			t.Fatalf("chain %s broken: seq %d %s: %s", c.Chain, c.Problem.Seq, c.Problem.Kind, c.Problem.Detail)
		}
	}
}
