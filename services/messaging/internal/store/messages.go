package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
	"github.com/govstackbb/marketplace/services/messaging/internal/events"
)

// messageColumns is what the dispatcher and the status call read, joined with the request.
const messageColumns = `m.id, coalesce(m.request_id::text, ''), coalesce(r.request_uid, ''), coalesce(r.callback_uri, ''),
	m.position, m.channel, m.recipient, m.recipient_name, m.cc, m.bcc, m.sender_name, m.sender_address, m.reply_to,
	m.subject, m.body_text, m.body_html, m.transactional, m.trigger_event, m.status, m.attempts, m.last_error,
	m.next_attempt_at, coalesce(m.lease_token::text, ''), m.updated_at`

const messageFrom = ` FROM message m LEFT JOIN request r ON r.id = m.request_id`

func scanMessage(row pgx.Row) (domain.Message, error) {
	var m domain.Message
	var ch, st string
	err := row.Scan(&m.ID, &m.RequestID, &m.RequestUID, &m.CallbackURI, &m.Position, &ch, &m.Recipient,
		&m.RecipientName, &m.CC, &m.BCC, &m.SenderName, &m.SenderAddress, &m.ReplyTo, &m.Subject, &m.BodyText,
		&m.BodyHTML, &m.Transactional, &m.TriggerEvent, &st, &m.Attempts, &m.LastError, &m.NextAttempt,
		&m.LeaseToken, &m.UpdatedAt)
	m.Channel, m.Status = domain.Channel(ch), domain.Status(st)
	return m, err
}

func collectMessages(rows pgx.Rows, err error) ([]domain.Message, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Message, error) { return scanMessage(r) })
}

// saveMessages writes what the domain's transitions change — status, attempts, lease, next attempt, last
// error — and returns the new updated_at of each row written. A message holding a lease token gets
// lease_until = lease from now; a zero NextAttempt is now. Both are on the database's clock, the one the
// claim query compares with. With a guard token only rows still claimed under it are written.
//
// It is one statement per message, sent as one batch (one round trip): each finds its row by primary key
// whatever Postgres believes about the table's size, where a single UPDATE joined with unnest was at times
// planned, while the table still looked empty, as a scan of the whole table per message.
func saveMessages(ctx context.Context, ptx pgx.Tx, msgs []domain.Message, guard string, lease time.Duration) (map[string]time.Time, error) {
	var guardArg, leaseArg *string
	if guard != "" {
		guardArg = &guard
	}
	if lease > 0 {
		l := lease.String()
		leaseArg = &l
	}
	batch := &pgx.Batch{}
	for _, m := range msgs {
		var token *string
		var next *time.Time
		if m.LeaseToken != "" {
			token = &m.LeaseToken
		}
		if !m.NextAttempt.IsZero() {
			next = &m.NextAttempt
		}
		batch.Queue(`UPDATE message SET status = $2, attempts = $3, lease_token = $4::uuid,
				lease_until = CASE WHEN $4::uuid IS NULL THEN NULL ELSE now() + $7::interval END,
				next_attempt_at = coalesce($5, now()), last_error = $6, updated_at = now()
			WHERE id = $1 AND ($8::uuid IS NULL OR (lease_token = $8::uuid AND status = 'processing'))
			RETURNING updated_at`, m.ID, string(m.Status), m.Attempts, token, next, m.LastError, leaseArg, guardArg)
	}
	results := ptx.SendBatch(ctx, batch)
	defer results.Close()
	saved := make(map[string]time.Time, len(msgs))
	for _, m := range msgs {
		var at time.Time
		switch err := results.QueryRow().Scan(&at); {
		case err == nil:
			saved[m.ID] = at
		case !errors.Is(err, pgx.ErrNoRows): // no row: the guard did not hold
			return nil, err
		}
	}
	return saved, results.Close()
}

// ClaimDue locks up to n due messages — scheduled or deferred ones whose time has come, and processing ones
// whose lease has expired (their dispatcher died) — applies claim to each and saves them with a lease. SKIP
// LOCKED lets replicas claim side by side without waiting on each other. They come back in recipient order.
func (s *Store) ClaimDue(ctx context.Context, n int, lease time.Duration, claim func(*domain.Message) error) ([]domain.Message, error) {
	var msgs []domain.Message
	err := pgstore.InTx(ctx, s.pool, func(ptx pgx.Tx) error {
		var err error
		msgs, err = collectMessages(ptx.Query(ctx, `SELECT `+messageColumns+messageFrom+`
			WHERE (m.status IN ('scheduled', 'deferred') AND m.next_attempt_at <= now())
			   OR (m.status = 'processing' AND m.lease_until < now())
			ORDER BY m.next_attempt_at, m.position
			LIMIT $1
			FOR UPDATE OF m SKIP LOCKED`, n))
		if err != nil || len(msgs) == 0 {
			return err
		}
		for i := range msgs {
			if err := claim(&msgs[i]); err != nil {
				return err
			}
		}
		_, err = saveMessages(ctx, ptx, msgs, "", lease)
		return err
	})
	slices.SortStableFunc(msgs, func(a, b domain.Message) int { return a.Position - b.Position })
	return msgs, pgstore.MapError(err)
}

// RenewLease extends the lease of every message still claimed under token to lease from now, and reports how
// many there are. The dispatcher renews while it works through a batch, so a lease can be short: the claims
// of a dispatcher that died come back to the others within one lease.
func (s *Store) RenewLease(ctx context.Context, token string, lease time.Duration) (int64, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE message SET lease_until = now() + $2::interval
		WHERE lease_token = $1 AND status = 'processing'`, token, lease.String())
	return tag.RowsAffected(), pgstore.MapError(err)
}

// SaveClaimed writes msgs, changed by a transition from Processing, where token still holds them; lost are
// the ids it no longer holds.
func (t *tx) SaveClaimed(ctx context.Context, token string, msgs []domain.Message) ([]string, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	saved, err := saveMessages(ctx, t.tx, msgs, token, 0)
	if err != nil {
		return nil, err
	}
	var lost []string
	for _, m := range msgs {
		if _, ok := saved[m.ID]; !ok {
			lost = append(lost, m.ID)
		}
	}
	return lost, nil
}

// UpdateMessage locks message id, applies change, and saves the message and change's events in one
// transaction.
func (s *Store) UpdateMessage(ctx context.Context, id string, change func(*domain.Message) ([]domain.Event, error)) (domain.Message, error) {
	var m domain.Message
	err := pgstore.InTx(ctx, s.pool, func(ptx pgx.Tx) error {
		var err error
		if m, err = scanMessage(ptx.QueryRow(ctx, `SELECT `+messageColumns+messageFrom+` WHERE m.id = $1 FOR UPDATE OF m`, id)); err != nil {
			return err
		}
		evs, err := change(&m)
		if err != nil {
			return err
		}
		saved, err := saveMessages(ctx, ptx, []domain.Message{m}, "", 0)
		if err != nil {
			return err
		}
		m.UpdatedAt = saved[m.ID]
		return outbox.AddEncoded(ctx, ptx, events.Encode, evs...)
	})
	return m, pgstore.MapError(err)
}

// DeadLetters lists dead letters, oldest first.
func (s *Store) DeadLetters(ctx context.Context, limit int) ([]domain.Message, error) {
	msgs, err := collectMessages(s.pool.Query(ctx, `SELECT `+messageColumns+messageFrom+`
		WHERE m.status = 'dead_letter' ORDER BY m.updated_at, m.id LIMIT $1`, limit))
	return msgs, pgstore.MapError(err)
}

// RequestMessages lists the messages of the request (key, requestUid) of channel c; NotFound when there is none.
func (s *Store) RequestMessages(ctx context.Context, keyName, requestUID string, c domain.Channel) ([]domain.Message, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT id FROM request WHERE api_key_name = $1 AND request_uid = $2 AND channel = $3`,
		keyName, requestUID, string(c)).Scan(&id)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	msgs, err := collectMessages(s.pool.Query(ctx, `SELECT `+messageColumns+messageFrom+`
		WHERE m.request_id = $1 ORDER BY m.position`, id))
	return msgs, pgstore.MapError(err)
}

// AddInboundCallback stores callback content for the request (key, requestUid) of channel c.
func (s *Store) AddInboundCallback(ctx context.Context, keyName, requestUID string, c domain.Channel, meta string, content []byte) error {
	tag, err := s.pool.Exec(ctx, `INSERT INTO inbound_callback (request_id, meta, content)
		SELECT id, $4, $5 FROM request WHERE api_key_name = $1 AND request_uid = $2 AND channel = $3`,
		keyName, requestUID, string(c), meta, content)
	if err == nil && tag.RowsAffected() == 0 {
		err = pgx.ErrNoRows
	}
	return pgstore.MapError(err)
}
