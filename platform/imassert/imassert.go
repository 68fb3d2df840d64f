// Package imassert makes the Information Mediator the only way into a building block (issue 12). On every
// call it forwards to a BB, the IM signs a short-lived assertion — who the authenticated client is, which
// gRPC method the call is for, and whether the client holds the personal-data right — and the BB verifies
// it with the IM's published public keys before anything else. A call that reaches a BB's port without the
// IM (a direct gRPC call claiming any identity it likes) carries no valid assertion and is refused.
//
// The assertion is a compact JWS (EdDSA) in the metadata key x-govstack-im-assertion: iss govstack-im, sub
// the client (INSTANCE/CLASS/MEMBER/SUBSYSTEM, empty for an anonymous call in development mode), aud the
// full method, a lifetime of one minute, and pd when the personal-data right holds. Binding it to the
// method keeps a captured assertion from being replayed on another operation. The BB takes the identity and
// the personal-data right from the assertion only: whatever identity headers arrive beside it are dropped.
//
// The keys are published by the gateway at KeysPath as a JSON Web Key Set; a BB reads them from
// GOVSTACK_IM_KEYS_URL (platform/jwks caches them and fetches again on an unknown key id, so the IM's key
// can rotate).
package imassert

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/jwks"
)

// MetadataKey carries the assertion on a call from the IM to a BB.
const MetadataKey = "x-govstack-im-assertion"

// Issuer is the iss of every assertion.
const Issuer = "govstack-im"

// KeysPath is where the gateway publishes the public keys its assertions are signed with.
const KeysPath = "/.well-known/govstack-im-keys.json"

// lifetime of an assertion: a call is signed as it leaves the IM, so a minute covers clock skew and queuing.
const lifetime = time.Minute

// leeway is the clock skew allowed between the IM and a BB.
const leeway = 30 * time.Second

// Assertion is what the IM vouches for on one call.
type Assertion struct {
	Client       imident.Client // zero: an anonymous call (development mode)
	Method       string         // the full gRPC method, e.g. /govstack.registries.v1.RegistriesService/ReadRecord
	PersonalData bool           // the client holds the personal-data right on the service called
}

type privateClaims struct {
	PersonalData bool `json:"pd,omitempty"`
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// Signer signs assertions with the IM's key. It is safe for concurrent use.
type Signer struct {
	kid    string
	pub    ed25519.PublicKey
	signer jose.Signer
	now    func() time.Time
}

// NewSigner returns a Signer for key.
func NewSigner(key ed25519.PrivateKey) (*Signer, error) {
	pub := key.Public().(ed25519.PublicKey)
	kid := KeyID(pub)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), kid))
	if err != nil {
		return nil, err
	}
	return &Signer{kid: kid, pub: pub, signer: s, now: time.Now}, nil
}

// PublicKeys is the key set a BB verifies with (jwks.Encode publishes it; jwks.Static serves it in-process).
func (s *Signer) PublicKeys() map[string]ed25519.PublicKey {
	return map[string]ed25519.PublicKey{s.kid: s.pub}
}

// Sign returns the assertion for a.
func (s *Signer) Sign(a Assertion) (string, error) {
	now := s.now()
	std := jwt.Claims{Issuer: Issuer, Audience: jwt.Audience{a.Method}, ID: uuid.NewString(),
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(lifetime))}
	if !a.Client.IsZero() {
		std.Subject = a.Client.String()
	}
	return jwt.Signed(s.signer).Claims(std).Claims(privateClaims{PersonalData: a.PersonalData}).Serialize()
}

// Outgoing returns ctx with the assertion for a call of method by client: the personal-data right as the
// outgoing metadata says (imident.WithPersonalDataRight). It replaces any assertion already there, so none
// a caller sent can travel on.
func (s *Signer) Outgoing(ctx context.Context, method string, client imident.Client) (context.Context, error) {
	md, _ := metadata.FromOutgoingContext(ctx)
	md = md.Copy()
	pd := false
	for _, v := range md.Get(imident.PersonalDataMetadataKey) {
		pd = pd || v == imident.PersonalDataGranted
	}
	token, err := s.Sign(Assertion{Client: client, Method: method, PersonalData: pd})
	if err != nil {
		return ctx, err
	}
	md.Set(MetadataKey, token)
	return metadata.NewOutgoingContext(ctx, md), nil
}

// ErrInvalid is wrapped by every error about an assertion that must not be accepted.
var ErrInvalid = errors.New("invalid IM assertion")

// Verifier checks assertions against the IM's published keys. It is safe for concurrent use.
type Verifier struct {
	keys *jwks.Cache
	now  func() time.Time
}

// NewVerifier returns a Verifier reading the IM's keys from src.
func NewVerifier(src jwks.Source) *Verifier {
	return &Verifier{keys: jwks.NewCache(jwks.CacheOptions{Source: src}), now: time.Now}
}

// Verify checks token for a call of method. Errors wrap ErrInvalid, except when the keys cannot be read.
func (v *Verifier) Verify(ctx context.Context, token, method string) (Assertion, error) {
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return Assertion{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if len(tok.Headers) != 1 || tok.Headers[0].KeyID == "" {
		return Assertion{}, fmt.Errorf("%w: it names no key (kid)", ErrInvalid)
	}
	key, err := v.keys.Key(ctx, tok.Headers[0].KeyID)
	if errors.Is(err, jwks.ErrUnknownKey) {
		return Assertion{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	} else if err != nil {
		return Assertion{}, err
	}
	var std jwt.Claims
	var priv privateClaims
	if err := tok.Claims(key, &std, &priv); err != nil {
		return Assertion{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if std.Expiry == nil {
		return Assertion{}, fmt.Errorf("%w: no expiry", ErrInvalid)
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: Issuer, AnyAudience: jwt.Audience{method}, Time: v.now()}, leeway); err != nil {
		return Assertion{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	a := Assertion{Method: method, PersonalData: priv.PersonalData}
	if std.Subject != "" {
		if a.Client, err = imident.Parse(std.Subject); err != nil {
			return Assertion{}, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	}
	return a, nil
}

// exempt are the methods a BB answers without the IM: health, which Kubernetes, compose and the IM's own
// /readyz probe directly.
func exempt(method string) bool { return strings.HasPrefix(method, "/grpc.health.v1.Health/") }

// refusedMessage is what a caller that bypassed the IM is told.
const refusedMessage = "this building block answers only calls through the Information Mediator: the call carries no valid IM assertion (" + MetadataKey + ")"

// trusted checks the assertion of an incoming call of method and returns the context the BB serves it in:
// its incoming metadata names the client and the personal-data right as the assertion says, and nothing a
// caller sent beside it.
func (v *Verifier) trusted(ctx context.Context, method string) (context.Context, error) {
	if exempt(method) {
		return ctx, nil
	}
	md, _ := metadata.FromIncomingContext(ctx)
	tokens := md.Get(MetadataKey)
	if len(tokens) != 1 {
		return ctx, status.Error(codes.Unauthenticated, refusedMessage)
	}
	a, err := v.Verify(ctx, tokens[0], method)
	switch {
	case errors.Is(err, ErrInvalid):
		return ctx, status.Error(codes.Unauthenticated, refusedMessage+": "+err.Error())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return ctx, status.FromContextError(err).Err()
	case err != nil:
		return ctx, status.Error(codes.Unavailable, "the IM's keys cannot be read right now (GOVSTACK_IM_KEYS_URL); try again shortly")
	}
	md = md.Copy()
	for _, name := range imident.HeaderNames {
		md.Delete(name)
	}
	md.Delete(imident.PersonalDataMetadataKey)
	md.Delete(MetadataKey)
	if !a.Client.IsZero() {
		md.Set(imident.MetadataKey, a.Client.String())
	}
	if a.PersonalData {
		md.Set(imident.PersonalDataMetadataKey, imident.PersonalDataGranted)
	}
	return metadata.NewIncomingContext(ctx, md), nil
}

// UnaryServerInterceptor refuses every call without a valid assertion (health excepted) and serves the
// others with the identity the assertion names. It goes before the BB's own interceptors.
func UnaryServerInterceptor(v *Verifier) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ctx, err := v.trusted(ctx, info.FullMethod)
		if err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
}

// StreamServerInterceptor is UnaryServerInterceptor for streams.
func StreamServerInterceptor(v *Verifier) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		ctx, err := v.trusted(ss.Context(), info.FullMethod)
		if err != nil {
			return err
		}
		return handler(srv, &serverStream{ServerStream: ss, ctx: ctx})
	}
}

type serverStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *serverStream) Context() context.Context { return s.ctx }
