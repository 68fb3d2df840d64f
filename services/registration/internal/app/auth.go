package app

import (
	"context"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/usertoken"
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
)

// Lockout policy: after lockAfter consecutive failures an e-mail is locked for lockBase·2^(failures−lockAfter),
// at most lockMax.
const (
	lockAfter = 5
	lockBase  = time.Minute
	lockMax   = time.Hour
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

// TokenInterceptor verifies access tokens with this BB's own published keys.
//
// The AuthService calls (sign-in, refresh, sign-out, password reset, JWKS) ignore an access token: a client
// whose token has expired sends it along when it signs in again, and that must not stop it.
func (s *Service) TokenInterceptor() grpc.UnaryServerInterceptor {
	verify := usertoken.UnaryServerInterceptor(s.auth.verifier)
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if strings.HasPrefix(info.FullMethod, "/"+registrationv1.AuthService_ServiceDesc.ServiceName+"/") {
			return handler(ctx, req)
		}
		return verify(ctx, req, info, handler)
	}
}

// lockFor is the lockout after n consecutive failures (0: not locked).
func lockFor(n int) time.Duration {
	if n < lockAfter {
		return 0
	}
	shift := n - lockAfter
	if shift > 10 {
		return lockMax
	}
	return min(lockBase<<shift, lockMax)
}

func errCredentials() error {
	return apierr.Unauthenticated(domain.ReasonInvalidCredentials,
		"the e-mail address or password is wrong, or the account is not activated yet (use the link in the activation e-mail)")
}

// SignIn checks e-mail and password and issues tokens. Every kind of failure answers the same, after the
// same amount of work; repeated failures lock the e-mail with doubling periods.
func (s *Service) SignIn(ctx context.Context, email, password string) (Tokens, error) {
	now := s.now()
	key := domain.EmailKey(email)
	until, err := store.LockedUntil(ctx, s.pool, key, now)
	if err != nil {
		return Tokens{}, err
	}
	if !until.IsZero() {
		return Tokens{}, errLocked(until.Sub(now))
	}
	a, found, err := store.AccountByEmail(ctx, s.pool, key)
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
		return Tokens{}, s.failedSignIn(ctx, key, a, found, now)
	}
	var out Tokens
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := store.ClearFailures(ctx, tx, key); err != nil {
			return err
		}
		out, err = s.issue(ctx, tx, a, "", now)
		return err
	})
	return out, err
}

func errLocked(retry time.Duration) error {
	retry = retry.Round(time.Second)
	return &apierr.Error{Kind: apierr.KindResourceExhausted, Reason: domain.ReasonAccountLocked, RetryAfter: retry,
		Message: "too many failed sign-ins: try again in " + retry.String() + ", or reset the password (POST /auth/password-reset)"}
}

// failedSignIn counts the failure (and writes account.locked when a known account becomes locked).
func (s *Service) failedSignIn(ctx context.Context, key string, a domain.Account, found bool, now time.Time) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		n, err := store.RecordFailure(ctx, tx, key, now, lockFor)
		if err != nil || n != lockAfter || !found {
			return err
		}
		return outbox.Add(ctx, tx, outbox.Event{Type: EventAccountLocked, Source: eventSource, Subject: a.ID,
			Payload: accountEvent(a, now)})
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
	a, found, err := store.AccountByEmail(ctx, s.pool, domain.EmailKey(email))
	if err != nil || !found || a.Status != domain.StatusActive {
		return msg, expires, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		return s.sendLink(ctx, tx, a, domain.PurposeReset, EventPasswordResetRequested, now)
	})
	return msg, expires, err
}
