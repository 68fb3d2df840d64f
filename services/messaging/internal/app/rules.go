package app

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
	"github.com/govstackbb/marketplace/services/messaging/internal/store"
)

// StreamSubjects groups the enabled rules' event types by the stream that carries them: an event type
// govstack.<bb>.v1.... lives on stream GOVSTACK_<BB>.
func (s *Service) StreamSubjects(ctx context.Context) (map[string][]string, error) {
	rules, err := s.store.Rules(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	seen := map[string]bool{}
	for _, r := range rules {
		parts := strings.Split(r.EventType, ".")
		if len(parts) < 3 || seen[r.EventType] {
			continue
		}
		seen[r.EventType] = true
		stream := natsbus.StreamName(parts[1])
		out[stream] = append(out[stream], r.EventType)
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out, nil
}

// HandleEvent is the inbox handler: it applies every rule for the event's type, inside the inbox transaction,
// so an event redelivered after a crash creates its messages exactly once. A rule whose template cannot be
// rendered for this event stores a not_sent message with the reason (an operator sees it) instead of failing
// the event forever.
func (s *Service) HandleEvent(ctx context.Context, ptx pgx.Tx, d inbox.Delivery) error {
	tx := store.WrapTx(ptx)
	rules, err := tx.RulesFor(ctx, d.Type)
	if err != nil || len(rules) == 0 {
		return err
	}
	var payload any
	if err := json.Unmarshal(d.Data, &payload); err != nil {
		s.log.Warn("event payload is not JSON; no notification", "event_id", d.ID, "type", d.Type)
		return nil
	}
	vars, _ := payload.(map[string]any)
	var msgs []domain.Message
	for _, r := range rules {
		if r.ConditionPointer != "" && !domain.ConditionMatches(payload, r.ConditionPointer, r.ConditionValue) {
			continue
		}
		tpl, err := tx.Template(ctx, r.TemplateName, r.Channel, r.Language)
		if err != nil {
			return err // a rule naming a missing template is a configuration error: retry, then give up loudly
		}
		rendered, rerr := tpl.Render(vars)
		for _, addr := range domain.Recipients(payload, r.RecipientPointer, r.Channel) {
			msgs = append(msgs, s.ruleMessage(r, d.Type, addr, rendered, rerr, len(msgs)))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	if err := optOutRuleMessages(ctx, tx, msgs); err != nil {
		return err
	}
	if err := tx.InsertMessages(ctx, msgs); err != nil {
		return err
	}
	s.Wake()
	return nil
}

func (s *Service) ruleMessage(r domain.Rule, eventType, addr string, rendered domain.Rendered, rerr error, pos int) domain.Message {
	m := domain.Message{ID: uuid.NewString(), Position: pos, Channel: r.Channel, Subject: rendered.Subject,
		BodyText: rendered.Text, BodyHTML: rendered.HTML, Transactional: r.Transactional, TriggerEvent: eventType,
		Status: domain.Scheduled}
	a, reason := domain.NormalizeAddress(r.Channel, addr)
	m.Recipient = a
	switch {
	case reason != "":
		m.Recipient, m.Status, m.LastError = addr, domain.NotSent, "recipient "+reason
	case rerr != nil:
		m.Status, m.LastError = domain.NotSent, "template "+r.TemplateName+": "+rerr.Error()
	}
	return m
}

// optOutRuleMessages marks non-transactional rule messages to opted-out addresses as not sent.
func optOutRuleMessages(ctx context.Context, tx store.Tx, msgs []domain.Message) error {
	for _, c := range []domain.Channel{domain.Email, domain.SMS} {
		var addrs []string
		for _, m := range msgs {
			if m.Channel == c && !m.Transactional && m.Status == domain.Scheduled {
				addrs = append(addrs, m.Recipient)
			}
		}
		if len(addrs) == 0 {
			continue
		}
		opted, err := tx.OptedOut(ctx, c, addrs)
		if err != nil {
			return err
		}
		for i := range msgs {
			if m := &msgs[i]; m.Channel == c && !m.Transactional && m.Status == domain.Scheduled && opted[m.Recipient] {
				m.Status, m.LastError = domain.NotSent, "recipient has opted out of non-transactional messages"
			}
		}
	}
	return nil
}
