package app

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// RuleEventTypes lists the event types the enabled notification rules react to, sorted, each once.
func (s *Service) RuleEventTypes(ctx context.Context) ([]string, error) {
	rules, err := s.store.Rules(ctx)
	if err != nil {
		return nil, err
	}
	var types []string
	for _, r := range rules {
		types = append(types, r.EventType)
	}
	slices.Sort(types)
	return slices.Compact(types), nil
}

// Notify applies every rule for an event of eventType with the (decoded JSON) payload, inside tx — the
// consumer's inbox transaction, so an event redelivered after a crash creates its messages exactly once. A
// rule whose template cannot be rendered for this event stores a not_sent message with the reason (an
// operator sees it) instead of failing the event forever.
func (s *Service) Notify(ctx context.Context, tx Tx, eventType string, payload any) error {
	rules, err := tx.RulesFor(ctx, eventType)
	if err != nil || len(rules) == 0 {
		return err
	}
	vars, _ := payload.(map[string]any)
	var msgs []domain.Message
	for _, r := range rules {
		if !r.Matches(payload) {
			continue
		}
		tpl, err := tx.LatestTemplate(ctx, r.TemplateName, r.Channel, r.Language)
		if err != nil {
			return err // a rule naming a missing template is a configuration error: retry, then give up loudly
		}
		rendered, rerr := tpl.Render(vars)
		for _, addr := range domain.Recipients(payload, r.RecipientPointer, r.Channel) {
			msgs = append(msgs, ruleMessage(r, eventType, addr, rendered, rerr, len(msgs)))
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

func ruleMessage(r domain.Rule, eventType, addr string, rendered domain.Rendered, rerr error, pos int) domain.Message {
	m := domain.Message{ID: uuid.NewString(), Position: pos, Channel: r.Channel, Subject: rendered.Subject,
		BodyText: rendered.Text, BodyHTML: rendered.HTML, Transactional: r.Transactional, TriggerEvent: eventType,
		Status: domain.Scheduled}
	a, reason := domain.NormalizeAddress(r.Channel, addr)
	m.Recipient = a
	switch {
	case reason != "":
		m.Recipient = addr
		m.Reject("recipient " + reason)
	case rerr != nil:
		m.Reject("template " + r.TemplateName + ": " + rerr.Error())
	}
	return m
}

// optOutRuleMessages marks non-transactional rule messages to opted-out addresses as not sent.
func optOutRuleMessages(ctx context.Context, tx Tx, msgs []domain.Message) error {
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
				m.Reject("recipient has opted out of non-transactional messages")
			}
		}
	}
	return nil
}
