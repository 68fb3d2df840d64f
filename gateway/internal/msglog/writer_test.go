package msglog

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestWriterChainsSignsAndVerifies(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{BatchSize: 7}, true)
	w := f.log.Writer()
	for i := range 50 {
		if !w.Append(testRecord(i, "EE/GOV/1/app", "EE/GOV/2/reg/registries")) {
			t.Fatal("Append dropped a record with an empty queue")
		}
	}
	f.waitRecords(t, 50)
	r := f.verify(t)
	mustOK(t, r)
	c := chainReport(t, r, w.Chain())
	if c.Records != 50 || c.HeadSeq != 50 || c.Kind != "message" {
		t.Fatalf("chain report %+v, want 50 records and head 50", c)
	}
	if got := testutil.ToFloat64(w.m.written); got != 50 {
		t.Fatalf("written metric %v, want 50", got)
	}
	// The stored record reads back exactly as sealed: nothing is lost in the round trip.
	rows, err := f.pool.Query(context.Background(), "SELECT "+columnList()+" FROM im_msglog_record WHERE seq = 3")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rows.Next()
	var rec Record
	if err := scanRecord(rows, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Path != "/r1/GOVSTACK/GOV/GOVSTACK/registries/registries/data/2" || !bytes.Equal(hashOf(&rec), rec.Hash) {
		t.Fatalf("record 3 = %+v", rec)
	}
}

func TestVerifyRejectsAnUntrustedKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	f.log.Writer().Append(testRecord(1, "EE/GOV/1/app", ""))
	f.waitRecords(t, 1)
	other := newFixture(t, Options{}, false) // a different key
	r, err := Verify(context.Background(), f.pool, other.pub())
	if err != nil {
		t.Fatal(err)
	}
	c := chainReport(t, r, f.log.Writer().Chain())
	if c.Problem == nil || c.Problem.Kind != UnknownKey || c.Problem.Seq != 1 {
		t.Fatalf("problem %+v, want unknown-key at 1", c.Problem)
	}
}

// A full queue drops after the bounded wait, counts the drop, and the next record written carries it in
// the signed chain, so Verify reports it.
func TestDropsAreCountedAndRecordedInTheChain(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{QueueSize: 2, AppendWait: 1}, false)
	w := f.log.Writer()
	for i := range 5 {
		w.Append(testRecord(i, "EE/GOV/1/app", ""))
	}
	if got := testutil.ToFloat64(w.m.dropped); got != 3 {
		t.Fatalf("dropped metric %v, want 3", got)
	}
	f.start(t)
	f.waitRecords(t, 2)
	r := f.verify(t)
	mustOK(t, r)
	if c := chainReport(t, r, w.Chain()); c.Dropped != 3 {
		t.Fatalf("report says %d dropped, want 3", c.Dropped)
	}
	var buf bytes.Buffer
	WriteReport(&buf, r)
	if !bytes.Contains(buf.Bytes(), []byte("3 records dropped by the writer")) {
		t.Fatalf("report does not mention the drops:\n%s", buf.String())
	}
}

// Run drains what is queued when its context ends.
func TestRunDrainsOnShutdown(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{QueueSize: 500}, false)
	w := f.log.Writer()
	for i := range 300 {
		w.Append(testRecord(i, "EE/GOV/1/app", ""))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // already over: Run must still write all 300
	if err := f.log.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "chain_id = $1", w.Chain()); n != 300 {
		t.Fatalf("%d records after shutdown, want 300", n)
	}
	if w.Append(testRecord(1, "", "")) {
		t.Fatal("Append after shutdown was accepted")
	}
	mustOK(t, f.verify(t))
}

// Two replicas (two logs with their own keys on one database) write their own chains side by side; the log
// verifies with both public keys.
func TestReplicasWriteTheirOwnChains(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{BatchSize: 5}, true)
	_, key2, _ := ed25519.GenerateKey(rand.Reader)
	l2, err := OpenWithKey(context.Background(), f.pool, key2, Options{BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l2.Run(ctx) }()
	for i := range 40 {
		f.log.Writer().Append(testRecord(i, "EE/GOV/1/app", ""))
		l2.Writer().Append(testRecord(i, "EE/GOV/2/app", ""))
	}
	audit(t, f, "EE/GOV/1/admin", "a", "1", nil)
	if err := pgx.BeginFunc(context.Background(), f.pool, func(tx pgx.Tx) error {
		return l2.Audit(context.Background(), tx, "EE/GOV/1/admin", "b", "2", nil)
	}); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	f.waitRecords(t, 40)
	r, err := Verify(context.Background(), f.pool, f.pub(), l2.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	mustOK(t, r)
	if c := chainReport(t, r, l2.Writer().Chain()); c.Records != 40 {
		t.Fatalf("second replica's chain has %d records, want 40", c.Records)
	}
	if c := chainReport(t, r, auditChain); c.Records != 2 {
		t.Fatalf("audit chain has %d records, want 2 (one per replica)", c.Records)
	}
}

// One request with bytes Postgres cannot store must not stop the log (issue 12): the record is kept with
// the value quoted, and the 100 records after it are written.
func TestHostileBytesDoNotStopTheLog(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{BatchSize: 16}, true)
	w := f.log.Writer()
	hostile := testRecord(0, "EE/GOV/1/app\xff", "")
	hostile.Path, hostile.CorrID = "/\x00", "a\x00b"
	w.Append(hostile)
	q := testRecord(1, "EE/GOV/1/app", "")
	q.Path = "/a?b"
	w.Append(q)
	for i := range 100 {
		w.Append(testRecord(i+2, "EE/GOV/1/app", ""))
	}
	f.waitRecords(t, 102)
	mustOK(t, f.verify(t))
	var path, client string
	if err := f.pool.QueryRow(context.Background(), `SELECT path, client FROM im_msglog_record WHERE seq = 1 AND chain_id = $1`,
		w.Chain()).Scan(&path, &client); err != nil {
		t.Fatal(err)
	}
	if path != `"/\x00"` || client != `"EE/GOV/1/app\xff"` {
		t.Errorf("stored path %s, client %s; want them quoted", path, client)
	}
	if err := w.Ready(); err != nil {
		t.Errorf("Ready = %v after the writes went through", err)
	}
}

// A record Postgres refuses outright is set aside — counted, and noted in the chain as dropped — and the
// records around it are written.
func TestARecordPostgresRefusesIsSetAside(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{BatchSize: 8}, false)
	w := f.log.Writer()
	w.Append(testRecord(0, "EE/GOV/1/app", ""))
	bad := testRecord(1, "EE/GOV/1/app", "")
	bad.Direction = "sideways" // refused by the table's CHECK constraint
	w.Append(bad)
	for i := range 5 {
		w.Append(testRecord(i+2, "EE/GOV/1/app", ""))
	}
	f.start(t)
	f.waitRecords(t, 7) // the six, and in the refused one's place the note that says one was set aside
	if got := testutil.ToFloat64(w.m.rejected); got != 1 {
		t.Fatalf("rejected metric %v, want 1", got)
	}
	r := f.verify(t)
	mustOK(t, r)
	if c := chainReport(t, r, w.Chain()); c.Dropped != 1 || c.Records != 7 {
		t.Fatalf("report %+v, want 7 records and 1 dropped", c)
	}
	if n := f.count(t, "chain_id = $1 AND direction = 'note' AND dropped = 1 AND seq = 2", w.Chain()); n != 1 {
		t.Fatal("the note of the record set aside is not where the record would have been")
	}
	if err := w.Ready(); err != nil {
		t.Errorf("Ready = %v: one refused record must not make the log look stalled", err)
	}
}

// When Postgres refuses every record — a revoked privilege, a read-only server, or a trigger or constraint
// an operator added that looks like the records' fault — nothing is set aside: the writer is stalled (not
// ready) and keeps the records until writing works again, then writes them all.
func TestALogThatRefusesEveryRecordStallsInsteadOfDropping(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, errcode string }{
		{"privilege revoked", "insufficient_privilege"},            // 42501: what REVOKE INSERT gives a non-owner
		{"looks like the data's fault", "invalid_parameter_value"}, // 22023: class 22, as a bad record's
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Options{BatchSize: 4}, true)
			w := f.log.Writer()
			w.Append(testRecord(0, "EE/GOV/1/app", ""))
			f.waitRecords(t, 1)
			refuseWrites(t, f, tc.errcode)
			for i := range 5 {
				w.Append(testRecord(i+1, "EE/GOV/1/app", ""))
			}
			eventually(t, func() error {
				if w.Ready() == nil {
					return errorf("Ready = nil while every write is refused")
				}
				return nil
			})
			allowWrites(t, f)
			f.waitRecords(t, 6)
			eventually(t, func() error { return w.Ready() })
			if got := testutil.ToFloat64(w.m.rejected); got != 0 {
				t.Errorf("%v records set aside, want none: they were the log's trouble, not theirs", got)
			}
			r := f.verify(t)
			mustOK(t, r)
			if c := chainReport(t, r, w.Chain()); c.Dropped != 0 {
				t.Errorf("report %+v, want nothing dropped", c)
			}
		})
	}
}

// refuseWrites makes Postgres refuse every new record of the log with the SQLSTATE named errcode.
func refuseWrites(t *testing.T, f *fixture, errcode string) {
	t.Helper()
	_, err := f.pool.Exec(context.Background(), `
		CREATE OR REPLACE FUNCTION refuse_msglog() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'writes refused by the test' USING ERRCODE = '`+errcode+`'; END $$;
		CREATE TRIGGER refuse_msglog BEFORE INSERT ON im_msglog_record FOR EACH ROW EXECUTE FUNCTION refuse_msglog()`)
	if err != nil {
		t.Fatal(err)
	}
}

func allowWrites(t *testing.T, f *fixture) {
	t.Helper()
	if _, err := f.pool.Exec(context.Background(), `DROP TRIGGER refuse_msglog ON im_msglog_record`); err != nil {
		t.Fatal(err)
	}
}

// Drops that no later record carries are written as a note of their own as soon as the log can be written,
// so verify-log shows them even when the traffic stopped (issue 12).
func TestDropsAreNotedWithoutFurtherTraffic(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	w := f.log.Writer()
	w.Append(testRecord(0, "EE/GOV/1/app", ""))
	f.waitRecords(t, 1)
	for range 3 {
		w.drop("the message log queue is full") // what Append does when the queue stays full
	}
	f.waitRecords(t, 2) // no request comes: the note carries the drops
	r := f.verify(t)
	mustOK(t, r)
	if c := chainReport(t, r, w.Chain()); c.Dropped != 3 {
		t.Fatalf("report %+v, want 3 dropped", c)
	}
	if n := f.count(t, "direction = 'note' AND dropped = 3"); n != 1 {
		t.Fatalf("%d notes carrying the 3 drops, want 1", n)
	}
}
