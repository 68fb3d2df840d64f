package domain

import (
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// LinkToken is a stored single-use activation or reset token. Token is the secret itself; only its hash
// is stored.
type LinkToken struct {
	Token     string
	AccountID string
	Purpose   string // PurposeActivate or PurposeReset
	Created   time.Time
	ExpiresAt time.Time
}

// RefreshToken is a refresh token of a sign-in's family (the sign-in and its rotations). Token is the
// secret itself; only its hash is stored.
type RefreshToken struct {
	Token     string
	AccountID string
	FamilyID  string
	Created   time.Time
	ExpiresAt time.Time
	Used      bool // rotated: it gave way to a newer token of its family
	Revoked   bool
}

// ErrInvalidRefreshToken is the answer for a refresh token that cannot be used.
func ErrInvalidRefreshToken() error {
	return apierr.Unauthenticated(ReasonInvalidRefreshToken,
		"the refresh token is unknown, expired, revoked or already used: sign in again (POST /auth/token)")
}

// Rotate uses t once, at now, to get new tokens of its family. A token presented again after it was rotated
// was copied: reused is true and the whole family must be revoked (t is refused all the same). A revoked
// or expired token is refused.
func (t *RefreshToken) Rotate(now time.Time) (reused bool, err error) {
	switch {
	case t.Used && !t.Revoked:
		return true, ErrInvalidRefreshToken()
	case t.Used || t.Revoked || !t.ExpiresAt.After(now):
		return false, ErrInvalidRefreshToken()
	}
	t.Used = true
	return false, nil
}
