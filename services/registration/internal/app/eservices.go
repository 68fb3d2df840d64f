package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// reviewTask is the task the generic engine opens on every submitted file.
var reviewTask = NewTask{Name: "Review application", Description: "Approve, reject or send back the application.",
	RoleID: usertoken.RoleAdmin}

// ListServices lists the services whose name contains name (case-insensitive).
func (s *Service) ListServices(ctx context.Context, name string) ([]domain.Service, error) {
	return s.store.ListServices(ctx, name)
}

// GetService returns one service; 400 for a malformed id, 404 for an unknown one.
func (s *Service) GetService(ctx context.Context, id string) (domain.Service, error) {
	id, err := domain.LookupID("SERVICE_NOT_FOUND", "service", id)
	if err != nil {
		return domain.Service{}, err
	}
	return s.store.Service(ctx, id)
}

// ListServiceEForms lists a service's e-forms (every version, latest first); 404 for an unknown service.
func (s *Service) ListServiceEForms(ctx context.Context, serviceID string) ([]domain.EForm, error) {
	svc, err := s.GetService(ctx, serviceID)
	if err != nil {
		return nil, err
	}
	return s.store.ListEForms(ctx, svc.ID)
}

// GetEForm returns an e-form with its schema.
func (s *Service) GetEForm(ctx context.Context, id string) (domain.EForm, error) {
	id, err := domain.LookupID("EFORM_NOT_FOUND", "e-form", id)
	if err != nil {
		return domain.EForm{}, err
	}
	return s.store.EForm(ctx, id)
}

// newID returns a time-ordered UUID, so ids sort roughly by creation.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// stamp is now as Postgres stores it (microseconds, UTC), so what is returned equals what is read back.
func (s *Service) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }
