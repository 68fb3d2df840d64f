package msglog

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
)

// Querier is what Verify reads through: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

type txBeginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// ProblemKind classifies the first broken record of a chain.
type ProblemKind string

// What Verify can find.
const (
	Missing      ProblemKind = "missing"       // a sequence number has no record (deleted, or never written)
	BrokenLink   ProblemKind = "broken-link"   // the record's previous hash is not the previous record's hash
	Tampered     ProblemKind = "tampered"      // the record's content does not match its hash
	BadSignature ProblemKind = "bad-signature" // the hash is not signed by the key the record names
	UnknownKey   ProblemKind = "unknown-key"   // the record names a key the verifier was not given
	BeyondHead   ProblemKind = "beyond-head"   // a record after the chain's recorded head
	// OutOfPeriod: the record is signed by a key of the log's history, but logged outside that key's period
	// (a retired key used again).
	OutOfPeriod ProblemKind = "key-out-of-period"
	// Truncated: the chain ends before its latest checkpoint, or is gone: its tail was removed.
	Truncated ProblemKind = "truncated"
	// BadCheckpoint: the chain's latest checkpoint is not signed by a trusted key.
	BadCheckpoint ProblemKind = "bad-checkpoint"
)

// Problem is the first broken record of a chain.
type Problem struct {
	Seq    int64
	Kind   ProblemKind
	Detail string
}

// ChainReport is what Verify found in one chain.
type ChainReport struct {
	Chain    string
	Kind     string // message or audit
	FirstSeq int64  // the oldest kept sequence number (older ones were purged by retention)
	HeadSeq  int64
	Records  int64    // records checked
	Dropped  int64    // records the writer dropped (queue full), as noted in the chain
	Problem  *Problem // nil when the chain is intact
	// Anchored is the sequence number of the chain's latest checkpoint the walk was compared with (0: none).
	Anchored int64
	// Partial: a Window ended the walk before the chain's head, so the tail and checkpoint were not compared.
	Partial bool
}

// Report is the result of verifying every chain.
type Report struct {
	Chains []ChainReport
	// CheckpointsChecked is false when the checkpoints could not be read: a cut tail would not show.
	CheckpointsChecked bool
	CheckpointsNote    string // why they were not checked
	// LimitReached: the Window's record limit stopped the walk; later records were not checked.
	LimitReached bool
}

// VerifyOptions say what Verify trusts.
type VerifyOptions struct {
	Keys []TrustedKey // every key of the log's history (ReadKeyring), each valid in its period
	// Checkpoints are the latest checkpoint per chain (Checkpoints.Latest); nil when they could not be read,
	// and CheckpointsNote says why.
	Checkpoints     map[string]Checkpoint
	CheckpointsNote string
	// Window, when set, bounds the work: only the records logged in its time range are walked (window.go).
	Window *Window
}

// OK reports whether every chain is intact.
func (r Report) OK() bool {
	for _, c := range r.Chains {
		if c.Problem != nil {
			return false
		}
	}
	return true
}

// Verify walks every chain in sequence order, recomputes each record's hash, checks the link to the
// previous record and the signature, and reports the first broken record per chain. keys are the trusted
// public keys (every replica's); a record signed by any other key is reported.
//
// Given a pool or connection, Verify reads in one repeatable-read snapshot, so records the gateway writes
// while it runs are neither half seen nor mistaken for records beyond a chain's head.
func Verify(ctx context.Context, db Querier, keys ...ed25519.PublicKey) (Report, error) {
	trusted := make([]TrustedKey, len(keys))
	for i, k := range keys {
		trusted[i] = TrustedKey{Public: k}
	}
	return VerifyWith(ctx, db, VerifyOptions{Keys: trusted, CheckpointsNote: "checkpoints not given"})
}

// VerifyWith is Verify with keys that have periods and with the chains' checkpoints: a chain that ends
// before its latest checkpoint, or is gone, is reported as truncated.
func VerifyWith(ctx context.Context, db Querier, o VerifyOptions) (Report, error) {
	if b, ok := db.(txBeginner); ok {
		tx, err := b.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return Report{}, fmt.Errorf("msglog: verify: %w", err)
		}
		defer func() { _ = tx.Rollback(context.Background()) }()
		db = tx
	}
	trusted := make(map[string]TrustedKey, len(o.Keys))
	for _, k := range o.Keys {
		trusted[KeyID(k.Public)] = k
	}
	chains, err := listChains(ctx, db)
	if err != nil {
		return Report{}, err
	}
	seen := map[string]bool{}
	for i := range chains {
		seen[chains[i].Chain] = true
		cp, anchored := o.Checkpoints[chains[i].Chain]
		if err := verifyChain(ctx, db, trusted, &chains[i], cp, anchored, o.Window); err != nil {
			return Report{}, err
		}
	}

	for chain, cp := range o.Checkpoints {
		if !seen[chain] {
			chains = append(chains, ChainReport{Chain: chain, Kind: "unknown", Anchored: cp.Seq, Problem: &Problem{Seq: 1, Kind: Truncated,
				Detail: fmt.Sprintf("the chain is gone from the database; its checkpoint of %s says it had %d records",
					cp.LoggedAt.Format(time.RFC3339), cp.Seq)}})
		}
	}
	return Report{Chains: chains, CheckpointsChecked: o.Checkpoints != nil, CheckpointsNote: o.CheckpointsNote,
		LimitReached: o.Window != nil && o.Window.limitReached}, nil
}

func listChains(ctx context.Context, db Querier) ([]ChainReport, error) {
	rows, err := db.Query(ctx, `SELECT chain_id, kind, first_seq, head_seq FROM im_msglog_chain ORDER BY created_at, chain_id`)
	if err != nil {
		return nil, fmt.Errorf("msglog: list chains: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ChainReport, error) {
		var c ChainReport
		err := row.Scan(&c.Chain, &c.Kind, &c.FirstSeq, &c.HeadSeq)
		return c, err
	})
}

// chainCheck is the state of one chain's walk.
type chainCheck struct {
	trusted  map[string]TrustedKey
	report   *ChainReport
	expected int64  // the next sequence number
	prev     []byte // the previous record's hash; nil before the first kept record
	hashAt   map[int64][]byte
	watch    int64 // the sequence number whose hash the checkpoint recorded
}

func verifyChain(ctx context.Context, db Querier, trusted map[string]TrustedKey, c *ChainReport, cp Checkpoint, anchored bool,
	w *Window) error {
	start, err := w.startSeq(ctx, db, c)
	if err != nil || start < 0 {
		return err // start < 0: nothing of the chain is in the window
	}
	rows, err := db.Query(ctx, `SELECT `+columnList()+` FROM im_msglog_record WHERE chain_id = $1 AND seq >= $2 ORDER BY seq`,
		c.Chain, start)
	if err != nil {
		return fmt.Errorf("msglog: read chain %s: %w", c.Chain, err)
	}
	defer rows.Close()
	check := chainCheck{trusted: trusted, report: c, expected: start, hashAt: map[int64][]byte{}, watch: -1}
	if anchored {
		check.watch = cp.Seq
	}
	var rec Record
	for rows.Next() {
		if err := scanRecord(rows, &rec); err != nil {
			return fmt.Errorf("msglog: read chain %s: %w", c.Chain, err)
		}
		if w.stops(&rec) {
			c.Partial = true
			rows.Close()
			return nil
		}
		if p := check.next(&rec); p != nil {
			c.Problem = p
			rows.Close()
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("msglog: read chain %s: %w", c.Chain, err)
	}
	if check.expected <= c.HeadSeq { // the tail up to the recorded head is gone
		c.Problem = &Problem{Seq: check.expected, Kind: Missing,
			Detail: fmt.Sprintf("records %d..%d are missing (the chain head says %d)", check.expected, c.HeadSeq, c.HeadSeq)}
		return nil
	}
	if anchored {
		c.Anchored = cp.Seq
		c.Problem = cp.checkAgainst(c, check.hashAt, trusted)
	}
	return nil
}

// next checks one record against the walk so far and returns the problem it shows, if any.
func (k *chainCheck) next(r *Record) *Problem {
	switch {
	case r.Seq < k.expected:
		return &Problem{Seq: r.Seq, Kind: Missing, Detail: fmt.Sprintf("record %d is older than the kept start %d", r.Seq, k.expected)}
	case r.Seq > k.expected:
		return &Problem{Seq: k.expected, Kind: Missing, Detail: fmt.Sprintf("no record with sequence number %d (next present is %d)", k.expected, r.Seq)}
	case r.Seq > k.report.HeadSeq:
		return &Problem{Seq: r.Seq, Kind: BeyondHead, Detail: fmt.Sprintf("record %d is after the chain head %d", r.Seq, k.report.HeadSeq)}
	case k.prev != nil && !bytes.Equal(r.PrevHash, k.prev):
		return &Problem{Seq: r.Seq, Kind: BrokenLink, Detail: "its previous hash is not the hash of record " + fmt.Sprint(r.Seq-1)}
	case k.prev == nil && r.Seq == 1 && !bytes.Equal(r.PrevHash, zeroHash):
		return &Problem{Seq: r.Seq, Kind: BrokenLink, Detail: "the first record of a chain must link to the zero hash"}
	case !bytes.Equal(hashOf(r), r.Hash):
		return &Problem{Seq: r.Seq, Kind: Tampered, Detail: "its content does not match its hash"}
	}
	key, ok := k.trusted[r.KeyID]
	if !ok {
		return &Problem{Seq: r.Seq, Kind: UnknownKey, Detail: "signed by key " + r.KeyID + ", which is not a trusted key"}
	}
	if !ed25519.Verify(key.Public, r.Hash, r.Signature) {
		return &Problem{Seq: r.Seq, Kind: BadSignature, Detail: "its signature does not verify with key " + r.KeyID}
	}
	if !key.validAt(r.LoggedAt) {
		return &Problem{Seq: r.Seq, Kind: OutOfPeriod, Detail: fmt.Sprintf("signed by key %s at %s, outside the period the keyring gives it",
			r.KeyID, r.LoggedAt.Format(time.RFC3339))}
	}
	if r.Seq == k.watch {
		k.hashAt[r.Seq] = r.Hash
	}
	k.report.Records++
	k.report.Dropped += r.Dropped
	k.prev, k.expected = r.Hash, k.expected+1
	return nil
}

func columnList() string {
	var b bytes.Buffer
	for i, c := range columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c)
	}
	return b.String()
}

// VerifyCommand verifies the whole log with o and writes a human report to out. It returns an error when
// any chain is broken, so `gateway verify-log` exits non-zero.
func VerifyCommand(ctx context.Context, db Querier, o VerifyOptions, out io.Writer) error {
	report, err := VerifyWith(ctx, db, o)
	if err != nil {
		return err
	}
	WriteReport(out, report)
	if !report.OK() {
		return errors.New("the message log failed verification: see the report above")
	}
	return nil
}

// WriteReport prints one line per chain, and the first problem of a broken chain.
func WriteReport(out io.Writer, r Report) {
	broken := 0
	for _, c := range r.Chains {
		status := "OK"
		if c.Problem != nil {
			status, broken = "BROKEN", broken+1
		}
		fmt.Fprintf(out, "%-6s %-7s chain %s: %d records verified (seq %d..%d)", status, c.Kind, c.Chain, c.Records, c.FirstSeq, c.HeadSeq)
		if c.Dropped > 0 {
			fmt.Fprintf(out, ", %d records dropped by the writer (queue full)", c.Dropped)
		}
		if c.Anchored > 0 {
			fmt.Fprintf(out, ", checkpoint at %d", c.Anchored)
		}
		fmt.Fprintln(out)
		if p := c.Problem; p != nil {
			fmt.Fprintf(out, "       first broken record: chain %s seq %d: %s: %s\n", c.Chain, p.Seq, p.Kind, p.Detail)
		}
	}
	fmt.Fprintf(out, "%d chains, %d broken\n", len(r.Chains), broken)
	if !r.CheckpointsChecked {
		fmt.Fprintf(out, "WARNING: checkpoints NOT checked (%s): a cut tail — the last records deleted and the chain head "+
			"moved back — cannot be detected\n", r.CheckpointsNote)
		return
	}
	fmt.Fprintln(out, "checkpoints: every chain was compared with its latest checkpoint (a cut tail would show)")
	unanchored := 0
	for _, c := range r.Chains {
		if c.Anchored == 0 && c.HeadSeq > 0 && c.Problem == nil {
			unanchored++
		}
	}
	if unanchored > 0 {
		fmt.Fprintf(out, "note: %d chains have records but no checkpoint (their writer stopped abruptly before its first "+
			"checkpoint, or ran without NATS): their tails are not anchored\n", unanchored)
	}
}
