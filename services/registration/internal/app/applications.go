package app

import (
	"context"
	"strconv"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// ApplicationInput is an application as submitted (POST /services/{id}/applications) or updated by an
// operator (PUT /applications/{id}).
type ApplicationInput struct {
	ApplicantID     string
	ApplicationName string
	EFormID         string
	Data            map[string]any // nil on update: keep the file's data
	DocumentURLs    []string
}

// SubmitApplication starts an application file on service serviceID: the data must satisfy the e-form; an
// account service runs its flow, any other service waits for an administrator's review.
func (s *Service) SubmitApplication(ctx context.Context, serviceID string, in ApplicationInput) (domain.Application, error) {
	svc, err := s.GetService(ctx, serviceID)
	if err != nil {
		return domain.Application{}, err
	}
	if svc.IsClosed || !svc.IsExecutable {
		return domain.Application{}, apierr.FailedPrecondition("SERVICE_CLOSED", "service "+svc.Name+" takes no applications now")
	}
	form, err := s.submissionForm(ctx, svc, in.EFormID)
	if err != nil {
		return domain.Application{}, err
	}
	if err := s.forms.Validate(form, in.Data); err != nil {
		return domain.Application{}, err
	}
	applicant, err := applicantOf(ctx, in.ApplicantID)
	if err != nil {
		return domain.Application{}, err
	}
	urls, err := s.documentURLs(ctx, in.DocumentURLs)
	if err != nil {
		return domain.Application{}, err
	}
	if flow := s.flows[svc.Key]; flow.Submit != nil {
		sub := Submission{ServiceKey: svc.Key, ApplicantID: applicant, ApplicationName: in.ApplicationName,
			Data: in.Data, DocumentURLs: urls}
		fileID, err := flow.Submit(withSubmitter(ctx, sub), sub)
		if err != nil {
			return domain.Application{}, err
		}
		return s.store.Application(ctx, fileID)
	}
	file := domain.Application{FileID: newID(), ServiceID: svc.ID, ServiceKey: svc.Key, ServiceName: svc.Name,
		ApplicantID: applicant, Name: in.ApplicationName, Data: in.Data, EFormID: form.ID, DocumentURLs: urls}
	err = s.store.InTx(ctx, func(tx Tx) error {
		_, err := s.insertApplication(ctx, tx, file, &reviewTask)
		return err
	})
	if err != nil {
		return domain.Application{}, err
	}
	return s.store.Application(ctx, file.FileID)
}

// submissionForm is the e-form a submission is checked against: the one it names (it must belong to svc),
// else the service's latest.
func (s *Service) submissionForm(ctx context.Context, svc domain.Service, eFormID string) (domain.EForm, error) {
	if eFormID == "" {
		return s.store.LatestEForm(ctx, svc.ID)
	}
	id, err := domain.ParseID("formData.eFormId", eFormID)
	if err != nil {
		return domain.EForm{}, err
	}
	form, err := s.store.EForm(ctx, id)
	if err != nil && apierr.KindOf(err) != apierr.KindNotFound {
		return domain.EForm{}, err
	}
	if err != nil || form.ServiceID != svc.ID {
		return domain.EForm{}, apierr.Invalid("EFORM_NOT_OF_SERVICE", "formData.eFormId is not an e-form of this service (GET /services/"+svc.ID+"/eForms lists them)",
			apierr.FieldViolation{Field: "formData.eFormId", Description: "not an e-form of service " + svc.ID})
	}
	return form, nil
}

// applicantOf is the applicant of a submission: the signed-in account (a different applicantId is refused),
// or, for an IM client without a token, the applicantId it names.
func applicantOf(ctx context.Context, given string) (string, error) {
	if c, ok := usertoken.FromContext(ctx); ok {
		if given != "" && given != c.Subject {
			return "", apierr.PermissionDenied("APPLICANT_MISMATCH", "applicantId must be the signed-in account's id (or left out)")
		}
		return c.Subject, nil
	}
	if given == "" {
		return "", apierr.Invalid("APPLICANT_REQUIRED", "applicantId is required when the call carries no access token",
			apierr.FieldViolation{Field: "applicantId", Description: "required"})
	}
	return given, nil
}

// documentURLs checks that every URL is a document this BB issued and stored, and returns them normalised
// to /documents/<id>.
func (s *Service) documentURLs(ctx context.Context, raw []string) ([]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(raw))
	var bad []apierr.FieldViolation
	for i, u := range raw {
		id, ok := domain.ParseDocumentURL(u)
		if !ok {
			bad = append(bad, apierr.FieldViolation{Field: "documentUrls[" + strconv.Itoa(i) + "]",
				Description: "not a document URL of this service (POST /documents returns one: /documents/<id>)"})
			continue
		}
		ids = append(ids, id)
	}
	if len(bad) == 0 {
		known, err := s.store.ExistingDocuments(ctx, ids)
		if err != nil {
			return nil, err
		}
		for i, id := range ids {
			if !known[id] {
				bad = append(bad, apierr.FieldViolation{Field: "documentUrls[" + strconv.Itoa(i) + "]", Description: "no such document"})
			}
		}
	}
	if len(bad) > 0 {
		return nil, apierr.Invalid("INVALID_DOCUMENT_URL", "documentUrls must be URLs returned by POST /documents", bad...)
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = domain.DocumentPath(id)
	}
	return out, nil
}

// GetApplication returns one file; an applicant sees only their own (404 otherwise).
func (s *Service) GetApplication(ctx context.Context, fileID string) (domain.Application, error) {
	if err := callerOf(ctx).requirePersonalData("application files"); err != nil {
		return domain.Application{}, err
	}
	id, err := domain.LookupID("APPLICATION_NOT_FOUND", "application file", fileID)
	if err != nil {
		return domain.Application{}, err
	}
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return a, err
	}
	if !callerOf(ctx).mayRead(a.ApplicantID) {
		return domain.Application{}, apierr.NotFound("APPLICATION_NOT_FOUND", "no application file with id "+id)
	}
	return a, nil
}
