package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// SignInFailures returns an e-mail address's failed sign-ins (zero when it has none).
func (s *Store) SignInFailures(ctx context.Context, emailKey string) (domain.SignInFailures, error) {
	return signInFailures(ctx, s.pool, emailKey, false)
}

func signInFailures(ctx context.Context, q querier, emailKey string, lock bool) (domain.SignInFailures, error) {
	sql := `SELECT failures, locked_until, updated_at FROM sign_in_failures WHERE email_hash = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	var f domain.SignInFailures
	var until *time.Time
	err := q.QueryRow(ctx, sql, domain.HashSecret(emailKey)).Scan(&f.Count, &until, &f.Updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.SignInFailures{}, nil
	}
	if until != nil {
		f.LockedUntil = *until
	}
	return f, mapErr(err)
}

// UpdateSignInFailures changes an address's failed sign-ins by closure. The row is made first (or waited
// for, when a concurrent failure is making it) and locked, so concurrent failures count one by one.
func (s *Store) UpdateSignInFailures(ctx context.Context, emailKey string, fn func(*domain.SignInFailures) ([]domain.Event, error)) error {
	hash := domain.HashSecret(emailKey)
	return s.inTx(ctx, func(pt pgx.Tx) ([]domain.Event, error) {
		if _, err := pt.Exec(ctx, `INSERT INTO sign_in_failures (email_hash, failures, updated_at) VALUES ($1, 0, now())
			ON CONFLICT (email_hash) DO NOTHING`, hash); err != nil {
			return nil, err
		}
		f, err := signInFailures(ctx, pt, emailKey, true)
		if err != nil {
			return nil, err
		}
		evs, err := fn(&f)
		if err != nil {
			return nil, err
		}
		var until *time.Time
		if !f.LockedUntil.IsZero() {
			until = &f.LockedUntil
		}
		_, err = pt.Exec(ctx, `UPDATE sign_in_failures SET failures = $2, locked_until = $3, updated_at = $4
			WHERE email_hash = $1`, hash, f.Count, until, f.Updated)
		return evs, err
	})
}

// ClearSignInFailures forgets an address's failed sign-ins (after a success or a password reset): the unlock.
func (t *tx) ClearSignInFailures(ctx context.Context, emailKey string) error {
	_, err := t.tx.Exec(ctx, `DELETE FROM sign_in_failures WHERE email_hash = $1`, domain.HashSecret(emailKey))
	return mapErr(err)
}
