package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// keyCheckInterval is how often RunKeyRotation looks at the newest key's age (at most).
const keyCheckInterval = time.Minute

// keyPublishLead is how long a new key is published before it signs: verifiers that fetched the JWKS just
// before it appeared (the gateway refetches at most every 10 s on an unknown kid; the JWKS is cacheable for
// 60 s) know it by the time its first token arrives.
const keyPublishLead = 2 * time.Minute

// signingKey returns the key to sign with: the newest key published for at least keyPublishLead (half the
// rotation period when that is shorter), created first if there is none.
func (s *Service) signingKey(ctx context.Context) (domain.SigningKey, error) {
	lead := min(keyPublishLead, s.opts.KeyRotation/2)
	k, ok, err := s.store.NewestKeyBefore(ctx, s.now().Add(-lead))
	if err != nil || ok {
		return k, err
	}
	if err := s.rotateKeys(ctx, true); err != nil {
		return k, err
	}
	k, _, err = s.store.NewestKeyBefore(ctx, s.now().Add(-lead))
	return k, err
}

// rotateKeys creates a key when there is none, or (unless onlyIfNone) when the newest is older than
// KeyRotation.
func (s *Service) rotateKeys(ctx context.Context, onlyIfNone bool) error {
	return s.store.RotateKeys(ctx, func(newest domain.SigningKey, found bool) (*domain.SigningKey, error) {
		now := s.now()
		if !domain.KeyDue(newest, found, now, s.opts.KeyRotation, onlyIfNone) {
			return nil, nil
		}
		k, err := domain.NewSigningKey(now)
		return &k, err
	})
}

// RunKeyRotation makes sure a signing key exists, then checks every minute (or every quarter of
// KeyRotation when that is shorter) and makes a new key when the newest is older than KeyRotation.
func (s *Service) RunKeyRotation(ctx context.Context) error {
	interval := min(keyCheckInterval, max(s.opts.KeyRotation/4, 10*time.Millisecond))
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.rotateKeys(ctx, false); err != nil && ctx.Err() == nil {
			s.log.Warn("signing key rotation failed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// JWKS returns the keys that may have signed a still-valid token: those created within KeyRotation +
// AccessTokenTTL + 5 minutes, and always the newest.
func (s *Service) JWKS(ctx context.Context) ([]domain.PublicKey, error) {
	since := s.now().Add(-(s.opts.KeyRotation + s.opts.AccessTokenTTL + 5*time.Minute))
	return s.store.KeysSince(ctx, since)
}

// jwksJSON is the JWKS document (RFC 7517) of JWKS, the verifier's key source.
func (s *Service) jwksJSON(ctx context.Context) ([]byte, error) {
	keys, err := s.JWKS(ctx)
	if err != nil {
		return nil, err
	}
	set := jose.JSONWebKeySet{}
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.Public, KeyID: k.KID, Algorithm: string(jose.EdDSA), Use: "sig"})
	}
	return json.Marshal(set)
}
