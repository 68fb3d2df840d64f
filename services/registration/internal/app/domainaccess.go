package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/usertoken"
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
)

// DomainAccessRequest asks for a public-sector e-mail domain to be approved.
type DomainAccessRequest struct {
	Email, Name, Organisation, Reason string
}

// RequestDomainAccess records the request as an application file with a review task for the administrators.
func (s *Service) RequestDomainAccess(ctx context.Context, r DomainAccessRequest) (fileID string, err error) {
	email, err := domain.NormalizeEmail("email", r.Email)
	if err != nil {
		return "", err
	}
	var v []apierr.FieldViolation
	check := func(dst *string, field string, min, max int) {
		got, err := domain.CheckText(field, *dst, min, max)
		if e, ok := apierr.As(err); ok {
			v = append(v, e.Violations...)
		}
		*dst = got
	}
	check(&r.Name, "name", 1, 200)
	check(&r.Organisation, "organisation", 1, 200)
	check(&r.Reason, "reason", 1, 1000)
	if len(v) > 0 {
		return "", apierr.Invalid(domain.ReasonInvalidField, "some fields are not valid: see details", v...)
	}
	d := domain.EmailDomain(email)
	if s.opts.Webmail.Contains(d) {
		return "", apierr.Invalid(domain.ReasonWebmailDomain, d+" is a personal webmail domain: it cannot be approved as a public-sector "+
			"domain; request access with your organisation's work address",
			apierr.FieldViolation{Field: "email", Description: d + " is a personal webmail domain"})
	}
	approved, err := s.domainApproved(ctx, d)
	if err != nil {
		return "", err
	}
	if approved {
		return "", apierr.FailedPrecondition(domain.ReasonDomainAlreadyApproved,
			"the domain "+d+" is already approved: register at POST /accounts/buyers")
	}
	now := s.now()
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		data := map[string]any{"email": email, "name": r.Name, "organisation": r.Organisation, "reason": r.Reason, "domain": d}
		fileID, _, err = s.recordApplication(ctx, tx, NewApplication{ServiceKey: domain.ServiceDomainAccess,
			ApplicantID: email, ApplicationName: "Public-sector domain access: " + d, Data: data, Status: domain.StatusPending,
			ReviewTask: &NewTask{Name: "Review public-sector domain access", RoleID: usertoken.RoleAdmin,
				Description: r.Organisation + " asks for " + d + " to be approved: " + r.Reason}})
		if err != nil {
			return err
		}
		admins, err := store.AdminEmails(ctx, tx)
		if err != nil {
			return err
		}
		return outbox.Add(ctx, tx, outbox.Event{Type: EventDomainAccessRequested, Source: eventSource, Subject: fileID,
			Payload: &registrationv1.DomainAccessEvent{FileId: fileID, Email: email, Name: r.Name, Domain: d,
				Organisation: r.Organisation, Reason: r.Reason, OccurredAt: timestamppb.New(now),
				AdministratorEmails: admins}})
	})
	return fileID, err
}

// domainAccessFlow adds an approved domain to the registry (before the decision commits, idempotently)
// and tells the worker the outcome.
func (s *Service) domainAccessFlow() Flow {
	return Flow{
		Submit: func(ctx context.Context, sub Submission) (string, error) {
			return s.RequestDomainAccess(ctx, DomainAccessRequest{Email: str(sub.Data, "email"), Name: str(sub.Data, "name"),
				Organisation: str(sub.Data, "organisation"), Reason: str(sub.Data, "reason")})
		},
		Prepare: func(ctx context.Context, d Decision) error {
			if d.Status != domain.StatusApproved {
				return nil
			}
			dom := requestedDomain(d.Data)
			return s.upsertRecord(ctx, regDomains, map[string]any{"domain": dom},
				map[string]any{"domain": dom, "organisation": str(d.Data, "organisation"), "country": ""})
		},
		Decided: func(ctx context.Context, tx pgx.Tx, d Decision) error {
			ev := &registrationv1.DomainAccessEvent{FileId: d.FileID, Email: str(d.Data, "email"), Name: str(d.Data, "name"),
				Domain: requestedDomain(d.Data), Organisation: str(d.Data, "organisation"), Reason: str(d.Data, "reason"),
				Approved: d.Status == domain.StatusApproved, Comment: d.Comment, OccurredAt: timestamppb.New(s.now())}
			if ev.Approved {
				ev.RegistrationLink = s.opts.PublicURL + "/register/buyer"
			}
			return outbox.Add(ctx, tx, outbox.Event{Type: EventDomainAccessDecided, Source: eventSource, Subject: d.FileID, Payload: ev})
		},
	}
}

// requestedDomain is the domain of a request's form data (the e-form has only the e-mail).
func requestedDomain(data map[string]any) string {
	if d := str(data, "domain"); d != "" {
		return d
	}
	return domain.EmailDomain(domain.EmailKey(str(data, "email")))
}
