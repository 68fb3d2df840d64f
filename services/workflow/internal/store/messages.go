package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
)

// LockMessageKey takes a transaction-scoped advisory lock on a message name and correlation key.
func (r queries) LockMessageKey(ctx context.Context, name, key string) error {
	_, err := r.q.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('workflow-message:' || length($1) || ':' || $1 || $2, 0))`, name, key)
	return pgstore.MapError(err)
}

// InsertMessage stores a message unless its message id was stored before (then that one is returned).
func (r queries) InsertMessage(ctx context.Context, m app.Message) (app.Message, bool, error) {
	vars, err := json.Marshal(orEmpty(m.Variables))
	if err != nil {
		return m, false, err
	}
	tag, err := r.q.Exec(ctx, `INSERT INTO message (id, name, correlation_key, message_id, variables, expires_at)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, m.ID, m.Name, m.CorrelationKey, nullable(m.MessageID), vars, m.ExpiresAt)
	if err != nil {
		return m, false, pgstore.MapError(err)
	}
	if tag.RowsAffected() == 1 {
		return m, true, nil
	}
	err = r.q.QueryRow(ctx, `SELECT id::text FROM message WHERE name = $1 AND message_id = $2`, m.Name, m.MessageID).Scan(&m.ID)
	return m, false, pgstore.MapError(err)
}

// Subscriptions are the open subscriptions for name and key, oldest first.
func (r queries) Subscriptions(ctx context.Context, name, key string) ([]app.Subscription, error) {
	rows, err := r.q.Query(ctx, `SELECT id::text, instance_id::text, element_id, message_name, correlation_key FROM subscription
WHERE message_name = $1 AND correlation_key = $2 ORDER BY created_at, id`, name, key)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.Subscription, error) {
		var s app.Subscription
		return s, row.Scan(&s.ID, &s.InstanceID, &s.ElementID, &s.Name, &s.CorrelationKey)
	})
	return out, pgstore.MapError(err)
}

// BufferedMessage is the oldest live message for name and key that has not reached instanceID.
func (r queries) BufferedMessage(ctx context.Context, name, key, instanceID string, now time.Time) (app.Message, bool, error) {
	var m app.Message
	var vars []byte
	err := r.q.QueryRow(ctx, `SELECT m.id::text, m.name, m.correlation_key, coalesce(m.message_id, ''), m.variables, m.expires_at
FROM message m WHERE m.name = $1 AND m.correlation_key = $2 AND m.expires_at > $4
AND NOT EXISTS (SELECT 1 FROM message_correlation c WHERE c.message = m.id AND c.instance_id = $3)
ORDER BY m.published_at, m.id LIMIT 1`, name, key, instanceID, now).Scan(&m.ID, &m.Name, &m.CorrelationKey, &m.MessageID, &vars, &m.ExpiresAt)
	if err == pgx.ErrNoRows {
		return m, false, nil
	}
	if err != nil {
		return m, false, pgstore.MapError(err)
	}
	return m, true, json.Unmarshal(vars, &m.Variables)
}

// RecordCorrelation notes that a message reached an instance; false when it already had.
func (r queries) RecordCorrelation(ctx context.Context, messageID, instanceID string) (bool, error) {
	tag, err := r.q.Exec(ctx, `INSERT INTO message_correlation (message, instance_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, messageID, instanceID)
	return err == nil && tag.RowsAffected() == 1, pgstore.MapError(err)
}

// PurgeMessages deletes messages that expired before before, with the record of whom they reached.
func (s *Store) PurgeMessages(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM message_correlation WHERE message IN (SELECT id FROM message WHERE expires_at < $1)`, before); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM message WHERE expires_at < $1`, before)
		n = tag.RowsAffected()
		return err
	})
	return n, pgstore.MapError(err)
}
