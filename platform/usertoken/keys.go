package usertoken

import (
	"crypto/ed25519"
	"errors"
	"net/http"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/jwks"
)

// HTTPKeySource fetches the JWKS at url (e.g. the gateway's /.well-known/jwks.json, GOVSTACK_JWKS_URL) with
// client (nil means a default client). Each fetch is bounded by 10 s and 1 MiB; a status other than 200 is
// an error.
func HTTPKeySource(client *http.Client, url string) KeySource { return jwks.HTTPSource(client, url) }

// Sign issues an access token for c signed with key under kid, valid for ttl from c.IssuedAt (now when
// zero). It is meant for tests; an empty c.ID gets a random jti.
func Sign(key ed25519.PrivateKey, kid string, c Claims, ttl time.Duration) (string, error) {
	if kid == "" {
		return "", errors.New("usertoken: Sign needs a kid")
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), kid))
	if err != nil {
		return "", err
	}
	iat := c.IssuedAt
	if iat.IsZero() {
		iat = time.Now()
	}
	if c.ID == "" {
		c.ID = uuid.NewString()
	}
	std := jwt.Claims{
		Issuer: c.Issuer, Subject: c.Subject, Audience: jwt.Audience{Audience}, ID: c.ID,
		IssuedAt: jwt.NewNumericDate(iat), NotBefore: jwt.NewNumericDate(iat), Expiry: jwt.NewNumericDate(iat.Add(ttl)),
	}
	return jwt.Signed(signer).Claims(std).Claims(privateClaims{Email: c.Email, Name: c.Name, Roles: c.Roles, NationalID: c.NationalID,
		HospitalID: c.HospitalID, Org: c.Organisation, CompanyID: c.CompanyID}).Serialize()
}

// JWKS returns the JWKS document publishing the Ed25519 public keys by kid (what a KeySource returns).
func JWKS(keys map[string]ed25519.PublicKey) ([]byte, error) { return jwks.Encode(keys) }
