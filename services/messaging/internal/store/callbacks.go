package store

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/messaging/internal/app"
)

// ClaimCallbacks takes up to n due reports and pushes their next attempt lease ahead, so a crash mid-POST
// retries the report after lease instead of losing it.
func (s *Store) ClaimCallbacks(ctx context.Context, n int, lease time.Duration) ([]app.OutgoingCallback, error) {
	rows, err := s.pool.Query(ctx, `WITH due AS (
			SELECT id FROM outgoing_callback WHERE done_at IS NULL AND next_attempt_at <= now()
			ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
		UPDATE outgoing_callback c SET attempts = c.attempts + 1, next_attempt_at = now() + $2::interval
		FROM due WHERE c.id = due.id RETURNING c.id, c.uri, c.payload, c.attempts`, n, lease.String())
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (app.OutgoingCallback, error) {
		var c app.OutgoingCallback
		err := r.Scan(&c.ID, &c.URI, &c.Report, &c.Attempts)
		return c, err
	})
	return out, pgstore.MapError(err)
}

// FinishCallback marks a report sent, or schedules its next attempt (giving up, done with an error, when
// next is zero).
func (s *Store) FinishCallback(ctx context.Context, id int64, sent bool, next time.Time, errText string) error {
	var err error
	switch {
	case sent:
		_, err = s.pool.Exec(ctx, `UPDATE outgoing_callback SET done_at = now(), last_error = '' WHERE id = $1`, id)
	case next.IsZero():
		_, err = s.pool.Exec(ctx, `UPDATE outgoing_callback SET done_at = now(), last_error = $2 WHERE id = $1`, id, errText)
	default:
		_, err = s.pool.Exec(ctx, `UPDATE outgoing_callback SET next_attempt_at = $2, last_error = $3 WHERE id = $1`, id, next, errText)
	}
	return pgstore.MapError(err)
}
