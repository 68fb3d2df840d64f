package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// Draft is a supplier registration in progress.
type Draft struct {
	ID             string // the secret; only its hash is stored
	CompanyID      string
	CompanyScheme  string
	RegisteredName string
	CompanyName    string
	ContactName    string
	ContactEmail   string
	ContactPhone   string
	LoginEmail     string
	ExpiresAt      time.Time
}

// InsertDraft stores a new draft.
func InsertDraft(ctx context.Context, q Querier, d Draft, now time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO supplier_drafts (id_hash, company_id, company_scheme, registered_name,
		company_name, contact_name, contact_email, contact_phone, login_email, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, domain.HashSecret(d.ID), d.CompanyID, d.CompanyScheme,
		d.RegisteredName, d.CompanyName, d.ContactName, d.ContactEmail, d.ContactPhone, d.LoginEmail, now, d.ExpiresAt)
	return mapErr(err)
}

// GetDraft returns an unsubmitted, unexpired draft (FOR UPDATE when lock); ok is false otherwise.
func GetDraft(ctx context.Context, q Querier, id string, now time.Time, lock bool) (d Draft, ok bool, err error) {
	sql := `SELECT company_id, company_scheme, registered_name, company_name, contact_name, contact_email,
		contact_phone, login_email, expires_at FROM supplier_drafts
		WHERE id_hash = $1 AND submitted_at IS NULL AND expires_at > $2`
	if lock {
		sql += ` FOR UPDATE`
	}
	d.ID = id
	err = q.QueryRow(ctx, sql, domain.HashSecret(id), now).Scan(&d.CompanyID, &d.CompanyScheme, &d.RegisteredName,
		&d.CompanyName, &d.ContactName, &d.ContactEmail, &d.ContactPhone, &d.LoginEmail, &d.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, false, nil
	}
	return d, err == nil, mapErr(err)
}

// SaveDraft writes a draft's fields back.
func SaveDraft(ctx context.Context, q Querier, d Draft) error {
	_, err := q.Exec(ctx, `UPDATE supplier_drafts SET company_id = $2, company_scheme = $3, registered_name = $4,
		company_name = $5, contact_name = $6, contact_email = $7, contact_phone = $8, login_email = $9
		WHERE id_hash = $1`, domain.HashSecret(d.ID), d.CompanyID, d.CompanyScheme, d.RegisteredName, d.CompanyName,
		d.ContactName, d.ContactEmail, d.ContactPhone, d.LoginEmail)
	return mapErr(err)
}

// MarkDraftSubmitted closes a draft.
func MarkDraftSubmitted(ctx context.Context, q Querier, id string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE supplier_drafts SET submitted_at = $2 WHERE id_hash = $1`, domain.HashSecret(id), now)
	return mapErr(err)
}
