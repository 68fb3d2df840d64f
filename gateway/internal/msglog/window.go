package msglog

import (
	"context"
	"fmt"
	"time"
)

// Window bounds a verification's work, for a check run on request (the IM's REST API) rather than by an
// operator with time to spare: only the records logged in [From, To) are walked, at most MaxRecords in all.
// Each chain's walk starts one record before the window, so the first record's link is checked too; a walk
// that reaches the chain's head also checks the tail and the checkpoint, as the full verification does.
type Window struct {
	From, To   time.Time
	MaxRecords int64

	used         int64
	limitReached bool
}

// startSeq is the sequence number a chain's walk starts at: the chain's first kept record without a window;
// with one, the record before the first one logged in it, or -1 when the chain has no record in it.
func (w *Window) startSeq(ctx context.Context, db Querier, c *ChainReport) (int64, error) {
	if w == nil {
		return c.FirstSeq, nil
	}
	rows, err := db.Query(ctx, `SELECT min(seq) FROM im_msglog_record WHERE chain_id = $1 AND logged_at >= $2 AND logged_at < $3`,
		c.Chain, w.From, w.To)
	if err != nil {
		return 0, fmt.Errorf("msglog: find the window in chain %s: %w", c.Chain, err)
	}
	defer rows.Close()
	var first *int64
	for rows.Next() {
		if err := rows.Scan(&first); err != nil {
			return 0, fmt.Errorf("msglog: find the window in chain %s: %w", c.Chain, err)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("msglog: find the window in chain %s: %w", c.Chain, err)
	}
	if first == nil {
		c.Partial = true
		return -1, nil
	}
	return max(c.FirstSeq, *first-1), nil
}

// stops reports whether the walk ends before r: r is logged after the window, or the record limit is spent.
func (w *Window) stops(r *Record) bool {
	if w == nil {
		return false
	}
	if !r.LoggedAt.Before(w.To) {
		return true
	}
	if w.used >= w.MaxRecords {
		w.limitReached = true
		return true
	}
	w.used++
	return false
}
