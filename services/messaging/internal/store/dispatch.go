package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// messageColumns is what the dispatcher and the status call read, joined with the request.
const messageColumns = `m.id, coalesce(m.request_id::text, ''), coalesce(r.request_uid, ''), coalesce(r.callback_uri, ''),
	m.position, m.channel, m.recipient, m.recipient_name, m.cc, m.bcc, m.sender_name, m.sender_address, m.reply_to,
	m.subject, m.body_text, m.body_html, m.transactional, m.trigger_event, m.status, m.attempts, m.last_error, m.updated_at`

func scanMessage(row pgx.Row) (domain.Message, error) {
	var m domain.Message
	var ch, st string
	err := row.Scan(&m.ID, &m.RequestID, &m.RequestUID, &m.CallbackURI, &m.Position, &ch, &m.Recipient,
		&m.RecipientName, &m.CC, &m.BCC, &m.SenderName, &m.SenderAddress, &m.ReplyTo, &m.Subject, &m.BodyText,
		&m.BodyHTML, &m.Transactional, &m.TriggerEvent, &st, &m.Attempts, &m.LastError, &m.UpdatedAt)
	m.Channel, m.Status = domain.Channel(ch), domain.Status(st)
	return m, err
}

// Claim takes up to n due messages for this dispatcher: scheduled or deferred ones whose time has come, and
// processing ones whose lease has expired (their dispatcher died). SKIP LOCKED lets replicas claim side by
// side without waiting on each other. The claim counts as an attempt.
func (s *Store) Claim(ctx context.Context, n int, lease time.Duration) (token string, msgs []domain.Message, err error) {
	token = uuid.NewString()
	rows, err := s.pool.Query(ctx, `WITH due AS (
			SELECT id FROM message
			WHERE (status IN ('scheduled', 'deferred') AND next_attempt_at <= now())
			   OR (status = 'processing' AND lease_until < now())
			ORDER BY next_attempt_at, position
			LIMIT $1
			FOR UPDATE SKIP LOCKED),
		claimed AS (
			UPDATE message m SET status = 'processing', lease_token = $2, lease_until = now() + $3::interval,
				attempts = m.attempts + 1, updated_at = now()
			FROM due WHERE m.id = due.id
			RETURNING m.*)
		SELECT `+messageColumns+` FROM claimed m LEFT JOIN request r ON r.id = m.request_id
		ORDER BY m.position`, n, token, lease.String())
	if err != nil {
		return "", nil, err
	}
	msgs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Message, error) { return scanMessage(r) })
	return token, msgs, err
}

// Renew extends the lease of every message this dispatcher still holds under token to lease from now, and
// reports how many it holds. The dispatcher renews while it works through a batch, so a lease can be short:
// the claims of a dispatcher that died come back to the others within one lease.
func (s *Store) Renew(ctx context.Context, token string, lease time.Duration) (int64, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE message SET lease_until = now() + $2::interval
		WHERE lease_token = $1 AND status = 'processing'`, token, lease.String())
	return tag.RowsAffected(), err
}

// Outcome is the result of one attempt.
type Outcome struct {
	Status      domain.Status // delivered, deferred, bounced, dead_letter
	NextAttempt time.Time     // for deferred
	Error       string
}

// Finish records an attempt's outcome if this dispatcher still holds the claim (token). It runs fn in the same
// transaction (to add the outbox event and the callback). It returns false when the claim was lost: another
// dispatcher took the message after the lease expired, and its outcome wins.
func (t Tx) Finish(ctx context.Context, id, token string, o Outcome) (bool, error) {
	next := o.NextAttempt
	if next.IsZero() {
		next = time.Now()
	}
	tag, err := t.tx.Exec(ctx, `UPDATE message SET status = $3, lease_token = NULL, lease_until = NULL,
			next_attempt_at = $4, last_error = $5, updated_at = now()
		WHERE id = $1 AND lease_token = $2 AND status = 'processing'`, id, token, string(o.Status), next, o.Error)
	return tag.RowsAffected() == 1, err
}

// Release hands back claimed messages that were not attempted (the dispatcher is stopping): they become
// scheduled again without using up an attempt.
func (s *Store) Release(ctx context.Context, token string, ids []string) error {
	_, err := s.pool.Exec(ctx, `UPDATE message SET status = CASE WHEN attempts > 1 THEN 'deferred' ELSE 'scheduled' END,
			attempts = attempts - 1, lease_token = NULL, lease_until = NULL, updated_at = now()
		WHERE lease_token = $1 AND id = ANY($2) AND status = 'processing'`, token, ids)
	return err
}

// AddCallback queues a delivery report for the requester's callback URI.
func (t Tx) AddCallback(ctx context.Context, messageID, uri string, payload []byte) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO outgoing_callback (message_id, uri, payload) VALUES ($1, $2, $3)`,
		messageID, uri, payload)
	return err
}

// Retry requeues a dead-lettered, deferred or bounced message with a fresh attempt budget.
func (s *Store) Retry(ctx context.Context, id string) (domain.Message, error) {
	row := s.pool.QueryRow(ctx, `WITH u AS (
			UPDATE message SET status = 'scheduled', attempts = 0, next_attempt_at = now(), last_error = '',
				updated_at = now()
			WHERE id = $1 AND status IN ('dead_letter', 'deferred', 'bounced') RETURNING *)
		SELECT `+messageColumns+` FROM u m LEFT JOIN request r ON r.id = m.request_id`, id)
	return scanMessage(row)
}

// Message reads one message.
func (s *Store) Message(ctx context.Context, id string) (domain.Message, error) {
	return scanMessage(s.pool.QueryRow(ctx, `SELECT `+messageColumns+` FROM message m
		LEFT JOIN request r ON r.id = m.request_id WHERE m.id = $1`, id))
}

// DeadLetters lists dead letters, oldest first.
func (s *Store) DeadLetters(ctx context.Context, limit int) ([]domain.Message, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+messageColumns+` FROM message m LEFT JOIN request r ON r.id = m.request_id
		WHERE m.status = 'dead_letter' ORDER BY m.updated_at, m.id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Message, error) { return scanMessage(r) })
}

// RequestMessages lists the messages of the request (key, requestUid) of channel c; NotFound when there is none.
func (s *Store) RequestMessages(ctx context.Context, keyName, requestUID string, c domain.Channel) ([]domain.Message, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT id FROM request WHERE api_key_name = $1 AND request_uid = $2 AND channel = $3`,
		keyName, requestUID, string(c)).Scan(&id)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+messageColumns+` FROM message m JOIN request r ON r.id = m.request_id
		WHERE m.request_id = $1 ORDER BY m.position`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Message, error) { return scanMessage(r) })
}

// AddInboundCallback stores callback content for the request (key, requestUid) of channel c.
func (s *Store) AddInboundCallback(ctx context.Context, keyName, requestUID string, c domain.Channel, meta string, content []byte) error {
	tag, err := s.pool.Exec(ctx, `INSERT INTO inbound_callback (request_id, meta, content)
		SELECT id, $4, $5 FROM request WHERE api_key_name = $1 AND request_uid = $2 AND channel = $3`,
		keyName, requestUID, string(c), meta, content)
	if err == nil && tag.RowsAffected() == 0 {
		return pgx.ErrNoRows
	}
	return err
}
