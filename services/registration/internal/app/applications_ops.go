package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// ApplicationQuery is a list of application files: filters and paging as sent.
type ApplicationQuery struct {
	ServiceID, ApplicantID string
	FirstResult, MaxResult int32
	SortBy, SortOrder      string
}

// ListApplications lists files with their open task. An applicant sees only their own files (asking for
// someone else's gives an empty list); an operator or the IM client without a token filters freely.
func (s *Service) ListApplications(ctx context.Context, q ApplicationQuery) ([]domain.ApplicationItem, error) {
	if err := callerOf(ctx).requirePersonalData("application files"); err != nil {
		return nil, err
	}
	page, err := domain.ParsePage(q.FirstResult, q.MaxResult, q.SortBy, q.SortOrder)
	if err != nil {
		return nil, err
	}
	f := ApplicationFilter{ApplicantID: q.ApplicantID, Page: page}
	if q.ServiceID != "" {
		var ok bool
		if f.ServiceID, ok = domain.FilterID(q.ServiceID); !ok {
			return nil, nil // no service has this id: nothing matches
		}
	}
	if c := callerOf(ctx); c.applicantOnly() {
		if q.ApplicantID != "" && q.ApplicantID != c.claims.Subject {
			return nil, nil
		}
		f.ApplicantID = c.claims.Subject
	}
	return s.store.ListApplications(ctx, f)
}

// UpdateApplication is an operator's (staff or admin) change of a file's name, data or documents. The data
// must still satisfy the file's e-form; an ended file cannot change. The change is audited.
func (s *Service) UpdateApplication(ctx context.Context, fileID string, in ApplicationInput) (domain.Application, error) {
	claims, err := usertoken.RequireRole(ctx, usertoken.RoleStaff, usertoken.RoleAdmin)
	if err != nil {
		return domain.Application{}, err
	}
	id, err := domain.LookupID("APPLICATION_NOT_FOUND", "application file", fileID)
	if err != nil {
		return domain.Application{}, err
	}
	urls, err := s.documentURLs(ctx, in.DocumentURLs)
	if err != nil {
		return domain.Application{}, err
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		a, err := tx.LockApplication(ctx, id)
		if err != nil {
			return err
		}
		changed, err := s.edit(ctx, tx, &a, domain.ApplicationEdit{Name: in.ApplicationName, Data: in.Data, DocumentURLs: urls})
		if err != nil {
			return err
		}
		if err := tx.SaveApplication(ctx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, domain.AuditEntry{ActorID: claims.Subject, Action: "application.update", Subject: id,
			Detail: map[string]any{"changed": changed, "operatorName": claims.Name}})
	})
	if err != nil {
		return domain.Application{}, err
	}
	return s.store.Application(ctx, id)
}

// edit applies e to a after checking that a is open and that new data satisfies the file's e-form, and
// returns the names of the changed parts (for the audit record).
func (s *Service) edit(ctx context.Context, tx Tx, a *domain.Application, e domain.ApplicationEdit) ([]string, error) {
	if err := a.RequireOpen(); err != nil {
		return nil, err
	}
	if e.Data != nil {
		form, err := fileForm(ctx, tx, *a)
		if err != nil {
			return nil, err
		}
		if err := s.forms.Validate(form, e.Data); err != nil {
			return nil, err
		}
	}
	return a.Edit(e, s.stamp())
}

// fileForm is the e-form the file was submitted with (its service's latest when it has none recorded).
func fileForm(ctx context.Context, tx Tx, a domain.Application) (domain.EForm, error) {
	if a.EFormID != "" {
		return tx.EForm(ctx, a.EFormID)
	}
	return tx.LatestEForm(ctx, a.ServiceID)
}
