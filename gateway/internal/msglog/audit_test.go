package msglog

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Concurrent admin changes serialise on the audit chain head: one chain, no fork, every record verifies.
func TestAuditConcurrentChangesShareOneChain(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, false)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			errs <- pgx.BeginFunc(context.Background(), f.pool, func(tx pgx.Tx) error {
				return f.log.Audit(context.Background(), tx, "EE/GOV/1/admin", "rights.allow", fmt.Sprint(i), map[string]any{"i": i})
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	r := f.verify(t)
	mustOK(t, r)
	if c := chainReport(t, r, auditChain); c.Records != 40 || c.HeadSeq != 40 {
		t.Fatalf("audit chain %+v, want 40 records", c)
	}
	var detail, actor string
	if err := f.pool.QueryRow(context.Background(), `SELECT actor, detail FROM im_msglog_record WHERE chain_id = 'audit' AND target = '7'`).
		Scan(&actor, &detail); err != nil {
		t.Fatal(err)
	}
	if actor != "EE/GOV/1/admin" || detail != `{"i":7}` {
		t.Fatalf("audit record actor %q detail %q", actor, detail)
	}
}

// The audit record commits with the change or not at all.
func TestAuditRollsBackWithTheChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, false)
	boom := errors.New("the change failed")
	err := pgx.BeginFunc(context.Background(), f.pool, func(tx pgx.Tx) error {
		if err := f.log.Audit(context.Background(), tx, "EE/GOV/1/admin", "service.disable", "x", nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	audit(t, f, "EE/GOV/1/admin", "service.enable", "x", nil)
	r := f.verify(t)
	mustOK(t, r)
	if c := chainReport(t, r, auditChain); c.Records != 1 {
		t.Fatalf("audit chain has %d records, want 1 (the rolled back one must not count)", c.Records)
	}
}

// Retention deletes a prefix of every chain and the chains still verify from their oldest kept record;
// deleting a kept record after the purge is still found.
func TestPurgeKeepsChainsVerifiable(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{BatchSize: 10}, true)
	w := f.log.Writer()
	for i := range 30 {
		w.Append(testRecord(i, "EE/GOV/1/app", ""))
	}
	audit(t, f, "EE/GOV/1/admin", "a", "1", nil)
	f.waitRecords(t, 30)
	var cutoff time.Time
	if err := f.pool.QueryRow(context.Background(), `SELECT logged_at + interval '1 microsecond' FROM im_msglog_record WHERE chain_id = $1 AND seq = 12`, w.Chain()).Scan(&cutoff); err != nil {
		t.Fatal(err)
	}
	n, err := f.log.Purge(context.Background(), cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if n < 12 {
		t.Fatalf("purged %d, want at least the 12 oldest message records", n)
	}
	if got := f.count(t, "action = 'msglog.purge' AND actor = 'gateway'"); got != 1 {
		t.Fatalf("%d purge audit records, want 1", got)
	}
	r := f.verify(t)
	mustOK(t, r)
	c := chainReport(t, r, w.Chain())
	if c.FirstSeq < 13 || c.Records != 30-(c.FirstSeq-1) {
		t.Fatalf("after purge: %+v", c)
	}
	// An attacker deleting the oldest kept record is not mistaken for retention.
	if _, err := f.pool.Exec(context.Background(), `DELETE FROM im_msglog_record WHERE chain_id = $1 AND seq = $2`, w.Chain(), c.FirstSeq); err != nil {
		t.Fatal(err)
	}
	c = chainReport(t, f.verify(t), w.Chain())
	if c.Problem == nil || c.Problem.Kind != Missing {
		t.Fatalf("deleting the oldest kept record went unnoticed: %+v", c)
	}
}
