package usertoken

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/sync/singleflight"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// ErrInvalid is wrapped by every error about a token that must not be accepted (bad signature, unknown key,
// expired, wrong issuer or audience, malformed).
var ErrInvalid = errors.New("invalid access token")

// InvalidMessage is what a caller with an invalid or expired token is told, by the gateway and every BB.
const InvalidMessage = "the access token is invalid or expired: sign in again (POST /auth/token)"

// UnavailableMessage is what a caller is told when the keys to check its token cannot be fetched.
const UnavailableMessage = "the access token cannot be checked now (the signing keys are unavailable): try again shortly"

// KeySource returns the current JWKS document (RFC 7517 JSON, {"keys": [...]}).
type KeySource func(ctx context.Context) ([]byte, error)

// VerifierOptions configure a Verifier.
type VerifierOptions struct {
	Keys   KeySource // where the public keys come from (required)
	Issuer string    // the iss to accept; empty accepts any
	// Leeway is the clock skew allowed on exp, nbf and iat (default 30 s).
	Leeway time.Duration
	// MinRefresh is the least time between two key fetches caused by an unknown kid (default 10 s), so a
	// flood of forged kids cannot flood the key source.
	MinRefresh time.Duration
	// MaxAge is how long fetched keys are used before they are fetched again (default 5 min).
	MaxAge time.Duration
	Now    func() time.Time
}

// fetchTimeout bounds one key fetch. It runs detached from the caller that started it, because concurrent
// callers share it (singleflight) and one caller giving up must not fail the others.
const fetchTimeout = 10 * time.Second

// Verifier checks access tokens against the published keys, caching them and fetching again when a token
// names a key it does not know (rotation). It is safe for concurrent use.
type Verifier struct {
	opts   VerifierOptions
	flight singleflight.Group

	mu        sync.RWMutex
	keys      map[string]ed25519.PublicKey // by kid; nil until the first successful fetch
	fetchedAt time.Time                    // of the keys in use
	attempted time.Time                    // last fetch attempt, successful or not
}

// NewVerifier returns a Verifier; keys are fetched on first use.
func NewVerifier(opts VerifierOptions) *Verifier {
	if opts.Leeway <= 0 {
		opts.Leeway = 30 * time.Second
	}
	if opts.MinRefresh <= 0 {
		opts.MinRefresh = 10 * time.Second
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = 5 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Verifier{opts: opts}
}

// privateClaims are the claims beyond the registered ones.
type privateClaims struct {
	Email      string   `json:"email,omitempty"`
	Name       string   `json:"name,omitempty"`
	Roles      []string `json:"roles,omitempty"`
	NationalID string   `json:"national_id,omitempty"`
}

// Verify checks token's signature, expiry, issuer and audience and returns its claims. Errors wrap
// ErrInvalid, except a failure to fetch the keys.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if len(tok.Headers) != 1 || tok.Headers[0].KeyID == "" {
		return Claims{}, fmt.Errorf("%w: the token names no key (kid)", ErrInvalid)
	}
	key, err := v.key(ctx, tok.Headers[0].KeyID)
	if err != nil {
		return Claims{}, err
	}
	var std jwt.Claims
	var priv privateClaims
	if err := tok.Claims(key, &std, &priv); err != nil {
		return Claims{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := v.validate(std); err != nil {
		return Claims{}, err
	}
	return Claims{
		Subject: std.Subject, Email: priv.Email, Name: priv.Name, Roles: priv.Roles, NationalID: priv.NationalID,
		Issuer: std.Issuer, ID: std.ID, IssuedAt: timeOf(std.IssuedAt), Expiry: timeOf(std.Expiry),
	}, nil
}

func (v *Verifier) validate(c jwt.Claims) error {
	// go-jose skips absent exp; a token that never expires is not an access token.
	if c.Expiry == nil {
		return fmt.Errorf("%w: no expiry (exp)", ErrInvalid)
	}
	if c.Subject == "" {
		return fmt.Errorf("%w: no subject (sub)", ErrInvalid)
	}
	want := jwt.Expected{Issuer: v.opts.Issuer, AnyAudience: jwt.Audience{Audience}, Time: v.opts.Now()}
	if err := c.ValidateWithLeeway(want, v.opts.Leeway); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return nil
}

func timeOf(d *jwt.NumericDate) time.Time {
	if d == nil {
		return time.Time{}
	}
	return d.Time()
}

// key returns the public key named kid, fetching the key set when it is missing or too old, or when kid is
// unknown and the last fetch is at least MinRefresh ago.
func (v *Verifier) key(ctx context.Context, kid string) (ed25519.PublicKey, error) {
	if k, known, fresh := v.lookup(kid); known {
		return k, nil
	} else if fresh && !v.mayRefresh() {
		return nil, fmt.Errorf("%w: unknown key id %q", ErrInvalid, kid)
	}
	if err := v.refresh(ctx); err != nil {
		return nil, err
	}
	if k, known, _ := v.lookup(kid); known {
		return k, nil
	}
	return nil, fmt.Errorf("%w: unknown key id %q", ErrInvalid, kid)
}

// lookup reports the key named kid from fresh keys, and whether the cached keys are fresh at all.
func (v *Verifier) lookup(kid string) (k ed25519.PublicKey, known, fresh bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	fresh = v.keys != nil && v.opts.Now().Sub(v.fetchedAt) < v.opts.MaxAge
	if !fresh {
		return nil, false, false
	}
	k, known = v.keys[kid]
	return k, known, true
}

func (v *Verifier) mayRefresh() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.opts.Now().Sub(v.attempted) >= v.opts.MinRefresh
}

// refresh fetches the key set once for all concurrent callers. The check is repeated inside the flight, so a
// caller arriving just after a fetch finished does not start another one within MinRefresh.
func (v *Verifier) refresh(ctx context.Context) error {
	ch := v.flight.DoChan("jwks", func() (any, error) {
		if _, _, fresh := v.lookup(""); fresh && !v.mayRefresh() {
			return nil, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
		defer cancel()
		now := v.opts.Now()
		keys, err := v.fetch(fctx)
		v.mu.Lock()
		defer v.mu.Unlock()
		v.attempted = now
		if err != nil {
			return nil, err
		}
		v.keys, v.fetchedAt = keys, now
		return nil, nil
	})
	select {
	case <-ctx.Done():
		return ctx.Err()
	case r := <-ch:
		return r.Err
	}
}

// fetch reads the JWKS and keeps its Ed25519 signing keys. Failures here are about the key source, not
// the token, so they do not wrap ErrInvalid.
func (v *Verifier) fetch(ctx context.Context) (map[string]ed25519.PublicKey, error) {
	if v.opts.Keys == nil {
		return nil, errors.New("usertoken: no key source configured")
	}
	raw, err := v.opts.Keys(ctx)
	if err != nil {
		return nil, fmt.Errorf("usertoken: fetch keys: %w", err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, fmt.Errorf("usertoken: parse JWKS: %w", err)
	}
	keys := make(map[string]ed25519.PublicKey, len(set.Keys))
	for _, k := range set.Keys {
		pub, ok := k.Key.(ed25519.PublicKey)
		if !ok || k.KeyID == "" || (k.Use != "" && k.Use != "sig") ||
			(k.Algorithm != "" && k.Algorithm != string(jose.EdDSA)) {
			continue // not a key we verify with; other keys may share the set
		}
		keys[k.KeyID] = pub
	}
	return keys, nil
}

// UnaryServerInterceptor verifies the access token of a call that carries one (metadata "authorization:
// Bearer <token>") and puts its claims in the context (FromContext). A call without one runs
// unauthenticated; an invalid token is Unauthenticated, and keys that cannot be fetched are Unavailable. A
// nil v ignores tokens.
func UnaryServerInterceptor(v *Verifier) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if v == nil {
			return handler(ctx, req)
		}
		token, ok := BearerFromMetadata(ctx)
		if !ok {
			return handler(ctx, req)
		}
		c, err := v.Verify(ctx, token)
		if err != nil {
			return nil, StatusOf(err).Err()
		}
		return handler(NewContext(ctx, c), req)
	}
}

// StatusOf is the gRPC status for a Verify error: Unauthenticated for a bad token, Unavailable when the keys
// could not be fetched, and the context's own code when the caller gave up.
func StatusOf(err error) *status.Status {
	switch {
	case errors.Is(err, ErrInvalid):
		return status.New(codes.Unauthenticated, InvalidMessage)
	case errors.Is(err, context.Canceled):
		return status.New(codes.Canceled, "the request was canceled")
	case errors.Is(err, context.DeadlineExceeded):
		return status.New(codes.DeadlineExceeded, "the deadline expired while checking the access token")
	}
	return status.New(codes.Unavailable, UnavailableMessage)
}

// BearerFromMetadata returns the token of an incoming "authorization: Bearer <token>" metadata entry. Other
// schemes are not user tokens and are ignored.
func BearerFromMetadata(ctx context.Context) (string, bool) {
	md, _ := metadata.FromIncomingContext(ctx)
	for _, h := range md.Get("authorization") {
		if t, ok := ParseBearer(h); ok {
			return t, true
		}
	}
	return "", false
}

// ParseBearer returns the token of an Authorization value "Bearer <token>" (the scheme is case-insensitive).
func ParseBearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
