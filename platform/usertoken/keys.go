package usertoken

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
)

// maxJWKSBytes bounds a fetched JWKS: a key set is a few hundred bytes, so anything near this is not one.
const maxJWKSBytes = 1 << 20

// HTTPKeySource fetches the JWKS at url (e.g. the gateway's /.well-known/jwks.json, GOVSTACK_JWKS_URL) with
// client (nil means a default client). Each fetch is bounded by 10 s and 1 MiB; a status other than 200 is
// an error.
func HTTPKeySource(client *http.Client, url string) KeySource {
	if client == nil {
		client = &http.Client{}
	}
	return func(ctx context.Context) ([]byte, error) {
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer func() { _ = resp.Body.Close() }()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", url, err)
		}
		if len(body) > maxJWKSBytes {
			return nil, fmt.Errorf("GET %s: the key set is larger than %d bytes", url, maxJWKSBytes)
		}
		return body, nil
	}
}

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
	return jwt.Signed(signer).Claims(std).Claims(privateClaims{Email: c.Email, Name: c.Name, Roles: c.Roles, NationalID: c.NationalID}).Serialize()
}

// JWKS returns the JWKS document publishing the Ed25519 public keys by kid (what a KeySource returns).
func JWKS(keys map[string]ed25519.PublicKey) ([]byte, error) {
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(keys))}
	for _, kid := range slices.Sorted(maps.Keys(keys)) {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: keys[kid], KeyID: kid, Algorithm: string(jose.EdDSA), Use: "sig"})
	}
	return json.Marshal(set)
}
