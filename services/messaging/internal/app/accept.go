package app

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// Content is what a request sends to all of its recipients.
type Content struct {
	Channel                            domain.Channel
	SenderName, SenderAddress, ReplyTo string
	Subject, Text, HTML                string
	TemplateName, TemplateLanguage     string
	Vars                               map[string]any
	Transactional                      bool
	CallbackURI                        string
	CallbackField                      string // where CallbackURI came from (callback.URI or callbackURI.URI)
}

// Recipient is one addressee as given.
type Recipient struct{ Address, Name, CC, BCC string }

// SendInput is a send request after decoding.
type SendInput struct {
	KeyName, RequestUID string
	Content             Content
	Recipients          []Recipient
	Field               string // where a recipient's address sits in the request, for error fields
	// Single is a single send: its one recipient's address is part of the input, so a bad one is invalid
	// input (GovStack's 405) rather than a rejected recipient of an accepted request, as in a batch.
	Single bool
}

// RecipientError is one recipient not accepted.
type RecipientError struct {
	Index                    int
	Recipient, Field, Reason string
}

// Answer is the acceptance, stored with the request so a repeat gets it back unchanged.
type Answer struct {
	RequestUID string
	Accepted   int
	Rejected   []RecipientError
}

// Send validates and stores a request's messages, then answers. The rows are committed before the answer
// leaves, so an accepted message is never lost; the dispatcher picks them up.
func (s *Service) Send(ctx context.Context, in SendInput) (Answer, error) {
	if err := s.checkContent(ctx, &in); err != nil {
		return Answer{}, err
	}
	if in.RequestUID == "" {
		in.RequestUID = uuid.NewString()
	}
	var ans Answer
	err := s.store.InTx(ctx, func(tx Tx) error {
		reqID := uuid.NewString()
		prior, fresh, err := tx.ClaimRequest(ctx, Request{ID: reqID, APIKeyName: in.KeyName,
			RequestUID: in.RequestUID, Channel: in.Content.Channel, CallbackURI: in.Content.CallbackURI})
		switch {
		case err != nil:
			return err
		case !fresh && prior.Channel != in.Content.Channel:
			return apierr.AlreadyExists("REQUEST_UID_REUSED", "requestUid "+in.RequestUID+" was already used for another channel")
		case !fresh:
			return json.Unmarshal(prior.Answer, &ans)
		}
		msgs, a, err := s.plan(ctx, tx, reqID, in)
		if err != nil {
			return err
		}
		ans = a
		if err := tx.InsertMessages(ctx, msgs); err != nil {
			return err
		}
		answer, _ := json.Marshal(ans)
		return tx.SetAnswer(ctx, reqID, answer)
	})
	if err == nil {
		s.Wake()
	}
	return ans, err
}

// plan turns recipients into message rows: good ones scheduled, bad, opted-out or rate-limited ones
// not_sent with the reason (and reported in the answer).
func (s *Service) plan(ctx context.Context, tx Tx, reqID string, in SendInput) ([]domain.Message, Answer, error) {
	c := in.Content
	ans := Answer{RequestUID: in.RequestUID}
	msgs := make([]domain.Message, len(in.Recipients))
	for i, r := range in.Recipients {
		m := domain.Message{ID: uuid.NewString(), RequestID: reqID, Position: i, Channel: c.Channel,
			RecipientName: r.Name, SenderName: c.SenderName, SenderAddress: c.SenderAddress, ReplyTo: c.ReplyTo,
			Subject: c.Subject, BodyText: c.Text, BodyHTML: c.HTML, Transactional: c.Transactional, Status: domain.Scheduled}
		addr, reason := domain.NormalizeAddress(c.Channel, r.Address)
		field := in.Field
		if reason == "" && c.Channel == domain.Email {
			field = "emailCC"
			if m.CC, reason = domain.NormalizeEmailList(r.CC); reason == "" {
				field = "emailBCC"
				m.BCC, reason = domain.NormalizeEmailList(r.BCC)
			}
		}
		m.Recipient = addr
		if reason != "" {
			m.Recipient = r.Address
			m.Reject(field + " " + reason)
			ans.Rejected = append(ans.Rejected, RecipientError{Index: i, Recipient: r.Address, Field: field, Reason: reason})
		}
		msgs[i] = m
	}
	if err := s.applyPolicies(ctx, tx, c, msgs, &ans); err != nil {
		return nil, ans, err
	}
	for _, m := range msgs {
		if m.Status == domain.Scheduled {
			ans.Accepted++
		}
	}
	return msgs, ans, nil
}

// applyPolicies marks opted-out recipients (unless transactional) and those over the per-recipient rate.
func (s *Service) applyPolicies(ctx context.Context, tx Tx, c Content, msgs []domain.Message, ans *Answer) error {
	var addrs []string
	for _, m := range msgs {
		if m.Status == domain.Scheduled {
			addrs = append(addrs, m.Recipient)
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	opted := map[string]bool{}
	if !c.Transactional {
		var err error
		if opted, err = tx.OptedOut(ctx, c.Channel, addrs); err != nil {
			return err
		}
	}
	counts := map[string]int{}
	if s.limits.RecipientPerHour > 0 {
		var err error
		if counts, err = tx.RecentCounts(ctx, c.Channel, addrs, s.clock.Now().Add(-time.Hour)); err != nil {
			return err
		}
	}
	for i := range msgs {
		m := &msgs[i]
		if m.Status != domain.Scheduled {
			continue
		}
		reason := ""
		switch {
		case opted[m.Recipient]:
			reason = "has opted out of non-transactional messages"
		case s.limits.RecipientPerHour > 0 && counts[m.Recipient] >= s.limits.RecipientPerHour:
			reason = fmt.Sprintf("has reached the limit of %d messages per hour", s.limits.RecipientPerHour)
		}
		counts[m.Recipient]++
		if reason != "" {
			m.Reject(reason)
			ans.Rejected = append(ans.Rejected, RecipientError{Index: m.Position, Recipient: m.Recipient, Field: "recipient", Reason: reason})
		}
	}
	return nil
}

// checkContent validates what is shared by all recipients and renders a template reference.
func (s *Service) checkContent(ctx context.Context, in *SendInput) error {
	c := &in.Content
	if len(in.RequestUID) > 200 {
		return apierr.Invalid("REQUEST_UID_TOO_LONG", "requestUid is longer than 200 characters", apierr.FieldViolation{Field: "requestUid", Description: "at most 200 characters"})
	}
	if len(in.Recipients) == 0 {
		return apierr.Invalid("NO_RECIPIENTS", "there is no recipient", apierr.FieldViolation{Field: "recipientInfo", Description: "is required"})
	}
	if in.Single {
		if err := checkSingleRecipient(in); err != nil {
			return err
		}
	}
	if len(in.Recipients) > s.limits.MaxBatch {
		return apierr.Invalid("BATCH_TOO_LARGE", fmt.Sprintf("a batch has at most %d recipients (got %d)", s.limits.MaxBatch, len(in.Recipients)), apierr.FieldViolation{Field: "recipientInfo", Description: "too many recipients"})
	}
	if c.CallbackURI != "" {
		if u, err := url.Parse(c.CallbackURI); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			field := cmp.Or(c.CallbackField, "callback.URI")
			return apierr.Invalid("CALLBACK_URI_INVALID", field+" must be an absolute http(s) URL", apierr.FieldViolation{Field: field, Description: "must be an absolute http(s) URL"})
		}
	}
	if c.SenderAddress != "" {
		a, reason := domain.NormalizeEmail(c.SenderAddress)
		if reason != "" && c.Channel == domain.Email {
			return apierr.Invalid("SENDER_INVALID", "senderInfo.email "+reason, apierr.FieldViolation{Field: "senderInfo.email", Description: reason})
		}
		c.SenderAddress = a
	}
	if c.TemplateName != "" {
		if err := s.renderInto(ctx, c); err != nil {
			return err
		}
	}
	return s.checkSizes(*c)
}

// checkSingleRecipient refuses a single send whose recipient (address, Cc or Bcc) is not an address; plan
// applies the same checks to each recipient of a batch and reports the bad ones instead.
func checkSingleRecipient(in *SendInput) error {
	r := in.Recipients[0]
	field := in.Field
	_, reason := domain.NormalizeAddress(in.Content.Channel, r.Address)
	if reason == "" && in.Content.Channel == domain.Email {
		field = "recipientInfo.emailCC"
		if _, reason = domain.NormalizeEmailList(r.CC); reason == "" {
			field = "recipientInfo.emailBCC"
			_, reason = domain.NormalizeEmailList(r.BCC)
		}
	}
	if reason == "" {
		return nil
	}
	return apierr.Invalid("RECIPIENT_INVALID", field+" "+reason, apierr.FieldViolation{Field: field, Description: reason})
}

func (s *Service) renderInto(ctx context.Context, c *Content) error {
	lang := c.TemplateLanguage
	if lang == "" {
		lang = "en"
	}
	t, err := s.store.Template(ctx, c.TemplateName, c.Channel, lang, 0)
	if err != nil {
		if apierr.KindOf(err) == apierr.KindNotFound {
			return apierr.Invalid("TEMPLATE_NOT_FOUND", fmt.Sprintf("no %s template %q in language %q", c.Channel, c.TemplateName, lang), apierr.FieldViolation{Field: "templateName", Description: "no such template"})
		}
		return err
	}
	r, err := t.Render(c.Vars)
	if err != nil {
		return err
	}
	c.Subject, c.Text, c.HTML = r.Subject, r.Text, r.HTML
	return nil
}

func (s *Service) checkSizes(c Content) error {
	bad := func(field, desc string) error {
		return apierr.Invalid("CONTENT_INVALID", field+" "+desc, apierr.FieldViolation{Field: field, Description: desc})
	}
	if c.Channel == domain.SMS {
		switch n := utf8.RuneCountInString(c.Text); {
		case n == 0:
			return bad("smsContent.text", "is required")
		case n > s.limits.MaxSMSChars:
			return bad("smsContent.text", fmt.Sprintf("is longer than %d characters", s.limits.MaxSMSChars))
		}
		return nil
	}
	switch {
	case c.Subject == "":
		return bad("emailContent.title", "is required")
	case len(c.Subject) > s.limits.MaxSubjectBytes:
		return bad("emailContent.title", fmt.Sprintf("is longer than %d bytes", s.limits.MaxSubjectBytes))
	case c.Text == "" && c.HTML == "":
		return bad("emailContent.content", "is required")
	case len(c.Text)+len(c.HTML) > s.limits.MaxBodyBytes:
		return bad("emailContent.content", fmt.Sprintf("is larger than %d bytes", s.limits.MaxBodyBytes))
	case !utf8.ValidString(c.Subject + c.Text + c.HTML):
		return bad("emailContent.content", "is not valid UTF-8")
	}
	return nil
}
