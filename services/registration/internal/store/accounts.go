package store

import (
	"context"
	"errors"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

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

// InsertAccount inserts a unless an account with the same e-mail, company, national id or staff number
// exists. created is false when one does; existing is then that account (the caller decides what to say).
func InsertAccount(ctx context.Context, q Querier, a domain.Account) (created bool, existing domain.Account, err error) {
	tag, err := q.Exec(ctx, `INSERT INTO accounts (id, email, name, organisation, roles, status, password_hash,
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
	existing, err = scanAccount(q.QueryRow(ctx, `SELECT `+accountCols+` FROM accounts
		WHERE lower(email) = lower($1) OR national_id = $2 OR company_id = $3 OR (hospital_id = $4 AND staff_id = $5)
		ORDER BY (lower(email) = lower($1)) DESC LIMIT 1`,
		a.Email, nullable(a.NationalID), nullable(a.CompanyID), nullable(a.HospitalID), nullable(a.StaffID)))
	return false, existing, mapErr(err)
}

// SetAccountFile links an account to its application file.
func SetAccountFile(ctx context.Context, q Querier, accountID, fileID string) error {
	_, err := q.Exec(ctx, `UPDATE accounts SET file_id = $2 WHERE id = $1`, accountID, fileID)
	return mapErr(err)
}

// AccountByID returns an account; NotFound when there is none.
func AccountByID(ctx context.Context, q Querier, id string) (domain.Account, error) {
	a, err := scanAccount(q.QueryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, apierr.NotFound(domain.ReasonAccountNotFound, "no such account")
	}
	return a, mapErr(err)
}

// AccountByEmail returns the account with e-mail (any case); found is false when there is none.
func AccountByEmail(ctx context.Context, q Querier, email string) (a domain.Account, found bool, err error) {
	a, err = scanAccount(q.QueryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE lower(email) = lower($1)`, email))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, false, nil
	}
	return a, err == nil, mapErr(err)
}

// AccountExists reports whether an account has this e-mail, national id, company id or hospital staff number
// (empty arguments are ignored).
func AccountExists(ctx context.Context, q Querier, email, nationalID, companyID, hospitalID, staffID string) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM accounts WHERE lower(email) = lower($1) OR national_id = $2
		OR company_id = $3 OR (hospital_id = $4 AND staff_id = $5))`,
		email, nullable(nationalID), nullable(companyID), nullable(hospitalID), nullable(staffID)).Scan(&ok)
	return ok, mapErr(err)
}

// SetPassword stores a password hash and makes the account active (activated now if it was not).
func SetPassword(ctx context.Context, q Querier, id, hash string, now time.Time) (domain.Account, error) {
	a, err := scanAccount(q.QueryRow(ctx, `UPDATE accounts SET password_hash = $2, status = 'active',
		activated_at = coalesce(activated_at, $3) WHERE id = $1 RETURNING `+accountCols, id, hash, now))
	return a, mapErr(err)
}

// UpsertAdmin creates or resets an active account with roles.
func UpsertAdmin(ctx context.Context, q Querier, a domain.Account) error {
	_, err := q.Exec(ctx, `INSERT INTO accounts (id, email, name, organisation, roles, status, password_hash, created_at, activated_at)
		VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $7)
		ON CONFLICT (lower(email)) DO UPDATE SET roles = EXCLUDED.roles, status = 'active',
			password_hash = EXCLUDED.password_hash, activated_at = coalesce(accounts.activated_at, EXCLUDED.activated_at)`,
		a.ID, a.Email, a.Name, a.Organisation, a.Roles, a.PasswordHash, a.Created)
	return mapErr(err)
}

// AdminEmails returns the e-mail addresses of the active administrators, who decide domain-access requests.
func AdminEmails(ctx context.Context, q Querier) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT email FROM accounts WHERE 'admin' = ANY (roles) AND status = 'active' ORDER BY email`)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	emails, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return emails, pgstore.MapError(err)
}
