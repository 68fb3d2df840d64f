package msglog

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// tamper changes the log inside tx and returns the record Verify must name first and what it must find.
type tamper struct {
	name string
	do   func(t *testing.T, tx pgx.Tx, chain string, seq, head int64) (wantSeq int64, want ProblemKind)
}

// contentColumns are fields an attacker might change, with an SQL expression that changes each.
var contentColumns = map[string]string{
	"message_id": "message_id || 'x'", "client": "'EE/GOV/9/evil'", "service": "service || 'x'",
	"endpoint": "'/x/Y'", "path": "'/elsewhere'", "status": "status + 1", "size": "size + 1",
	"body_sha256": "sha256('forged'::bytea)", "started_at": "started_at - interval '1 second'",
	"finished_at": "finished_at + interval '1 microsecond'", "direction": "'response'", "detail": "detail || ' '",
	"actor": "'EE/GOV/9/evil'", "target": "target || 'x'", "logged_at": "logged_at + interval '1 hour'",
	"dropped": "dropped + 1", "trace_id": "'forged'", "correlation_id": "'forged'", "body": "'secret'::bytea",
}

var tampers = []tamper{
	{"update a field", func(t *testing.T, tx pgx.Tx, chain string, seq, _ int64) (int64, ProblemKind) {
		cols := keys(contentColumns)
		col := cols[mrand.IntN(len(cols))]
		exec(t, tx, fmt.Sprintf("UPDATE im_msglog_record SET %s = %s WHERE chain_id = $1 AND seq = $2", col, contentColumns[col]), chain, seq)
		return seq, Tampered
	}},
	{"delete a record", func(t *testing.T, tx pgx.Tx, chain string, seq, _ int64) (int64, ProblemKind) {
		exec(t, tx, "DELETE FROM im_msglog_record WHERE chain_id = $1 AND seq = $2", chain, seq)
		return seq, Missing
	}},
	{"delete the tail", func(t *testing.T, tx pgx.Tx, chain string, seq, _ int64) (int64, ProblemKind) {
		exec(t, tx, "DELETE FROM im_msglog_record WHERE chain_id = $1 AND seq >= $2", chain, seq)
		return seq, Missing
	}},
	{"swap two records' content", func(t *testing.T, tx pgx.Tx, chain string, seq, head int64) (int64, ProblemKind) {
		if head < 2 {
			t.Skip("chain too short")
		}
		other := seq
		for other == seq {
			other = 1 + mrand.Int64N(head)
		}
		swapContent(t, tx, chain, seq, other)
		return min(seq, other), BrokenLink
	}},
	{"corrupt a signature", func(t *testing.T, tx pgx.Tx, chain string, seq, _ int64) (int64, ProblemKind) {
		exec(t, tx, "UPDATE im_msglog_record SET signature = set_byte(signature, 7, (get_byte(signature, 7) + 1) % 256) WHERE chain_id = $1 AND seq = $2", chain, seq)
		return seq, BadSignature
	}},
	{"re-chain from a point without the key", func(t *testing.T, tx pgx.Tx, chain string, seq, _ int64) (int64, ProblemKind) {
		rechain(t, tx, chain, seq, false)
		return seq, BadSignature
	}},
	{"re-chain and re-sign with another key", func(t *testing.T, tx pgx.Tx, chain string, seq, _ int64) (int64, ProblemKind) {
		rechain(t, tx, chain, seq, true)
		return seq, UnknownKey
	}},
	{"append a forged record after the head", func(t *testing.T, tx pgx.Tx, chain string, _, head int64) (int64, ProblemKind) {
		cols := columnList()
		exec(t, tx, `INSERT INTO im_msglog_record (`+cols+`) SELECT `+strings.Replace(cols, "seq", "seq + 1", 1)+`
			FROM im_msglog_record WHERE chain_id = $1 AND seq = $2`, chain, head)
		return head + 1, BeyondHead
	}},
}

// TestEveryTamperIsFound writes a few hundred records through the writer and the audit log, then, round
// after round, tampers with a random record in a random way inside a transaction, checks Verify names the
// right first record, and rolls back (restore).
func TestEveryTamperIsFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{BatchSize: 32}, true)
	ctx := context.Background()
	for i := range 300 {
		f.log.Writer().Append(testRecord(i, fmt.Sprintf("EE/GOV/%d/app", i%5), "EE/GOV/P/reg/registries"))
	}
	for i := range 20 {
		audit(t, f, "EE/GOV/1/admin", "rights.allow", fmt.Sprintf("EE/GOV/%d/app", i), map[string]int{"n": i})
	}
	f.waitRecords(t, 300)
	mustOK(t, f.verify(t))

	chains := map[string]int64{f.log.Writer().Chain(): 300, auditChain: 20}
	names := keys(chains)
	rounds := 64
	if testing.Short() {
		rounds = 30
	}
	for round := range rounds {
		chain := names[mrand.IntN(len(names))]
		head := chains[chain]
		seq := 1 + mrand.Int64N(head)
		tp := tampers[mrand.IntN(len(tampers))]
		t.Run(fmt.Sprintf("%d/%s/%s/%d", round, tp.name, chain[:5], seq), func(t *testing.T) {
			tx, err := f.pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = tx.Rollback(ctx) }() // restore
			wantSeq, want := tp.do(t, tx, chain, seq, head)
			r, err := Verify(ctx, tx, f.pub())
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range r.Chains {
				switch {
				case c.Chain != chain && c.Problem != nil:
					t.Fatalf("untouched chain %s reported broken: %+v", c.Chain, c.Problem)
				case c.Chain == chain && c.Problem == nil:
					t.Fatalf("tamper not found")
				case c.Chain == chain && (c.Problem.Seq != wantSeq || c.Problem.Kind != want):
					t.Fatalf("found %s at %d (%s), want %s at %d", c.Problem.Kind, c.Problem.Seq, c.Problem.Detail, want, wantSeq)
				}
			}
		})
	}
	mustOK(t, f.verify(t)) // every round was rolled back
}

func exec(t *testing.T, tx pgx.Tx, sql string, args ...any) {
	t.Helper()
	tag, err := tx.Exec(context.Background(), sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	if tag.RowsAffected() == 0 {
		t.Fatalf("tamper changed nothing: %s", sql)
	}
}

// swapContent swaps everything but the position (chain, seq) of two records.
func swapContent(t *testing.T, tx pgx.Tx, chain string, a, b int64) {
	t.Helper()
	var set string
	for _, c := range columns[2:] {
		if set != "" {
			set += ", "
		}
		set += fmt.Sprintf("%s = o.%s", c, c)
	}
	exec(t, tx, `UPDATE im_msglog_record r SET `+set+`
		FROM im_msglog_record o
		WHERE r.chain_id = $1 AND o.chain_id = $1 AND ((r.seq = $2 AND o.seq = $3) OR (r.seq = $3 AND o.seq = $2))`, chain, a, b)
}

// rechain changes record seq and recomputes every hash from there to the head, as an attacker with write
// access to the database but without the signing key would. The old signatures stay (or, with resign, the
// attacker signs with a key of their own).
func rechain(t *testing.T, tx pgx.Tx, chain string, seq int64, resign bool) {
	t.Helper()
	ctx := context.Background()
	exec(t, tx, "UPDATE im_msglog_record SET client = 'EE/GOV/9/evil', actor = 'EE/GOV/9/evil' WHERE chain_id = $1 AND seq = $2", chain, seq)
	rows, err := tx.Query(ctx, "SELECT "+columnList()+" FROM im_msglog_record WHERE chain_id = $1 AND seq >= $2 ORDER BY seq", chain, seq)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Record, error) {
		var r Record
		return r, scanRecord(row, &r)
	})
	if err != nil {
		t.Fatal(err)
	}
	_, evil, _ := ed25519.GenerateKey(rand.Reader)
	var prev []byte
	var seqs []int64
	var prevs, hashes, sigs [][]byte
	var kids []string
	for _, r := range recs {
		if prev != nil {
			r.PrevHash = prev
		}
		if resign {
			r.KeyID = KeyID(evil.Public().(ed25519.PublicKey))
		}
		r.Hash = hashOf(&r)
		if resign {
			r.Signature = ed25519.Sign(evil, r.Hash)
		}
		prev = r.Hash
		seqs, prevs, hashes, sigs, kids = append(seqs, r.Seq), append(prevs, r.PrevHash), append(hashes, r.Hash),
			append(sigs, r.Signature), append(kids, r.KeyID)
	}
	exec(t, tx, `UPDATE im_msglog_record r SET prev_hash = u.prev, hash = u.hash, signature = u.sig, key_id = u.kid
		FROM unnest($2::bigint[], $3::bytea[], $4::bytea[], $5::bytea[], $6::text[]) AS u(seq, prev, hash, sig, kid)
		WHERE r.chain_id = $1 AND r.seq = u.seq`, chain, seqs, prevs, hashes, sigs, kids)
	exec(t, tx, "UPDATE im_msglog_chain SET head_hash = $2 WHERE chain_id = $1", chain, prev)
}

func audit(t testing.TB, f *fixture, actor, action, target string, detail any) {
	t.Helper()
	err := pgx.BeginFunc(context.Background(), f.pool, func(tx pgx.Tx) error {
		return f.log.Audit(context.Background(), tx, actor, action, target, detail)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	// Map order is random; sort for a stable pick given the same random numbers.
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
