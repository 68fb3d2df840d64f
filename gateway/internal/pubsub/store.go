package pubsub

import (
	"context"
	"encoding/base64"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// imSubject is the subject of events of name in room. The room is base64url-encoded into one token: its
// segments may hold '.', which NATS reads as a token separator.
func imSubject(room imident.Client, name string) string {
	return subjectPrefix + base64.RawURLEncoding.EncodeToString([]byte(room.String())) + "." + name
}

// subscription is a row of im_pubsub_subscription.
type subscription struct {
	ID         string
	Room       string
	EventType  string
	Subscriber string
	Delivery   string // PUSH or PULL
	Endpoint   *string
	TTLSeconds int
	FIFO       bool
	Stream     string
	Subject    string
	Consumer   string
	StartSeq   uint64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

const subColumns = `id::text, room, event_type, subscriber, delivery, endpoint, ttl_seconds, fifo, stream, subject,
	consumer, start_seq, created_at, updated_at`

func scanSub(row pgx.CollectableRow) (subscription, error) {
	var s subscription
	var start int64
	err := row.Scan(&s.ID, &s.Room, &s.EventType, &s.Subscriber, &s.Delivery, &s.Endpoint, &s.TTLSeconds, &s.FIFO,
		&s.Stream, &s.Subject, &s.Consumer, &start, &s.CreatedAt, &s.UpdatedAt)
	s.StartSeq = uint64(start)
	return s, err
}

// findSub returns caller's subscription to eventType in room.
func (b *Broker) findSub(ctx context.Context, c call, eventType string) (subscription, bool, error) {
	rows, _ := b.opts.Pool.Query(ctx, `SELECT `+subColumns+` FROM im_pubsub_subscription
		WHERE room = $1 AND event_type = $2 AND subscriber = $3`, c.room.String(), eventType, c.caller.String())
	s, err := pgx.CollectExactlyOneRow(rows, scanSub)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, false, nil
	}
	return s, err == nil, err
}

// attempt is one delivery attempt to log.
type attempt struct {
	sub      string
	eventID  string
	n        int
	status   *int
	err      *string
	duration time.Duration
}

// recordAttempt logs a and sets the delivery's state, in one transaction.
func (b *Broker) recordAttempt(ctx context.Context, a attempt, state string, reply *string) error {
	batch := &pgx.Batch{}
	batch.Queue(`INSERT INTO im_pubsub_attempt (subscription_id, event_id, attempt, status_code, error, duration_ms)
		VALUES ($1, $2, $3, $4, $5, $6)`, a.sub, a.eventID, a.n, a.status, a.err, a.duration.Milliseconds())
	batch.Queue(`INSERT INTO im_pubsub_delivery AS d (subscription_id, event_id, state, attempts, last_status, last_error, reply)
		SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM im_pubsub_subscription WHERE id = $1)
		ON CONFLICT (subscription_id, event_id) DO UPDATE SET state = $3, attempts = GREATEST(d.attempts, $4),
			last_status = $5, last_error = $6, reply = $7, updated_at = now()`,
		a.sub, a.eventID, state, a.n, a.status, a.err, reply)
	return b.opts.Pool.SendBatch(ctx, batch).Close()
}

// setState records an outcome that is not an attempt (dropped for age, cancelled, acknowledged).
func (b *Broker) setState(ctx context.Context, sub, eventID, state, reason string) error {
	var errText *string
	if reason != "" {
		errText = &reason
	}
	_, err := b.opts.Pool.Exec(ctx, `INSERT INTO im_pubsub_delivery AS d (subscription_id, event_id, state, last_error)
		SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM im_pubsub_subscription WHERE id = $1)
		ON CONFLICT (subscription_id, event_id) DO UPDATE SET state = $3,
			last_error = COALESCE($4, d.last_error), reply = NULL, updated_at = now()`, sub, eventID, state, errText)
	return err
}

// cancelled reports whether the publisher deleted the event (BB events are never cancelled).
func (b *Broker) cancelled(ctx context.Context, eventID string) (bool, error) {
	if _, err := uuid.Parse(eventID); err != nil {
		return false, nil // not an id this package issued
	}
	var c bool
	err := b.opts.Pool.QueryRow(ctx, `SELECT cancelled_at IS NOT NULL FROM im_pubsub_event WHERE id = $1`, eventID).Scan(&c)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return c, err
}

// parseIdent reads an identity we stored from a valid Client.
func parseIdent(s string) imident.Client {
	c, _ := imident.Parse(s)
	return c
}
