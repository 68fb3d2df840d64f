package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// DocumentUpload is one file for an appointment, as sent.
type DocumentUpload struct {
	AppointmentID, Kind, FileName string
	Content                       []byte
}

// UploadDocument attaches a document to an appointment: only the staff of the appointment's hospital (or a
// back-office IM client with the personal-data right) may, and only to an appointment that is not
// cancelled and holds fewer than domain.MaxDocumentsPerAppointment. The count and the insert run under the
// appointment's lock, so concurrent uploads cannot pass the limit together.
func (s *Service) UploadDocument(ctx context.Context, u DocumentUpload) (domain.Document, error) {
	up, err := documentUploader(ctx)
	if err != nil {
		return domain.Document{}, err
	}
	idErr := domain.CheckID("appointment_id", u.AppointmentID)
	d, docErr := domain.NewDocument(newID(), u.AppointmentID, u.Kind, u.FileName, u.Content, up.name, s.now())
	if err := apierr.JoinInvalid(idErr, docErr); err != nil {
		return domain.Document{}, err
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		a, err := tx.LockAppointment(ctx, u.AppointmentID)
		if err != nil {
			return err
		}
		if err := up.mayAttachTo(a); err != nil {
			return err
		}
		n, err := tx.CountDocuments(ctx, a.ID)
		if err != nil {
			return err
		}
		p, err := tx.Parties(ctx, a)
		if err != nil {
			return err
		}
		added, err := a.AttachDocument(d, n, p)
		if err != nil {
			return err
		}
		if err := tx.InsertDocument(ctx, d); err != nil {
			return err
		}
		tx.Publish(added)
		return nil
	})
	if err != nil {
		return domain.Document{}, err
	}
	d.Content = nil
	return d, nil
}

// Documents lists an appointment's documents (without content) for whoever may read them.
func (s *Service) Documents(ctx context.Context, appointmentID string) ([]domain.Document, error) {
	if err := domain.CheckID("appointment_id", appointmentID); err != nil {
		return nil, err
	}
	if err := s.mayReadDocumentsOf(ctx, appointmentID); err != nil {
		return nil, err
	}
	return s.store.Documents(ctx, appointmentID)
}

// Document reads one document with its content for whoever may read its appointment's documents; to
// anyone else it does not exist.
func (s *Service) Document(ctx context.Context, id string) (domain.Document, error) {
	if err := domain.CheckID("document_id", id); err != nil {
		return domain.Document{}, err
	}
	if err := callerOf(ctx).requirePersonalData("documents"); err != nil {
		return domain.Document{}, err
	}
	d, err := s.store.Document(ctx, id)
	if err != nil {
		return domain.Document{}, err
	}
	if err := s.mayReadDocumentsOf(ctx, d.AppointmentID); err != nil {
		return domain.Document{}, errNoDocument()
	}
	return d, nil
}

// mayReadDocumentsOf checks that the caller may read the documents of the appointment (documentReader).
func (s *Service) mayReadDocumentsOf(ctx context.Context, appointmentID string) error {
	if err := callerOf(ctx).requirePersonalData("documents"); err != nil {
		return err
	}
	a, err := s.store.ReadAppointment(ctx, appointmentID)
	if err != nil {
		return err
	}
	if !mayReadDocuments(ctx, a) {
		return errNoAppointment()
	}
	return nil
}
