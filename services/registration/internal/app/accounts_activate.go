package app

import (
	"context"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
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
	t, ok, err := store.PeekLinkToken(ctx, s.pool, token, s.now())
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
	t, ok, err := store.PeekLinkToken(ctx, s.pool, token, now)
	if err != nil {
		return domain.Account{}, err
	}
	if !ok || t.Purpose != purpose {
		return domain.Account{}, domain.ErrInvalidToken()
	}
	a, err := store.AccountByID(ctx, s.pool, t.AccountID)
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
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		id, ok, err := store.UseLinkToken(ctx, tx, token, purpose, now)
		if err != nil {
			return err
		}
		if !ok {
			return domain.ErrInvalidToken() // used concurrently, or expired meanwhile
		}
		wasActive := a.Status == domain.StatusActive
		if a, err = store.SetPassword(ctx, tx, id, hash, now); err != nil {
			return err
		}
		if err := store.RevokeAccountTokens(ctx, tx, id, now); err != nil {
			return err
		}
		if err := store.ClearFailures(ctx, tx, domain.EmailKey(a.Email)); err != nil {
			return err
		}
		if wasActive {
			return nil
		}
		return s.activated(ctx, tx, a, now)
	})
	return a, err
}

// activated approves the account's application file and announces the activation.
func (s *Service) activated(ctx context.Context, tx pgx.Tx, a domain.Account, now time.Time) error {
	if a.FileID != "" {
		if err := s.setApplicationStatus(ctx, tx, a.FileID, domain.StatusApproved, true); err != nil {
			return err
		}
	}
	return outbox.Add(ctx, tx, outbox.Event{Type: EventAccountActivated, Source: eventSource, Subject: a.ID,
		Payload: accountEvent(a, now)})
}
