package msglog

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SystemActor is the audit actor of changes the gateway makes on its own (retention).
const SystemActor = "gateway"

// Purge deletes the records logged before cutoff and returns how many. It deletes a prefix of every chain
// (logged_at never goes backwards within a chain) and moves the chain's first_seq past it, so Verify checks
// each chain from its oldest kept record, whose stored previous hash is covered by its signature.
func (l *Log) Purge(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT chain_id, max(seq) FROM im_msglog_record WHERE logged_at < $1 GROUP BY chain_id ORDER BY chain_id`, cutoff)
		if err != nil {
			return err
		}
		type cut struct {
			chain string
			seq   int64
		}
		cuts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (cut, error) {
			var c cut
			return c, row.Scan(&c.chain, &c.seq)
		})
		if err != nil {
			return err
		}
		for _, c := range cuts {
			// Lock the head row first (in chain order, so two replicas purging at once cannot deadlock): the
			// audit chain may be appended to concurrently.
			if _, err := tx.Exec(ctx, `SELECT 1 FROM im_msglog_chain WHERE chain_id = $1 FOR UPDATE`, c.chain); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `DELETE FROM im_msglog_record WHERE chain_id = $1 AND seq <= $2`, c.chain, c.seq)
			if err != nil {
				return err
			}
			n += tag.RowsAffected()
			if _, err := tx.Exec(ctx, `UPDATE im_msglog_chain SET first_seq = $2 + 1 WHERE chain_id = $1 AND first_seq <= $2`, c.chain, c.seq); err != nil {
				return err
			}
		}
		if n == 0 {
			return nil
		}
		// The purge itself goes to the audit log, so deleted records are accounted for.
		return l.Audit(ctx, tx, SystemActor, "msglog.purge", "", map[string]any{"before": cutoff.UTC(), "records": n, "chains": len(cuts)})
	})
	if err != nil {
		return 0, fmt.Errorf("msglog: purge: %w", err)
	}
	return n, nil
}
