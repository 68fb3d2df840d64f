package app

import (
	"context"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// argonParams are OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane): strong, and fast enough for tests.
var argonParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// LinkStatus is what opening an activation or reset link shows.
type LinkStatus struct {
	Valid     bool
	Purpose   string
	ExpiresAt time.Time
}

// CheckActivation tells whether a link's token can still be used (it does not use it).
func (s *Service) CheckActivation(ctx context.Context, token string) (LinkStatus, error) {
	t, ok, err := s.store.PeekLinkToken(ctx, token, s.now())
	if err != nil || !ok {
		return LinkStatus{}, err
	}
	return LinkStatus{Valid: true, Purpose: t.Purpose, ExpiresAt: t.ExpiresAt}, nil
}

// Activate sets the password of a pending account from its activation link and makes it active; the
// application file is approved and account.activated written, in one transaction.
func (s *Service) Activate(ctx context.Context, token, password string) (domain.Account, error) {
	return s.usePasswordLink(ctx, token, password, domain.PurposeActivate)
}

// ResetPassword sets a new password from a reset link, revokes every refresh token and clears the lockout.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (domain.Account, error) {
	return s.usePasswordLink(ctx, token, password, domain.PurposeReset)
}

func (s *Service) usePasswordLink(ctx context.Context, token, password, purpose string) (domain.Account, error) {
	now := s.now()
	// The policy needs the account's e-mail; the token is only looked at here and used in the transaction.
	t, ok, err := s.store.PeekLinkToken(ctx, token, now)
	if err != nil {
		return domain.Account{}, err
	}
	if !ok || t.Purpose != purpose {
		return domain.Account{}, domain.ErrInvalidToken()
	}
	a, err := s.store.Account(ctx, t.AccountID)
	if err != nil {
		return domain.Account{}, err
	}
	if err := domain.CheckPassword(password, a.Email); err != nil {
		return domain.Account{}, err
	}
	hash, err := argon2id.CreateHash(password, argonParams)
	if err != nil {
		return domain.Account{}, err
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		a, err = s.setPassword(ctx, tx, token, purpose, hash, now)
		return err
	})
	return a, err
}

// setPassword uses the link's token, sets the password (activating a pending account), revokes every
// refresh token of the account and clears its lockout.
func (s *Service) setPassword(ctx context.Context, tx Tx, token, purpose, hash string, now time.Time) (domain.Account, error) {
	id, ok, err := tx.UseLinkToken(ctx, token, purpose, now)
	if err != nil {
		return domain.Account{}, err
	}
	if !ok {
		return domain.Account{}, domain.ErrInvalidToken() // used concurrently, or expired meanwhile
	}
	a, err := tx.LockAccount(ctx, id)
	if err != nil {
		return a, err
	}
	events, err := a.SetPasswordFromLink(hash, now)
	if err != nil {
		return a, err
	}
	if a, err = tx.SaveAccount(ctx, a); err != nil {
		return a, err
	}
	if err := tx.RevokeAccountRefreshTokens(ctx, id, now); err != nil {
		return a, err
	}
	if err := tx.ClearSignInFailures(ctx, domain.EmailKey(a.Email)); err != nil {
		return a, err
	}
	if len(events) > 0 && a.FileID != "" {
		// The activation is the decision on the account's application file.
		if err := s.approveByActivation(ctx, tx, a.FileID); err != nil {
			return a, err
		}
	}
	tx.Publish(events...)
	return a, nil
}

func (s *Service) approveByActivation(ctx context.Context, tx Tx, fileID string) error {
	f, err := tx.LockApplication(ctx, fileID)
	if err != nil {
		return err
	}
	f.ApproveByActivation(s.stamp())
	return tx.SaveApplication(ctx, f)
}
