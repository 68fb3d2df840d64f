package app

import (
	"context"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
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
	// HospitalID is set on hospital staff's tokens: the hospital they work at (Scheduling checks it before
	// a document is attached to one of its appointments).
	HospitalID string `json:"hospital_id,omitempty"`
	// Org is a buyer's organisation and CompanyID a supplier's company: the procurement service records the
	// tender's buyer and the bidder by them (platform/usertoken documents the claims).
	Org       string `json:"org,omitempty"`
	CompanyID string `json:"company_id,omitempty"`
}

// accessToken signs a JWT (EdDSA, header kid) for a with key k.
func (s *Service) accessToken(k domain.SigningKey, a domain.Account, now time.Time) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: k.Private},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), k.KID))
	if err != nil {
		return "", err
	}
	claims := jwt.Claims{Issuer: s.opts.TokenIssuer, Subject: a.ID,
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
		Expiry: jwt.NewNumericDate(now.Add(s.opts.AccessTokenTTL)), ID: uuid.NewString()}
	return jwt.Signed(signer).Claims(claims).Claims(privateClaims{Audience: []string{usertoken.Audience}, Email: a.Email, Name: a.Name, Roles: a.Roles,
		NationalID: a.NationalID, HospitalID: a.HospitalID, Org: a.Organisation, CompanyID: a.CompanyID}).Serialize()
}

// issue makes an access token signed with k and a refresh token of family (a new family when empty) in tx.
// The key is fetched before the transaction: it may have to be made first, in a transaction of its own.
func (s *Service) issue(ctx context.Context, tx Tx, k domain.SigningKey, a domain.Account, family string, now time.Time) (Tokens, error) {
	access, err := s.accessToken(k, a, now)
	if err != nil {
		return Tokens{}, err
	}
	if family == "" {
		family = uuid.NewString()
	}
	refresh := domain.RefreshToken{Token: domain.NewSecret(), AccountID: a.ID, FamilyID: family, Created: now,
		ExpiresAt: now.Add(s.opts.RefreshTokenTTL)}
	if err := tx.AddRefreshToken(ctx, refresh); err != nil {
		return Tokens{}, err
	}
	return Tokens{AccessToken: access, ExpiresIn: int32(s.opts.AccessTokenTTL / time.Second), RefreshToken: refresh.Token,
		Roles: a.Roles}, nil
}

// Refresh rotates a refresh token: the old one stops working and new tokens are issued. Presenting a token
// that was already rotated means it was copied: the whole family is revoked.
func (s *Service) Refresh(ctx context.Context, refresh string) (Tokens, error) {
	now := s.now()
	k, err := s.signingKey(ctx)
	if err != nil {
		return Tokens{}, err
	}
	var out Tokens
	var refused error
	err = s.store.InTx(ctx, func(tx Tx) error {
		refused = nil // a retried transaction starts over
		t, ok, err := tx.LockRefreshToken(ctx, refresh)
		if err != nil || !ok {
			return errOr(err, domain.ErrInvalidRefreshToken())
		}
		reused, err := t.Rotate(now)
		if reused {
			refused = err
			return tx.RevokeRefreshFamily(ctx, t.FamilyID, now) // committed, then refused below
		}
		if err != nil {
			return err
		}
		a, err := tx.Account(ctx, t.AccountID)
		if err != nil {
			return err
		}
		if err := tx.MarkRefreshTokenUsed(ctx, refresh, now); err != nil {
			return err
		}
		out, err = s.issue(ctx, tx, k, a, t.FamilyID, now)
		return err
	})
	if err == nil && refused != nil {
		s.log.Warn("a rotated refresh token was reused; its family is revoked")
		return Tokens{}, refused
	}
	return out, err
}

// SignOut revokes a refresh token's family (unknown tokens are ignored: signing out twice is fine).
func (s *Service) SignOut(ctx context.Context, refresh string) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		t, ok, err := tx.LockRefreshToken(ctx, refresh)
		if err != nil || !ok {
			return err
		}
		return tx.RevokeRefreshFamily(ctx, t.FamilyID, s.now())
	})
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
