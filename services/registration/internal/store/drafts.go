package store

import (
	"context"
	"errors"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// AddDraft stores a new draft.
func (s *Store) AddDraft(ctx context.Context, d domain.SupplierDraft, now time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO supplier_drafts (id_hash, company_id, company_scheme, registered_name,
		company_name, contact_name, contact_email, contact_phone, login_email, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, domain.HashSecret(d.ID), d.CompanyID, d.CompanyScheme,
		d.RegisteredName, d.CompanyName, d.ContactName, d.ContactEmail, d.ContactPhone, d.LoginEmail, now, d.ExpiresAt)
	return mapErr(err)
}

// Draft returns an unsubmitted draft unexpired at now; ok is false otherwise.
func (s *Store) Draft(ctx context.Context, id string, now time.Time) (d domain.SupplierDraft, ok bool, err error) {
	d.ID = id
	err = s.pool.QueryRow(ctx, `SELECT company_id, company_scheme, registered_name, company_name, contact_name, contact_email,
		contact_phone, login_email, expires_at FROM supplier_drafts
		WHERE id_hash = $1 AND submitted_at IS NULL AND expires_at > $2`, domain.HashSecret(id), now).
		Scan(&d.CompanyID, &d.CompanyScheme, &d.RegisteredName, &d.CompanyName, &d.ContactName, &d.ContactEmail,
			&d.ContactPhone, &d.LoginEmail, &d.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, false, nil
	}
	return d, err == nil, mapErr(err)
}

// UpdateDraft locks the unsubmitted draft unexpired at now, lets change alter it and writes it back, in one
// transaction: two edits at once each see the other's fields, and an edit racing the submission either
// lands before it or finds the draft gone. ok is false when there is no such draft.
func (s *Store) UpdateDraft(ctx context.Context, id string, now time.Time, change func(*domain.SupplierDraft) error) (ok bool, err error) {
	err = pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		d := domain.SupplierDraft{ID: id}
		err := tx.QueryRow(ctx, `SELECT company_id, company_scheme, registered_name, company_name, contact_name,
			contact_email, contact_phone, login_email, expires_at FROM supplier_drafts
			WHERE id_hash = $1 AND submitted_at IS NULL AND expires_at > $2 FOR UPDATE`, domain.HashSecret(id), now).
			Scan(&d.CompanyID, &d.CompanyScheme, &d.RegisteredName, &d.CompanyName, &d.ContactName, &d.ContactEmail,
				&d.ContactPhone, &d.LoginEmail, &d.ExpiresAt)
		if errors.Is(err, pgx.ErrNoRows) {
			ok = false
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		if err := change(&d); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE supplier_drafts SET company_id = $2, company_scheme = $3, registered_name = $4,
			company_name = $5, contact_name = $6, contact_email = $7, contact_phone = $8, login_email = $9
			WHERE id_hash = $1`, domain.HashSecret(d.ID), d.CompanyID, d.CompanyScheme, d.RegisteredName, d.CompanyName,
			d.ContactName, d.ContactEmail, d.ContactPhone, d.LoginEmail)
		return err
	})
	return ok, mapErr(err)
}

// MarkDraftSubmitted closes a draft, in the transaction that registers its account.
func (t *tx) MarkDraftSubmitted(ctx context.Context, id string, now time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE supplier_drafts SET submitted_at = $2 WHERE id_hash = $1`, domain.HashSecret(id), now)
	return mapErr(err)
}
