// Package store is the Messaging BB's Postgres access: requests and messages, the dispatcher's claims,
// templates, the opt-out list and the notification rules.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// Store runs queries on the BB's pool.
type Store struct{ pool *pgxpool.Pool }

// New returns a Store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Pool is the underlying pool (for the inbox consumer, which runs its own transactions).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Tx is a transaction in progress: acceptance checks and inserts happen in one.
type Tx struct{ tx pgx.Tx }

// PgxTx exposes the transaction for outbox.Add.
func (t Tx) PgxTx() pgx.Tx { return t.tx }

// InTx runs fn in a transaction (see pgstore.InTx), mapping database errors for the API.
func (s *Store) InTx(ctx context.Context, fn func(Tx) error) error {
	return pgstore.MapError(pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error { return fn(Tx{tx}) }))
}

// WrapTx lets a handler that already has a pgx.Tx (the inbox consumer) use the Tx methods.
func WrapTx(tx pgx.Tx) Tx { return Tx{tx} }

// Request is an accepted API request's identity.
type Request struct {
	ID, APIKeyName, RequestUID, CallbackURI string
	Channel                                 domain.Channel
}

// ClaimRequest inserts the request row unless (key, requestUid) exists. It returns the stored first answer
// and false when it does: the caller answers with it and sends nothing. A concurrent identical request waits
// on the unique index until the first commits, then sees its answer.
func (t Tx) ClaimRequest(ctx context.Context, r Request) (previous []byte, fresh bool, err error) {
	tag, err := t.tx.Exec(ctx, `INSERT INTO request (id, api_key_name, request_uid, channel, callback_uri, response)
		VALUES ($1, $2, $3, $4, $5, '{}') ON CONFLICT (api_key_name, request_uid) DO NOTHING`,
		r.ID, r.APIKeyName, r.RequestUID, string(r.Channel), r.CallbackURI)
	if err != nil {
		return nil, false, err
	}
	if tag.RowsAffected() == 1 {
		return nil, true, nil
	}
	var resp []byte
	var ch string
	err = t.tx.QueryRow(ctx, `SELECT response, channel FROM request WHERE api_key_name = $1 AND request_uid = $2`,
		r.APIKeyName, r.RequestUID).Scan(&resp, &ch)
	if err == nil && ch != string(r.Channel) {
		return nil, false, errRequestUIDReused
	}
	return resp, false, err
}

var errRequestUIDReused = errors.New("requestUid was used for another channel")

// ErrRequestUIDReused is returned by ClaimRequest when the requestUid belongs to a request of another channel.
func ErrRequestUIDReused() error { return errRequestUIDReused }

// SetResponse stores the answer a repeated request gets.
func (t Tx) SetResponse(ctx context.Context, requestID string, response []byte) error {
	_, err := t.tx.Exec(ctx, `UPDATE request SET response = $2 WHERE id = $1`, requestID, response)
	return err
}

// OptedOut returns which of addrs are on the opt-out list of channel c.
func (t Tx) OptedOut(ctx context.Context, c domain.Channel, addrs []string) (map[string]bool, error) {
	rows, err := t.tx.Query(ctx, `SELECT address FROM opt_out WHERE channel = $1 AND address = ANY($2)`, string(c), addrs)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out[a] = true
	}
	return out, rows.Err()
}

// RecentCounts counts the messages accepted for each of addrs on channel c since since. This is the
// per-recipient rate limit's window: it lives in Postgres so that every replica sees the same count.
func (t Tx) RecentCounts(ctx context.Context, c domain.Channel, addrs []string, since time.Time) (map[string]int, error) {
	rows, err := t.tx.Query(ctx, `SELECT recipient, count(*) FROM message
		WHERE channel = $1 AND recipient = ANY($2) AND created_at > $3 AND status <> 'not_sent'
		GROUP BY recipient`, string(c), addrs, since)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, err
		}
		out[a] = n
	}
	return out, rows.Err()
}

// InsertMessages stores messages with COPY (a batch of 1,000 is one round trip).
func (t Tx) InsertMessages(ctx context.Context, msgs []domain.Message) error {
	cols := []string{"id", "request_id", "position", "channel", "recipient", "recipient_name", "cc", "bcc",
		"sender_name", "sender_address", "reply_to", "subject", "body_text", "body_html", "transactional",
		"trigger_event", "status", "last_error"}
	_, err := t.tx.CopyFrom(ctx, pgx.Identifier{"message"}, cols, pgx.CopyFromSlice(len(msgs), func(i int) ([]any, error) {
		m := msgs[i]
		var req any
		if m.RequestID != "" {
			req = m.RequestID
		}
		return []any{m.ID, req, m.Position, string(m.Channel), m.Recipient, m.RecipientName, m.CC, m.BCC,
			m.SenderName, m.SenderAddress, m.ReplyTo, m.Subject, m.BodyText, m.BodyHTML, m.Transactional,
			m.TriggerEvent, string(m.Status), m.LastError}, nil
	}))
	return err
}
