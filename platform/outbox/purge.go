package outbox

import (
	"context"
	"time"
)

// purgeBatch bounds one DELETE so a large backlog is trimmed in short transactions, not one long lock.
const purgeBatch = 5000

// purgeEvery is how often Run trims the table; published rows only need to go eventually.
const purgeEvery = 10 * time.Minute

// Purge deletes published rows older than the retention (RelayOptions.Retention) and reports how many went.
// Pending rows are never touched. Replicas may purge at the same time: each DELETE skips rows another holds.
func (r *Relay) Purge(ctx context.Context) (int64, error) {
	if r.opts.Retention < 0 {
		return 0, nil
	}
	var total int64
	for {
		tag, err := r.pool.Exec(ctx, `
			DELETE FROM outbox WHERE id IN (
				SELECT id FROM outbox
				WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1)
				LIMIT $2 FOR UPDATE SKIP LOCKED)`, r.opts.Retention.Seconds(), purgeBatch)
		if err != nil {
			return total, err
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < purgeBatch {
			return total, nil
		}
	}
}

// maybePurge runs Purge when purgeEvery has passed since the last one; a failure is only logged, since
// trimming old rows must never hold up publishing.
func (r *Relay) maybePurge(ctx context.Context, last *time.Time) {
	if time.Since(*last) < purgeEvery {
		return
	}
	*last = time.Now()
	n, err := r.Purge(ctx)
	if err != nil {
		r.log.WarnContext(ctx, "outbox purge failed", "error", err)
		return
	}
	if n > 0 {
		r.log.InfoContext(ctx, "outbox purged published events", "count", n, "retention", r.opts.Retention)
	}
}
