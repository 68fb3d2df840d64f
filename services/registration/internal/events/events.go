// Package events is the Registration BB's event contract: it encodes the domain events this BB raises
// into outbox events — the type constants of proto/govstack/registration/v1/event_types.go (each also the
// NATS subject on stream GOVSTACK_REGISTRATION) and the protobuf payloads of events.proto. Account events
// carry AccountEvent, application events ApplicationEvent, domain-access events DomainAccessEvent;
// Messaging's notification rules read them. This BB consumes no other BB's events.
package events

import (
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/outbox"
	"google.golang.org/protobuf/types/known/timestamppb"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// Source is the CloudEvents source of every event of this BB.
const Source = "govstack/registration"

// Encode turns a domain event into the outbox event this BB publishes for it.
func Encode(e domain.Event) (outbox.Event, error) {
	switch e := e.(type) {
	case domain.AccountRegistered:
		return accountEvent(registrationv1.EventAccountRegistered, e.Account, e.At, &e.Link), nil
	case domain.AccountRegistrationRepeated:
		return accountEvent(registrationv1.EventAccountRegistrationRepeat, e.Account, e.At, &e.Link), nil
	case domain.AccountActivated:
		return accountEvent(registrationv1.EventAccountActivated, e.Account, e.At, nil), nil
	case domain.AccountLocked:
		return accountEvent(registrationv1.EventAccountLocked, e.Account, e.At, nil), nil
	case domain.PasswordResetRequested:
		return accountEvent(registrationv1.EventPasswordResetRequested, e.Account, e.At, &e.Link), nil
	case domain.ApplicationSubmitted:
		return applicationEvent(registrationv1.EventApplicationSubmitted, e.File, "", "", e.At), nil
	case domain.ApplicationDecided:
		return applicationEvent(registrationv1.EventApplicationDecided, e.File, e.Comment, e.OperatorID, e.At), nil
	case domain.DomainAccessRequested:
		return domainAccessRequested(e), nil
	case domain.DomainAccessDecided:
		return domainAccessDecided(e), nil
	}
	return outbox.Event{}, fmt.Errorf("events: no encoding for %T", e)
}

// accountEvent is an account event; link, when set, is the single-use link the e-mail carries.
func accountEvent(typ string, a domain.Account, at time.Time, link *domain.Link) outbox.Event {
	p := &registrationv1.AccountEvent{AccountId: a.ID, Email: a.Email, Name: a.Name, Roles: a.Roles,
		Organisation: a.Organisation, Language: "en", OccurredAt: timestamppb.New(at)}
	if link != nil {
		p.Link, p.LinkExpiresAt = link.URL, timestamppb.New(link.ExpiresAt)
	}
	return outbox.Event{Type: typ, Source: Source, Subject: a.ID, Payload: p}
}

func applicationEvent(typ string, f domain.Application, comment, operator string, at time.Time) outbox.Event {
	return outbox.Event{Type: typ, Source: Source, Subject: f.FileID,
		Payload: &registrationv1.ApplicationEvent{FileId: f.FileID, ServiceId: f.ServiceID,
			ServiceName: f.ServiceName, ApplicantId: f.ApplicantID, Status: f.Status, Comment: comment,
			OperatorId: operator, OccurredAt: timestamppb.New(at)}}
}

func domainAccessRequested(e domain.DomainAccessRequested) outbox.Event {
	r := e.Request
	return outbox.Event{Type: registrationv1.EventDomainAccessRequested, Source: Source, Subject: e.FileID,
		Payload: &registrationv1.DomainAccessEvent{FileId: e.FileID, Email: r.Email, Name: r.Name, Domain: r.Domain,
			Organisation: r.Organisation, Reason: r.Reason, OccurredAt: timestamppb.New(e.At),
			AdministratorEmails: e.AdministratorEmails}}
}

func domainAccessDecided(e domain.DomainAccessDecided) outbox.Event {
	r := e.Request
	return outbox.Event{Type: registrationv1.EventDomainAccessDecided, Source: Source, Subject: e.FileID,
		Payload: &registrationv1.DomainAccessEvent{FileId: e.FileID, Email: r.Email, Name: r.Name, Domain: r.Domain,
			Organisation: r.Organisation, Reason: r.Reason, Approved: e.Approved, Comment: e.Comment,
			RegistrationLink: e.RegistrationLink, OccurredAt: timestamppb.New(e.At)}}
}
