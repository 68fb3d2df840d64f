package msglog

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
)

// anchored starts a log whose checkpoints go to an in-process JetStream, every 10 ms.
func anchored(t *testing.T) (*fixture, *JetStreamCheckpoints) {
	t.Helper()
	_, js := natstest.Start(t)
	cps, err := OpenCheckpoints(context.Background(), js, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return newFixture(t, Options{Checkpoints: cps, CheckpointEvery: 10 * time.Millisecond}, true), cps
}

// waitAnchored polls until the chain's latest checkpoint is at seq.
func waitAnchored(t *testing.T, cps *JetStreamCheckpoints, chain string, seq int64) map[string]Checkpoint {
	t.Helper()
	var latest map[string]Checkpoint
	eventually(t, func() error {
		var err error
		if latest, err = cps.Latest(context.Background()); err != nil {
			return err
		}
		if latest[chain].Seq != seq {
			return errorf("checkpoint at %d, want %d", latest[chain].Seq, seq)
		}
		return nil
	})
	return latest
}

// Deleting the last records and moving the chain head back leaves a valid-looking chain: only the
// checkpoint kept outside the database shows the cut (issue 12).
func TestTruncatedTailIsReported(t *testing.T) {
	t.Parallel()
	f, cps := anchored(t)
	w := f.log.Writer()
	for i := range 20 {
		w.Append(testRecord(i, "EE/GOV/1/app", ""))
	}
	f.waitRecords(t, 20)
	latest := waitAnchored(t, cps, w.Chain(), 20)
	opts := VerifyOptions{Keys: []TrustedKey{{Public: f.pub()}}, Checkpoints: latest}
	r, err := VerifyWith(context.Background(), f.pool, opts)
	if err != nil {
		t.Fatal(err)
	}
	mustOK(t, r)

	// The attacker: cut records 16..20 and move the head back to 15, consistently.
	ctx := context.Background()
	if _, err := f.pool.Exec(ctx, `DELETE FROM im_msglog_record WHERE chain_id = $1 AND seq > 15`, w.Chain()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE im_msglog_chain SET head_seq = 15,
		head_hash = (SELECT hash FROM im_msglog_record WHERE chain_id = $1 AND seq = 15) WHERE chain_id = $1`, w.Chain()); err != nil {
		t.Fatal(err)
	}
	if plain, _ := Verify(ctx, f.pool, f.pub()); !plain.OK() {
		t.Fatal("without checkpoints the cut chain should look intact — the hole this test is about")
	}
	r, err = VerifyWith(ctx, f.pool, opts)
	if err != nil {
		t.Fatal(err)
	}
	c := chainReport(t, r, w.Chain())
	if c.Problem == nil || c.Problem.Kind != Truncated || c.Problem.Seq != 16 {
		t.Fatalf("problem %+v, want truncated at 16", c.Problem)
	}
	var out bytes.Buffer
	WriteReport(&out, r)
	if !strings.Contains(out.String(), "records 16..20 were removed") {
		t.Errorf("report:\n%s", out.String())
	}

	// Deleting the whole chain is a truncation too.
	if _, err := f.pool.Exec(ctx, `DELETE FROM im_msglog_record WHERE chain_id = $1`, w.Chain()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `DELETE FROM im_msglog_chain WHERE chain_id = $1`, w.Chain()); err != nil {
		t.Fatal(err)
	}
	r, _ = VerifyWith(ctx, f.pool, opts)
	if c := chainReport(t, r, w.Chain()); c.Problem == nil || c.Problem.Kind != Truncated {
		t.Fatalf("a deleted chain: %+v", c.Problem)
	}
}

func TestForgedCheckpointIsReported(t *testing.T) {
	t.Parallel()
	f, cps := anchored(t)
	w := f.log.Writer()
	w.Append(testRecord(1, "EE/GOV/1/app", ""))
	f.waitRecords(t, 1)
	latest := waitAnchored(t, cps, w.Chain(), 1)
	cp := latest[w.Chain()]
	cp.Seq = 1000 // "the chain was longer": a checkpoint nobody signed
	latest[w.Chain()] = cp
	r, err := VerifyWith(context.Background(), f.pool, VerifyOptions{Keys: []TrustedKey{{Public: f.pub()}}, Checkpoints: latest})
	if err != nil {
		t.Fatal(err)
	}
	if c := chainReport(t, r, w.Chain()); c.Problem == nil || c.Problem.Kind != BadCheckpoint {
		t.Fatalf("problem %+v, want bad-checkpoint", c.Problem)
	}
}

// A log signed across a key rotation verifies with the keyring, which keeps every key with its period; a
// record signed by the old key after the rotation is reported (issue 12).
func TestRotationVerifiesWithTheKeyring(t *testing.T) {
	t.Parallel()
	ring := filepath.Join(t.TempDir(), "message-log.key.keyring")
	old := newFixture(t, Options{Keyring: ring}, true)
	for i := range 3 {
		old.log.Writer().Append(testRecord(i, "EE/GOV/1/app", ""))
	}
	old.waitRecords(t, 3)
	audit(t, old, "EE/GOV/1/admin", "rights.allow", "x", nil)

	// Rotation: the same database, a new key (a new process, a new chain); the keyring closes the old key.
	_, key2, _ := ed25519.GenerateKey(rand.Reader)
	l2, err := OpenWithKey(context.Background(), old.pool, key2, Options{Keyring: ring})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l2.Run(ctx) }()
	for i := range 3 {
		l2.Writer().Append(testRecord(i, "EE/GOV/1/app", ""))
	}
	audit(t, &fixture{pool: old.pool, log: l2}, "EE/GOV/1/admin", "rights.deny", "x", nil)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	keys, err := ReadKeyring(ring)
	if err != nil || len(keys) != 2 || keys[0].Until.IsZero() || !keys[1].Until.IsZero() {
		t.Fatalf("keyring %+v, %v", keys, err)
	}
	r, err := VerifyWith(context.Background(), old.pool, VerifyOptions{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	mustOK(t, r) // the audit chain holds records of both keys

	// The retired key signs again, a day later: the record verifies cryptographically but is out of period.
	late := testRecord(9, "EE/GOV/1/app", "")
	late.LoggedAt = time.Now().Add(24 * time.Hour)
	if err := forgeAppend(context.Background(), old, late); err != nil {
		t.Fatal(err)
	}
	r, _ = VerifyWith(context.Background(), old.pool, VerifyOptions{Keys: keys})
	if c := chainReport(t, r, old.log.Writer().Chain()); c.Problem == nil || c.Problem.Kind != OutOfPeriod {
		t.Fatalf("problem %+v, want key-out-of-period", c.Problem)
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// forgeAppend appends rec to f's chain signed with f's key, as someone holding that key would.
func forgeAppend(ctx context.Context, f *fixture, rec Record) error {
	chain := f.log.Writer().Chain()
	var seq int64
	var hash []byte
	if err := f.pool.QueryRow(ctx, `SELECT head_seq, head_hash FROM im_msglog_chain WHERE chain_id = $1`, chain).Scan(&seq, &hash); err != nil {
		return err
	}
	seal(&rec, chain, seq+1, hash, f.key, KeyID(f.pub()))
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if err := insertRecords(ctx, tx, seq, []Record{rec}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// A clean stop anchors the last word of every chain, however long the checkpoint interval: the message
// chain's last records (written while the log drains) and the audit chain's head.
func TestAStopAnchorsTheLastRecords(t *testing.T) {
	t.Parallel()
	_, js := natstest.Start(t)
	cps, err := OpenCheckpoints(context.Background(), js, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, Options{Checkpoints: cps, CheckpointEvery: time.Hour}, false)
	w := f.log.Writer()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.log.Run(ctx) }()
	w.Append(testRecord(0, "EE/GOV/1/app", ""))
	waitAnchored(t, cps, w.Chain(), 1) // the first checkpoint comes at once; the next not for an hour
	audit(t, f, "EE/GOV/1/admin", "rights.allow", "x", nil)
	for i := range 3 {
		w.Append(testRecord(i+1, "EE/GOV/1/app", ""))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	latest, err := cps.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := latest[w.Chain()].Seq; got != 4 {
		t.Errorf("the message chain's checkpoint after the stop is at %d, want its last record 4", got)
	}
	if got := latest[auditChain].Seq; got != 1 {
		t.Errorf("the audit chain's checkpoint after the stop is at %d, want its head 1", got)
	}
}
