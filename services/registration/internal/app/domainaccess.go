package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// DomainAccessRequest asks for a public-sector e-mail domain to be approved.
type DomainAccessRequest struct {
	Email, Name, Organisation, Reason string
}

// RequestDomainAccess records the request as an application file with a review task for the administrators.
func (s *Service) RequestDomainAccess(ctx context.Context, in DomainAccessRequest) (fileID string, err error) {
	r, err := domain.NewDomainAccessRequest(in.Email, in.Name, in.Organisation, in.Reason, s.opts.Webmail)
	if err != nil {
		return "", err
	}
	approved, err := s.domainApproved(ctx, r.Domain)
	if err != nil {
		return "", err
	}
	if approved {
		return "", apierr.WithField(apierr.KindFailedPrecondition, domain.ReasonDomainAlreadyApproved,
			"the domain "+r.Domain+" is already approved: register at POST /accounts/buyers",
			apierr.FieldViolation{Field: "email", Description: "the domain is already approved: register as a buyer"})
	}
	now := s.now()
	err = s.store.InTx(ctx, func(tx Tx) error {
		fileID, _, err = s.recordApplication(ctx, tx, NewApplication{ServiceKey: domain.ServiceDomainAccess,
			ApplicantID: r.Email, ApplicationName: "Public-sector domain access: " + r.Domain, Data: r.Data(),
			Status: domain.StatusPending,
			ReviewTask: &NewTask{Name: "Review public-sector domain access", RoleID: usertoken.RoleAdmin,
				Description: r.Organisation + " asks for " + r.Domain + " to be approved: " + r.Reason}})
		if err != nil {
			return err
		}
		admins, err := tx.AdminEmails(ctx)
		if err != nil {
			return err
		}
		tx.Publish(r.Requested(fileID, admins, now))
		return nil
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
			r := domain.DomainAccessFromData(d.Data)
			return s.registries.UpsertRecord(ctx, regDomains, map[string]any{"domain": r.Domain},
				map[string]any{"domain": r.Domain, "organisation": r.Organisation, "country": ""})
		},
		Decided: func(_ context.Context, tx Tx, d Decision) error {
			ev, err := domain.DomainAccessFromData(d.Data).Decide(d.FileID, d.Status, d.Comment,
				s.opts.PublicURL+"/register/buyer", s.now())
			if err != nil {
				return err
			}
			tx.Publish(ev)
			return nil
		},
	}
}
