package msglog

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// columns are the stored fields of a record, in the order of values and scan.
var columns = []string{
	"chain_id", "seq", "direction", "message_id", "client", "service", "endpoint", "method", "path",
	"started_at", "finished_at", "status", "size", "body_sha256", "body", "trace_id", "correlation_id",
	"actor", "action", "target", "detail", "logged_at", "key_id", "dropped", "prev_hash", "hash", "signature",
}

func values(r *Record) []any {
	return []any{
		r.Chain, r.Seq, string(r.Direction), r.MessageID, r.Client, r.Service, r.Endpoint, r.Method, r.Path,
		r.Started, r.Finished, r.Status, r.Size, nonNil(r.BodySHA), r.Body, r.TraceID, r.CorrID,
		r.Actor, r.Action, r.Target, r.Detail, r.LoggedAt, r.KeyID, r.Dropped, r.PrevHash, r.Hash, r.Signature,
	}
}

func scanRecord(row pgx.Row, r *Record) error {
	var dir string
	err := row.Scan(&r.Chain, &r.Seq, &dir, &r.MessageID, &r.Client, &r.Service, &r.Endpoint, &r.Method, &r.Path,
		&r.Started, &r.Finished, &r.Status, &r.Size, &r.BodySHA, &r.Body, &r.TraceID, &r.CorrID,
		&r.Actor, &r.Action, &r.Target, &r.Detail, &r.LoggedAt, &r.KeyID, &r.Dropped, &r.PrevHash, &r.Hash, &r.Signature)
	r.Direction = Direction(dir)
	r.Started, r.Finished, r.LoggedAt = r.Started.UTC(), r.Finished.UTC(), r.LoggedAt.UTC()
	return err
}

// nonNil stores an absent hash as an empty bytea (the column is NOT NULL).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// insertRecords copies records into the log in tx and moves the chain head to the last one, guarded by the
// head the caller chained from: a second writer on the same chain (a bug) fails instead of forking it.
func insertRecords(ctx context.Context, tx pgx.Tx, fromSeq int64, recs []Record) error {
	if len(recs) == 0 {
		return nil
	}
	rows := make([][]any, len(recs))
	for i := range recs {
		rows[i] = values(&recs[i])
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"im_msglog_record"}, columns, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("msglog: insert records: %w", err)
	}
	last := recs[len(recs)-1]
	tag, err := tx.Exec(ctx, `UPDATE im_msglog_chain SET head_seq = $2, head_hash = $3
		WHERE chain_id = $1 AND head_seq = $4`, last.Chain, last.Seq, last.Hash, fromSeq)
	if err != nil {
		return fmt.Errorf("msglog: move chain head: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("msglog: chain %s moved under the writer (another writer on the same chain?)", last.Chain)
	}
	return nil
}
