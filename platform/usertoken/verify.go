package usertoken

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/govstackbb/marketplace/platform/jwks"
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
type KeySource = jwks.Source

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

// Verifier checks access tokens against the published keys, caching them and fetching again when a token
// names a key it does not know (rotation). It is safe for concurrent use.
type Verifier struct {
	opts VerifierOptions
	keys *jwks.Cache
}

// NewVerifier returns a Verifier; keys are fetched on first use.
func NewVerifier(opts VerifierOptions) *Verifier {
	if opts.Leeway <= 0 {
		opts.Leeway = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Verifier{opts: opts, keys: jwks.NewCache(jwks.CacheOptions{Source: opts.Keys, MinRefresh: opts.MinRefresh,
		MaxAge: opts.MaxAge, Now: opts.Now})}
}

// privateClaims are the claims beyond the registered ones.
type privateClaims struct {
	Email      string   `json:"email,omitempty"`
	Name       string   `json:"name,omitempty"`
	Roles      []string `json:"roles,omitempty"`
	NationalID string   `json:"national_id,omitempty"`
	HospitalID string   `json:"hospital_id,omitempty"`
	Org        string   `json:"org,omitempty"`
	CompanyID  string   `json:"company_id,omitempty"`
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
		HospitalID: priv.HospitalID, Organisation: priv.Org, CompanyID: priv.CompanyID,
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

// key returns the public key named kid; an unknown kid is an invalid token, a source that cannot be read is
// not (the caller is told to try again).
func (v *Verifier) key(ctx context.Context, kid string) (ed25519.PublicKey, error) {
	k, err := v.keys.Key(ctx, kid)
	if errors.Is(err, jwks.ErrUnknownKey) {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err != nil {
		return nil, fmt.Errorf("usertoken: %w", err)
	}
	return k, nil
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
