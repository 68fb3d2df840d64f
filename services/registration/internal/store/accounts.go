package store

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

const accountCols = `id::text, email, name, organisation, roles, status, password_hash, created_at, activated_at,
	coalesce(company_id, ''), coalesce(national_id, ''), coalesce(hospital_id, ''), coalesce(staff_id, ''),
	coalesce(registered_by::text, ''), coalesce(file_id::text, '')`

func scanAccount(row pgx.Row) (domain.Account, error) {
	var a domain.Account
	err := row.Scan(&a.ID, &a.Email, &a.Name, &a.Organisation, &a.Roles, &a.Status, &a.PasswordHash, &a.Created,
		&a.Activated, &a.CompanyID, &a.NationalID, &a.HospitalID, &a.StaffID, &a.RegisteredBy, &a.FileID)
	return a, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AddAccount inserts a unless an account with the same e-mail, company, national id or staff number
// exists. created is false when one does; existing is then that account (the caller decides what to say).
func (t *tx) AddAccount(ctx context.Context, a domain.Account) (created bool, existing domain.Account, err error) {
	tag, err := t.tx.Exec(ctx, `INSERT INTO accounts (id, email, name, organisation, roles, status, password_hash,
		created_at, company_id, national_id, hospital_id, staff_id, registered_by, file_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING`,
		a.ID, a.Email, a.Name, a.Organisation, a.Roles, a.Status, a.PasswordHash, a.Created, nullable(a.CompanyID),
		nullable(a.NationalID), nullable(a.HospitalID), nullable(a.StaffID), nullable(a.RegisteredBy), nullable(a.FileID))
	if err != nil {
		return false, domain.Account{}, mapErr(err)
	}
	if tag.RowsAffected() == 1 {
		return true, a, nil
	}
	existing, err = scanAccount(t.tx.QueryRow(ctx, `SELECT `+accountCols+` FROM accounts
		WHERE lower(email) = lower($1) OR national_id = $2 OR company_id = $3 OR (hospital_id = $4 AND staff_id = $5)
		ORDER BY (lower(email) = lower($1)) DESC LIMIT 1`,
		a.Email, nullable(a.NationalID), nullable(a.CompanyID), nullable(a.HospitalID), nullable(a.StaffID)))
	return false, existing, mapErr(err)
}

// SaveAccount writes what the account's transitions change and returns the account as stored.
func (t *tx) SaveAccount(ctx context.Context, a domain.Account) (domain.Account, error) {
	return accountOrNotFound(scanAccount(t.tx.QueryRow(ctx, `UPDATE accounts SET status = $2, password_hash = $3,
		activated_at = $4, file_id = $5 WHERE id = $1 RETURNING `+accountCols,
		a.ID, a.Status, a.PasswordHash, a.Activated, nullable(a.FileID))))
}

func accountByID(ctx context.Context, q querier, id string, lock bool) (domain.Account, error) {
	sql := `SELECT ` + accountCols + ` FROM accounts WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	return accountOrNotFound(scanAccount(q.QueryRow(ctx, sql, id)))
}

func accountOrNotFound(a domain.Account, err error) (domain.Account, error) {
	if errors.Is(err, pgx.ErrNoRows) {
		return a, apierr.NotFound(domain.ReasonAccountNotFound, "no such account")
	}
	return a, mapErr(err)
}

// Account returns an account; NotFound when there is none.
func (s *Store) Account(ctx context.Context, id string) (domain.Account, error) {
	return accountByID(ctx, s.pool, id, false)
}

// Account returns an account, read in the transaction.
func (t *tx) Account(ctx context.Context, id string) (domain.Account, error) {
	return accountByID(ctx, t.tx, id, false)
}

// LockAccount returns an account FOR UPDATE.
func (t *tx) LockAccount(ctx context.Context, id string) (domain.Account, error) {
	return accountByID(ctx, t.tx, id, true)
}

// AccountByEmail returns the account with e-mail (any case); found is false when there is none.
func (s *Store) AccountByEmail(ctx context.Context, email string) (a domain.Account, found bool, err error) {
	a, err = scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE lower(email) = lower($1)`, email))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, false, nil
	}
	return a, err == nil, mapErr(err)
}

// AccountExists reports whether an account has any of k's e-mail, national id, company id or hospital
// staff number (empty ones are ignored).
func (s *Store) AccountExists(ctx context.Context, k app.AccountKeys) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM accounts WHERE lower(email) = lower($1) OR national_id = $2
		OR company_id = $3 OR (hospital_id = $4 AND staff_id = $5))`,
		k.Email, nullable(k.NationalID), nullable(k.CompanyID), nullable(k.HospitalID), nullable(k.StaffID)).Scan(&ok)
	return ok, mapErr(err)
}

// UpsertAdmin creates or resets an active account with roles (and a supplier's company, when it has one).
func (s *Store) UpsertAdmin(ctx context.Context, a domain.Account) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO accounts (id, email, name, organisation, roles, status, password_hash, created_at,
			activated_at, company_id)
		VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $7, NULLIF($8, ''))
		ON CONFLICT (lower(email)) DO UPDATE SET roles = EXCLUDED.roles, status = 'active',
			password_hash = EXCLUDED.password_hash, activated_at = coalesce(accounts.activated_at, EXCLUDED.activated_at)`,
		a.ID, a.Email, a.Name, a.Organisation, a.Roles, a.PasswordHash, a.Created, a.CompanyID)
	return mapErr(err)
}

// AdminEmails returns the e-mail addresses of the active administrators, who decide domain-access requests.
func (t *tx) AdminEmails(ctx context.Context) ([]string, error) {
	rows, err := t.tx.Query(ctx, `SELECT email FROM accounts WHERE 'admin' = ANY (roles) AND status = 'active' ORDER BY email`)
	if err != nil {
		return nil, mapErr(err)
	}
	emails, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return emails, mapErr(err)
}
