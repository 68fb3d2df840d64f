package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// InsertLinkToken stores the hash of an activation or reset token.
func InsertLinkToken(ctx context.Context, q Querier, token, accountID, purpose string, now, expires time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO account_tokens (token_hash, account_id, purpose, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, domain.HashSecret(token), accountID, purpose, now, expires)
	return mapErr(err)
}

// LinkToken is a stored activation or reset token.
type LinkToken struct {
	AccountID string
	Purpose   string
	ExpiresAt time.Time
}

// PeekLinkToken returns a token that is unused and unexpired at now, without using it; ok is false otherwise.
func PeekLinkToken(ctx context.Context, q Querier, token string, now time.Time) (t LinkToken, ok bool, err error) {
	err = q.QueryRow(ctx, `SELECT account_id::text, purpose, expires_at FROM account_tokens
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`, domain.HashSecret(token), now).
		Scan(&t.AccountID, &t.Purpose, &t.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, false, nil
	}
	return t, err == nil, mapErr(err)
}

// UseLinkToken marks a token of purpose used and returns its account. It is one conditional UPDATE, so of
// concurrent uses exactly one gets ok.
func UseLinkToken(ctx context.Context, q Querier, token, purpose string, now time.Time) (accountID string, ok bool, err error) {
	err = q.QueryRow(ctx, `UPDATE account_tokens SET used_at = $3
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING account_id::text`,
		domain.HashSecret(token), purpose, now).Scan(&accountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return accountID, err == nil, mapErr(err)
}

// RefreshToken is a stored refresh token.
type RefreshToken struct {
	AccountID string
	FamilyID  string
	ExpiresAt time.Time
	Used      bool
	Revoked   bool
}

// InsertRefreshToken stores the hash of a refresh token of family.
func InsertRefreshToken(ctx context.Context, q Querier, token, accountID, familyID string, now, expires time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO refresh_tokens (token_hash, account_id, family_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, domain.HashSecret(token), accountID, familyID, now, expires)
	return mapErr(err)
}

// LockRefreshToken reads a refresh token FOR UPDATE (rotation is serialised per token); ok is false when unknown.
func LockRefreshToken(ctx context.Context, q Querier, token string) (t RefreshToken, ok bool, err error) {
	err = q.QueryRow(ctx, `SELECT account_id::text, family_id::text, expires_at, used_at IS NOT NULL, revoked_at IS NOT NULL
		FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, domain.HashSecret(token)).
		Scan(&t.AccountID, &t.FamilyID, &t.ExpiresAt, &t.Used, &t.Revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, false, nil
	}
	return t, err == nil, mapErr(err)
}

// MarkRefreshUsed marks a refresh token rotated.
func MarkRefreshUsed(ctx context.Context, q Querier, token string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1`, domain.HashSecret(token), now)
	return mapErr(err)
}

// RevokeFamily revokes every refresh token of a family.
func RevokeFamily(ctx context.Context, q Querier, familyID string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, familyID, now)
	return mapErr(err)
}

// RevokeAccountTokens revokes every refresh token of an account.
func RevokeAccountTokens(ctx context.Context, q Querier, accountID string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL`, accountID, now)
	return mapErr(err)
}

// LockedUntil returns when the lockout of an e-mail ends (zero when it is not locked at now).
func LockedUntil(ctx context.Context, q Querier, emailKey string, now time.Time) (time.Time, error) {
	var until *time.Time
	err := q.QueryRow(ctx, `SELECT locked_until FROM sign_in_failures WHERE email_hash = $1`,
		domain.HashSecret(emailKey)).Scan(&until)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, mapErr(err)
	}
	if until == nil || !until.After(now) {
		return time.Time{}, nil
	}
	return *until, nil
}

// RecordFailure counts one more consecutive failed sign-in and sets the lock lockFor(failures) decides.
func RecordFailure(ctx context.Context, q Querier, emailKey string, now time.Time, lockFor func(int) time.Duration) (int, error) {
	var n int
	err := q.QueryRow(ctx, `INSERT INTO sign_in_failures (email_hash, failures, updated_at) VALUES ($1, 1, $2)
		ON CONFLICT (email_hash) DO UPDATE SET failures = sign_in_failures.failures + 1, updated_at = $2
		RETURNING failures`, domain.HashSecret(emailKey), now).Scan(&n)
	if err != nil {
		return 0, mapErr(err)
	}
	if d := lockFor(n); d > 0 {
		_, err = q.Exec(ctx, `UPDATE sign_in_failures SET locked_until = $2 WHERE email_hash = $1`,
			domain.HashSecret(emailKey), now.Add(d))
	}
	return n, mapErr(err)
}

// ClearFailures forgets an e-mail's failed sign-ins (after a success or a password reset).
func ClearFailures(ctx context.Context, q Querier, emailKey string) error {
	_, err := q.Exec(ctx, `DELETE FROM sign_in_failures WHERE email_hash = $1`, domain.HashSecret(emailKey))
	return mapErr(err)
}
