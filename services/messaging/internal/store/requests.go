package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/messaging/internal/app"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// ClaimRequest inserts the request row unless (key, requestUid) exists; then it returns the first request's
// channel and answer. A concurrent identical request waits on the unique index until the first commits.
func (t *tx) ClaimRequest(ctx context.Context, r app.Request) (app.PriorRequest, bool, error) {
	tag, err := t.tx.Exec(ctx, `INSERT INTO request (id, api_key_name, request_uid, channel, callback_uri, response)
		VALUES ($1, $2, $3, $4, $5, '{}') ON CONFLICT (api_key_name, request_uid) DO NOTHING`,
		r.ID, r.APIKeyName, r.RequestUID, string(r.Channel), r.CallbackURI)
	if err != nil || tag.RowsAffected() == 1 {
		return app.PriorRequest{}, err == nil, err
	}
	var prior app.PriorRequest
	var ch string
	err = t.tx.QueryRow(ctx, `SELECT response, channel FROM request WHERE api_key_name = $1 AND request_uid = $2`,
		r.APIKeyName, r.RequestUID).Scan(&prior.Answer, &ch)
	prior.Channel = domain.Channel(ch)
	return prior, false, err
}

// SetAnswer stores the answer a repeated request gets.
func (t *tx) SetAnswer(ctx context.Context, requestID string, answer []byte) error {
	_, err := t.tx.Exec(ctx, `UPDATE request SET response = $2 WHERE id = $1`, requestID, answer)
	return err
}

// OptedOut returns which of addrs are on the opt-out list of channel c.
func (t *tx) OptedOut(ctx context.Context, c domain.Channel, addrs []string) (map[string]bool, error) {
	rows, err := t.tx.Query(ctx, `SELECT address FROM opt_out WHERE channel = $1 AND address = ANY($2)`, string(c), addrs)
	if err != nil {
		return nil, err
	}
	listed, err := pgx.CollectRows(rows, pgx.RowTo[string])
	out := make(map[string]bool, len(listed))
	for _, a := range listed {
		out[a] = true
	}
	return out, err
}

// RecentCounts counts the messages accepted for each of addrs on channel c since since.
func (t *tx) RecentCounts(ctx context.Context, c domain.Channel, addrs []string, since time.Time) (map[string]int, error) {
	rows, err := t.tx.Query(ctx, `SELECT recipient, count(*) FROM message
		WHERE channel = $1 AND recipient = ANY($2) AND created_at > $3 AND status <> 'not_sent'
		GROUP BY recipient`, string(c), addrs, since)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	var a string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&a, &n}, func() error {
		out[a] = n
		return nil
	})
	return out, err
}

// InsertMessages stores messages with COPY (a batch of 1,000 is one round trip).
func (t *tx) InsertMessages(ctx context.Context, msgs []domain.Message) error {
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

// QueueReport queues a delivery report for the requester's callback URI.
func (t *tx) QueueReport(ctx context.Context, messageID, uri string, report []byte) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO outgoing_callback (message_id, uri, payload) VALUES ($1, $2, $3)`,
		messageID, uri, report)
	return err
}
