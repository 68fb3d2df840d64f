package app

import (
	"context"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// authState is the sign-in state shared by the calls.
type authState struct {
	// dummyHash is compared against when there is no account, so an unknown e-mail costs as much as a
	// wrong password.
	dummyHash string
	verifier  *usertoken.Verifier
}

func newAuthState(s *Service) (*authState, error) {
	h, err := argon2id.CreateHash(domain.NewSecret(), argonParams)
	if err != nil {
		return nil, err
	}
	v := usertoken.NewVerifier(usertoken.VerifierOptions{Keys: s.jwksJSON, Issuer: s.opts.TokenIssuer})
	return &authState{dummyHash: h, verifier: v}, nil
}

// Verifier verifies access tokens with this BB's own published keys (the gRPC interceptor of internal/api
// uses it).
func (s *Service) Verifier() *usertoken.Verifier { return s.auth.verifier }

func errCredentials() error {
	return apierr.Unauthenticated(domain.ReasonInvalidCredentials,
		"the e-mail address or password is wrong, or the account is not activated yet (use the link in the activation e-mail)")
}

// SignIn checks e-mail and password and issues tokens. Every kind of failure answers the same, after the
// same amount of work; repeated failures lock the e-mail with doubling periods.
func (s *Service) SignIn(ctx context.Context, email, password string) (Tokens, error) {
	now := s.now()
	key := domain.EmailKey(email)
	failures, err := s.store.SignInFailures(ctx, key)
	if err != nil {
		return Tokens{}, err
	}
	if d := failures.LockedFor(now); d > 0 {
		return Tokens{}, errLocked(d)
	}
	a, found, err := s.store.AccountByEmail(ctx, key)
	if err != nil {
		return Tokens{}, err
	}
	hash := s.auth.dummyHash
	if found && a.PasswordHash != "" {
		hash = a.PasswordHash
	}
	match, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return Tokens{}, err
	}
	if !match || !found || !a.Active() {
		var owner *domain.Account
		if found {
			owner = &a
		}
		return Tokens{}, s.failedSignIn(ctx, key, owner, now)
	}
	k, err := s.signingKey(ctx)
	if err != nil {
		return Tokens{}, err
	}
	var out Tokens
	err = s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.ClearSignInFailures(ctx, key); err != nil {
			return err
		}
		out, err = s.issue(ctx, tx, k, a, "", now)
		return err
	})
	return out, err
}

func errLocked(retry time.Duration) error {
	retry = retry.Round(time.Second)
	return &apierr.Error{Kind: apierr.KindResourceExhausted, Reason: domain.ReasonAccountLocked, RetryAfter: retry,
		Message: "too many failed sign-ins: try again in " + retry.String() + ", or reset the password (POST /auth/password-reset)"}
}

// failedSignIn counts the failure (account.locked is written when it locks a known account).
func (s *Service) failedSignIn(ctx context.Context, key string, owner *domain.Account, now time.Time) error {
	err := s.store.UpdateSignInFailures(ctx, key, func(f *domain.SignInFailures) ([]domain.Event, error) {
		return f.Fail(now, owner), nil
	})
	if err != nil {
		return err
	}
	return errCredentials()
}

// RequestPasswordReset e-mails a reset link when email has an active account; the answer is the same either way.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) (string, time.Time, error) {
	now := s.now()
	msg := "If " + domain.MaskEmail(domain.EmailKey(email)) + " has an active account, we've sent it a link to set a new password."
	expires := now.Add(s.opts.ResetTTL)
	a, found, err := s.store.AccountByEmail(ctx, domain.EmailKey(email))
	if err != nil || !found || !a.MayResetPassword() {
		return msg, expires, err
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		token, link := s.newLink(a.ID, domain.PurposeReset, now)
		ev, err := a.RequestPasswordReset(now, link)
		if err != nil {
			return err
		}
		if err := tx.AddLinkToken(ctx, token); err != nil {
			return err
		}
		tx.Publish(ev)
		return nil
	})
	return msg, expires, err
}
