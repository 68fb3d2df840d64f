package app

import (
	"context"
	"slices"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// StatusReport counts a request's messages by GovStack status name and lists them.
type StatusReport struct {
	Counts   map[string]int
	Messages []domain.Message
}

// Status reports on the request (key, requestUid) of channel c; only the key that sent it may ask.
func (s *Service) Status(ctx context.Context, keyName, requestUID string, c domain.Channel, want []string) (StatusReport, error) {
	if requestUID == "" {
		return StatusReport{}, apierr.Invalid("REQUEST_UID_REQUIRED", "requestUid is required", apierr.FieldViolation{Field: "requestUid", Description: "is required"})
	}
	for _, w := range want {
		if !slices.Contains(domain.GovStackStatuses, w) {
			return StatusReport{}, apierr.Invalid("STATUS_INVALID", "status "+w+" is not one of scheduled, processing, deferred, bounced, notSent, delivered",
				apierr.FieldViolation{Field: "status", Description: "unknown status " + w})
		}
	}
	msgs, err := s.store.RequestMessages(ctx, keyName, requestUID, c)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return StatusReport{}, apierr.NotFound("REQUEST_NOT_FOUND", "no "+string(c)+" request with requestUid "+requestUID)
	}
	if err != nil {
		return StatusReport{}, err
	}
	r := StatusReport{Counts: map[string]int{}}
	for _, m := range msgs {
		name := m.Status.GovStackName()
		if len(want) > 0 && !slices.Contains(want, name) {
			continue
		}
		r.Counts[name]++
		r.Messages = append(r.Messages, m)
	}
	return r, nil
}

// Callback stores client callback content for a request.
func (s *Service) Callback(ctx context.Context, keyName, requestUID string, c domain.Channel, meta string, content []byte) error {
	if requestUID == "" {
		return apierr.Invalid("REQUEST_UID_REQUIRED", "requestUid is required", apierr.FieldViolation{Field: "requestUid", Description: "is required"})
	}
	if len(content)+len(meta) > 1<<20 {
		return apierr.Invalid("CALLBACK_TOO_LARGE", "callback content is larger than 1 MiB")
	}
	err := s.store.AddInboundCallback(ctx, keyName, requestUID, c, meta, content)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return apierr.NotFound("REQUEST_NOT_FOUND", "no "+string(c)+" request with requestUid "+requestUID)
	}
	return err
}

// DeadLetters lists dead letters (staff, admins and IM clients with the personal-data right).
func (s *Service) DeadLetters(ctx context.Context, limit int) ([]domain.Message, error) {
	if err := requireEveryone(ctx, "dead letters (recipients and their errors)"); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	return s.store.DeadLetters(ctx, min(limit, 1000))
}

// Retry requeues a message (staff, admins and IM clients with the personal-data right: it sends to a
// person again and shows their address).
func (s *Service) Retry(ctx context.Context, id string) (domain.Message, error) {
	if err := requireEveryone(ctx, "messages (recipients and their errors)"); err != nil {
		return domain.Message{}, err
	}
	m, err := s.store.UpdateMessage(ctx, id, func(m *domain.Message) ([]domain.Event, error) {
		return nil, m.Requeue()
	})
	switch apierr.KindOf(err) {
	case apierr.KindNotFound, apierr.KindInvalidArgument: // not a message id at all is no message either
		return m, apierr.NotFound("MESSAGE_NOT_FOUND", "no message "+id)
	}
	if err == nil {
		s.Wake()
	}
	return m, err
}

// CreateTemplateVersion checks and stores a template version.
func (s *Service) CreateTemplateVersion(ctx context.Context, t domain.Template) (domain.Template, error) {
	if t.Language == "" {
		t.Language = "en"
	}
	if t.Channel != domain.Email && t.Channel != domain.SMS {
		return domain.Template{}, apierr.Invalid("CHANNEL_INVALID", "channel must be CHANNEL_EMAIL or CHANNEL_SMS", apierr.FieldViolation{Field: "channel", Description: "is required"})
	}
	if err := t.Check(); err != nil {
		return domain.Template{}, err
	}
	return s.store.CreateTemplateVersion(ctx, t)
}

// Template reads a template version.
func (s *Service) Template(ctx context.Context, name string, c domain.Channel, lang string, version int) (domain.Template, error) {
	if lang == "" {
		lang = "en"
	}
	t, err := s.store.Template(ctx, name, c, lang, version)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return domain.Template{}, apierr.NotFound("TEMPLATE_NOT_FOUND", "no "+string(c)+" template "+name+" in language "+lang)
	}
	return t, err
}

// Templates lists the latest version of each template.
func (s *Service) Templates(ctx context.Context) ([]domain.Template, error) {
	return s.store.LatestTemplates(ctx)
}

// AddOptOut validates and adds an address to the opt-out list: any address for staff, admins and IM clients
// with the personal-data right, their own e-mail address for anyone else signed in.
func (s *Service) AddOptOut(ctx context.Context, c domain.Channel, addr string) (domain.OptOut, error) {
	caller, ok := personalDataCallerOf(ctx)
	if !ok {
		return domain.OptOut{}, errSignInRequired("opt-outs (addresses)")
	}
	a, reason := domain.NormalizeAddress(c, addr)
	if reason != "" {
		return domain.OptOut{}, apierr.Invalid("ADDRESS_INVALID", "address "+reason, apierr.FieldViolation{Field: "address", Description: reason})
	}
	if err := requireOwnOrEveryone(caller, c, a); err != nil {
		return domain.OptOut{}, err
	}
	return s.store.AddOptOut(ctx, c, a)
}

// RemoveOptOut removes an address from the opt-out list; who may is as for AddOptOut.
func (s *Service) RemoveOptOut(ctx context.Context, c domain.Channel, addr string) error {
	caller, ok := personalDataCallerOf(ctx)
	if !ok {
		return errSignInRequired("opt-outs (addresses)")
	}
	a, reason := domain.NormalizeAddress(c, addr)
	if reason != "" {
		return apierr.Invalid("ADDRESS_INVALID", "address "+reason, apierr.FieldViolation{Field: "address", Description: reason})
	}
	if err := requireOwnOrEveryone(caller, c, a); err != nil {
		return err
	}
	err := s.store.RemoveOptOut(ctx, c, a)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return apierr.NotFound("OPT_OUT_NOT_FOUND", a+" is not on the opt-out list")
	}
	return err
}

// OptOuts lists the opt-out list: all of it for staff, admins and IM clients with the personal-data right;
// for anyone else signed in, only the entry of their own e-mail address (none when it is not listed).
func (s *Service) OptOuts(ctx context.Context) ([]domain.OptOut, error) {
	caller, ok := personalDataCallerOf(ctx)
	switch {
	case !ok:
		return nil, errSignInRequired("opt-outs (addresses)")
	case !caller.everyone:
		return s.store.OptOutsOf(ctx, domain.Email, caller.email)
	}
	return s.store.OptOuts(ctx)
}
