package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// esNotFound maps no rows to a NotFound with reason and msg; other errors go through MapError.
func esNotFound(err error, reason, msg string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apierr.Wrap(apierr.KindNotFound, reason, msg, err)
	}
	return mapErr(err)
}

const serviceCols = `id::text, key, name, version, type, is_executable, is_closed, description, service_body`

func scanService(row pgx.Row) (domain.Service, error) {
	var s domain.Service
	var body []byte
	if err := row.Scan(&s.ID, &s.Key, &s.Name, &s.Version, &s.Type, &s.IsExecutable, &s.IsClosed, &s.Description, &body); err != nil {
		return s, err
	}
	if err := json.Unmarshal(body, &s.Body); err != nil {
		return s, fmt.Errorf("service %s body: %w", s.ID, err)
	}
	return s, nil
}

// ListServices returns the services whose name contains name (case-insensitive; all when empty), by name.
func (s *Store) ListServices(ctx context.Context, name string) ([]domain.Service, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+serviceCols+` FROM services
		WHERE $1 = '' OR strpos(lower(name), lower($1)) > 0 ORDER BY name, id`, name)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.Service
	for rows.Next() {
		svc, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, svc)
	}
	return out, mapErr(rows.Err())
}

// Service returns the service with id; 404 SERVICE_NOT_FOUND.
func (s *Store) Service(ctx context.Context, id string) (domain.Service, error) {
	svc, err := scanService(s.pool.QueryRow(ctx, `SELECT `+serviceCols+` FROM services WHERE id = $1`, id))
	if err != nil {
		return svc, esNotFound(err, "SERVICE_NOT_FOUND", "no service with id "+id)
	}
	return svc, nil
}

// ServiceByKey returns the service with key (e.g. buyer-account); 404 SERVICE_NOT_FOUND.
func (t *tx) ServiceByKey(ctx context.Context, key string) (domain.Service, error) {
	svc, err := scanService(t.tx.QueryRow(ctx, `SELECT `+serviceCols+` FROM services WHERE key = $1`, key))
	if err != nil {
		return svc, esNotFound(err, "SERVICE_NOT_FOUND", "no service "+key)
	}
	return svc, nil
}

const eformCols = `id::text, service_id::text, name, description, version, latest, schema`

func scanEForm(row pgx.Row) (domain.EForm, error) {
	var f domain.EForm
	var schema []byte
	if err := row.Scan(&f.ID, &f.ServiceID, &f.Name, &f.Description, &f.Version, &f.Latest, &schema); err != nil {
		return f, err
	}
	if err := json.Unmarshal(schema, &f.Schema); err != nil {
		return f, fmt.Errorf("e-form %s schema: %w", f.ID, err)
	}
	return f, nil
}

// ListEForms returns a service's e-forms, latest first.
func (s *Store) ListEForms(ctx context.Context, serviceID string) ([]domain.EForm, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+eformCols+` FROM eforms WHERE service_id = $1
		ORDER BY latest DESC, version DESC`, serviceID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.EForm
	for rows.Next() {
		f, err := scanEForm(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, mapErr(rows.Err())
}

// EForm returns the e-form with id; 404 EFORM_NOT_FOUND.
func (s *Store) EForm(ctx context.Context, id string) (domain.EForm, error) {
	return eformByID(ctx, s.pool, id)
}

// EForm returns the e-form with id, read in the transaction.
func (t *tx) EForm(ctx context.Context, id string) (domain.EForm, error) {
	return eformByID(ctx, t.tx, id)
}

func eformByID(ctx context.Context, q querier, id string) (domain.EForm, error) {
	f, err := scanEForm(q.QueryRow(ctx, `SELECT `+eformCols+` FROM eforms WHERE id = $1`, id))
	if err != nil {
		return f, esNotFound(err, "EFORM_NOT_FOUND", "no e-form with id "+id)
	}
	return f, nil
}

// LatestEForm returns the service's latest e-form; 404 EFORM_NOT_FOUND when it has none.
func (s *Store) LatestEForm(ctx context.Context, serviceID string) (domain.EForm, error) {
	return latestEForm(ctx, s.pool, serviceID)
}

// LatestEForm returns the service's latest e-form, read in the transaction.
func (t *tx) LatestEForm(ctx context.Context, serviceID string) (domain.EForm, error) {
	return latestEForm(ctx, t.tx, serviceID)
}

func latestEForm(ctx context.Context, q querier, serviceID string) (domain.EForm, error) {
	f, err := scanEForm(q.QueryRow(ctx, `SELECT `+eformCols+` FROM eforms WHERE service_id = $1
		ORDER BY latest DESC, version DESC LIMIT 1`, serviceID))
	if err != nil {
		return f, esNotFound(err, "EFORM_NOT_FOUND", "service "+serviceID+" has no e-form")
	}
	return f, nil
}
