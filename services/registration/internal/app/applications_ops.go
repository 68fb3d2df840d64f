package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
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
	f := store.ApplicationFilter{ApplicantID: q.ApplicantID, Page: page}
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
	return store.ListApplications(ctx, s.pool, f)
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
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		a, err := store.GetApplication(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if a.Ended {
			return apierr.FailedPrecondition("APPLICATION_ENDED", "application file "+id+" is "+a.Status+" and can no longer change")
		}
		changed, err := s.applyUpdate(ctx, tx, &a, in, urls)
		if err != nil {
			return err
		}
		if err := store.UpdateApplicationData(ctx, tx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEntry{ActorID: claims.Subject, Action: "application.update", Subject: id,
			Detail: map[string]any{"changed": changed, "operatorName": claims.Name}})
	})
	if err != nil {
		return domain.Application{}, err
	}
	return store.GetApplication(ctx, s.pool, id, false)
}

// applyUpdate changes a to what in gives (empty parts are kept) after checking the data against the file's
// e-form, and returns the names of the changed parts (for the audit record).
func (s *Service) applyUpdate(ctx context.Context, tx pgx.Tx, a *domain.Application, in ApplicationInput, urls []string) ([]string, error) {
	changed := []string{}
	if in.Data != nil {
		form, err := s.fileForm(ctx, tx, *a)
		if err != nil {
			return nil, err
		}
		if err := s.forms.Validate(form, in.Data); err != nil {
			return nil, err
		}
		a.Data = in.Data
		changed = append(changed, "formData")
	}
	if in.ApplicationName != "" {
		a.Name = in.ApplicationName
		changed = append(changed, "applicationName")
	}
	if urls != nil {
		a.DocumentURLs = urls
		changed = append(changed, "documentUrls")
	}
	a.Updated = s.stamp()
	return changed, nil
}

// fileForm is the e-form the file was submitted with (its service's latest when it has none recorded).
func (s *Service) fileForm(ctx context.Context, q store.Querier, a domain.Application) (domain.EForm, error) {
	if a.EFormID != "" {
		return store.GetEForm(ctx, q, a.EFormID)
	}
	return store.LatestEForm(ctx, q, a.ServiceID)
}
