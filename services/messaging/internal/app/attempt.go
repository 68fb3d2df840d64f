package app

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// result is one delivery attempt: the claimed message as the attempt left it, and the event it raised (nil
// while retries remain).
type result struct {
	m     domain.Message
	event domain.Event
}

// attempt sends m once and applies the outcome to it. The send runs on a context detached from ctx's
// cancellation (bounded by SendTimeout) so that a stop cannot cut a send between "accepted" and "recorded".
func (s *Service) attempt(ctx context.Context, m domain.Message) result {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.dispatch.SendTimeout)
	defer cancel()
	sendErr := s.sender(m.Channel).Send(sctx, m)
	ev, err := m.Attempted(sendErr, s.dispatch.Retry, s.clock.Now())
	if err != nil {
		// Cannot happen for a message ClaimDue returned; if it does, the lease expires and it is sent again.
		s.log.Error("recording a delivery attempt", "message_id", m.ID, "error", err.Error())
	}
	if sendErr != nil {
		s.logFailure(ctx, m, sendErr)
	}
	return result{m: m, event: ev}
}

// logFailure tells the operator about a failed delivery at warn level: the message id (to look it up), the
// channel, the attempt, what happens next and the reason — without personal data (domain.LogReason), since
// an SMTP server's answer often repeats the recipient's address and an SMS provider's may quote the text.
// The full error is stored with the message.
func (s *Service) logFailure(ctx context.Context, m domain.Message, err error) {
	outcome := m.Status.GovStackName()
	if m.Status == domain.DeadLetter {
		outcome = "deadLetter" // GovStack counts it as notSent; the operator needs to know it awaits a retry
	}
	attrs := []any{"message_id", m.ID, "channel", string(m.Channel), "attempt", m.Attempts,
		"outcome", outcome, "reason", domain.TruncateError(domain.LogReason(err, m))}
	if m.Status == domain.Deferred {
		attrs = append(attrs, "next_attempt", m.NextAttempt.UTC().Format(time.RFC3339))
	}
	s.log.WarnContext(ctx, "message delivery failed", attrs...)
}

func (s *Service) sender(c domain.Channel) Sender {
	if snd, ok := s.senders[c]; ok && snd != nil {
		return snd
	}
	return noSender{c}
}

type noSender struct{ c domain.Channel }

func (n noSender) Send(context.Context, domain.Message) error {
	return domain.Temporary(errors.New("no sender configured for channel " + string(n.c)))
}

// record writes a group of attempts, their events (final outcomes only) and the requesters' delivery reports
// in one transaction. An attempt whose claim was lost (another dispatcher took the message after the lease
// expired) is skipped: the other dispatcher's outcome wins.
func (s *Service) record(ctx context.Context, token string, group []result) error {
	msgs := make([]domain.Message, len(group))
	for i, r := range group {
		msgs[i] = r.m
	}
	var lost []string
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		if lost, err = tx.SaveClaimed(ctx, token, msgs); err != nil {
			return err
		}
		for _, r := range group {
			if r.event == nil || slices.Contains(lost, r.m.ID) {
				continue
			}
			tx.Publish(r.event)
			if r.m.CallbackURI == "" {
				continue
			}
			if err := tx.QueueReport(ctx, r.m.ID, r.m.CallbackURI, s.deliveryReport(r.m)); err != nil {
				return err
			}
		}
		return nil
	})
	for _, id := range lost {
		s.log.Warn("claim lost before the outcome was recorded", "message_id", id)
	}
	return err
}

// deliveryReport is the JSON POSTed to a requester's callback URI about m's final outcome.
func (s *Service) deliveryReport(m domain.Message) []byte {
	body, _ := json.Marshal(struct {
		RequestUID string    `json:"requestUid"`
		MessageID  string    `json:"messageId"`
		Recipient  string    `json:"recipient"`
		Status     string    `json:"status"`
		Error      string    `json:"error,omitempty"`
		Attempts   int       `json:"attempts"`
		Time       time.Time `json:"time"`
	}{m.RequestUID, m.ID, m.Recipient, m.Status.GovStackName(), m.LastError, m.Attempts, s.clock.Now().UTC()})
	return body
}
