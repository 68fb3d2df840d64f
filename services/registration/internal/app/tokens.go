package app

import (
	"context"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
)

// Tokens is a sign-in's answer (OAuth 2.0 token response).
type Tokens struct {
	AccessToken  string
	ExpiresIn    int32 // seconds
	RefreshToken string
	Roles        []string
}

// privateClaims are the access token's claims beyond the registered ones (platform/usertoken documents them).
type privateClaims struct {
	// Audience is here, not in jwt.Claims, which writes a one-element audience as a plain string.
	Audience []string `json:"aud"`
	Email    string   `json:"email"`
	Name     string   `json:"name"`
	Roles    []string `json:"roles"`
	// NationalID is set on a citizen's token, so that the BBs record the person by it (check-in).
	NationalID string `json:"national_id,omitempty"`
}

// accessToken signs a JWT (EdDSA, header kid) for a with the newest key.
func (s *Service) accessToken(ctx context.Context, a domain.Account, now time.Time) (string, error) {
	k, err := s.signingKey(ctx)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: k.Private},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), k.KID))
	if err != nil {
		return "", err
	}
	claims := jwt.Claims{Issuer: s.opts.TokenIssuer, Subject: a.ID,
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
		Expiry: jwt.NewNumericDate(now.Add(s.opts.AccessTokenTTL)), ID: uuid.NewString()}
	return jwt.Signed(signer).Claims(claims).Claims(privateClaims{Audience: []string{usertoken.Audience}, Email: a.Email, Name: a.Name, Roles: a.Roles,
		NationalID: a.NationalID}).Serialize()
}

// issue makes an access token and a refresh token of family (a new family when empty) in tx.
func (s *Service) issue(ctx context.Context, tx pgx.Tx, a domain.Account, family string, now time.Time) (Tokens, error) {
	access, err := s.accessToken(ctx, a, now)
	if err != nil {
		return Tokens{}, err
	}
	if family == "" {
		family = uuid.NewString()
	}
	refresh := domain.NewSecret()
	if err := store.InsertRefreshToken(ctx, tx, refresh, a.ID, family, now, now.Add(s.opts.RefreshTokenTTL)); err != nil {
		return Tokens{}, err
	}
	return Tokens{AccessToken: access, ExpiresIn: int32(s.opts.AccessTokenTTL / time.Second), RefreshToken: refresh,
		Roles: a.Roles}, nil
}

func errRefresh() error {
	return apierr.Unauthenticated(domain.ReasonInvalidRefreshToken,
		"the refresh token is unknown, expired, revoked or already used: sign in again (POST /auth/token)")
}

// Refresh rotates a refresh token: the old one stops working and new tokens are issued. Presenting a token
// that was already rotated means it was copied: the whole family is revoked.
func (s *Service) Refresh(ctx context.Context, refresh string) (Tokens, error) {
	now := s.now()
	var out Tokens
	reused := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		t, ok, err := store.LockRefreshToken(ctx, tx, refresh)
		if err != nil || !ok {
			return errOr(err, errRefresh())
		}
		if t.Used && !t.Revoked {
			reused = true
			return store.RevokeFamily(ctx, tx, t.FamilyID, now) // committed, then refused below
		}
		if t.Used || t.Revoked || !t.ExpiresAt.After(now) {
			return errRefresh()
		}
		a, err := store.AccountByID(ctx, tx, t.AccountID)
		if err != nil {
			return err
		}
		if err := store.MarkRefreshUsed(ctx, tx, refresh, now); err != nil {
			return err
		}
		out, err = s.issue(ctx, tx, a, t.FamilyID, now)
		return err
	})
	if err == nil && reused {
		s.log.Warn("a rotated refresh token was reused; its family is revoked")
		return Tokens{}, errRefresh()
	}
	return out, err
}

// SignOut revokes a refresh token's family (unknown tokens are ignored: signing out twice is fine).
func (s *Service) SignOut(ctx context.Context, refresh string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		t, ok, err := store.LockRefreshToken(ctx, tx, refresh)
		if err != nil || !ok {
			return err
		}
		return store.RevokeFamily(ctx, tx, t.FamilyID, s.now())
	})
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
