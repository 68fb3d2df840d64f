package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// AddLinkToken stores the hash of an activation or reset token.
func (t *tx) AddLinkToken(ctx context.Context, l domain.LinkToken) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO account_tokens (token_hash, account_id, purpose, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, domain.HashSecret(l.Token), l.AccountID, l.Purpose, l.Created, l.ExpiresAt)
	return mapErr(err)
}

// PeekLinkToken returns a token that is unused and unexpired at now, without using it; ok is false otherwise.
func (s *Store) PeekLinkToken(ctx context.Context, token string, now time.Time) (l domain.LinkToken, ok bool, err error) {
	l.Token = token
	err = s.pool.QueryRow(ctx, `SELECT account_id::text, purpose, created_at, expires_at FROM account_tokens
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`, domain.HashSecret(token), now).
		Scan(&l.AccountID, &l.Purpose, &l.Created, &l.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, false, nil
	}
	return l, err == nil, mapErr(err)
}

// UseLinkToken marks a token of purpose used and returns its account. It is one conditional UPDATE, so of
// concurrent uses exactly one gets ok.
func (t *tx) UseLinkToken(ctx context.Context, token, purpose string, now time.Time) (accountID string, ok bool, err error) {
	err = t.tx.QueryRow(ctx, `UPDATE account_tokens SET used_at = $3
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING account_id::text`,
		domain.HashSecret(token), purpose, now).Scan(&accountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return accountID, err == nil, mapErr(err)
}

// AddRefreshToken stores the hash of a refresh token.
func (t *tx) AddRefreshToken(ctx context.Context, r domain.RefreshToken) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO refresh_tokens (token_hash, account_id, family_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, domain.HashSecret(r.Token), r.AccountID, r.FamilyID, r.Created, r.ExpiresAt)
	return mapErr(err)
}

// LockRefreshToken reads a refresh token FOR UPDATE (rotation is serialised per token); ok is false when unknown.
func (t *tx) LockRefreshToken(ctx context.Context, token string) (r domain.RefreshToken, ok bool, err error) {
	r.Token = token
	err = t.tx.QueryRow(ctx, `SELECT account_id::text, family_id::text, created_at, expires_at, used_at IS NOT NULL,
			revoked_at IS NOT NULL
		FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, domain.HashSecret(token)).
		Scan(&r.AccountID, &r.FamilyID, &r.Created, &r.ExpiresAt, &r.Used, &r.Revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, mapErr(err)
}

// MarkRefreshTokenUsed marks a refresh token rotated.
func (t *tx) MarkRefreshTokenUsed(ctx context.Context, token string, at time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1`, domain.HashSecret(token), at)
	return mapErr(err)
}

// RevokeRefreshFamily revokes every refresh token of a family.
func (t *tx) RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, familyID, at)
	return mapErr(err)
}

// RevokeAccountRefreshTokens revokes every refresh token of an account.
func (t *tx) RevokeAccountRefreshTokens(ctx context.Context, accountID string, at time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL`, accountID, at)
	return mapErr(err)
}
