package usertoken

import (
	"context"
	"net/http"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// DefaultIssuer is the iss of the Registration BB's access tokens (GOVSTACK_TOKEN_ISSUER's default).
const DefaultIssuer = "govstack-registration"

// VerifierFor is a BB's verifier of Registration's tokens: on keys when given (tests, govstack dev, which
// hold the keys in process), else on the JWKS at jwksURL; nil when there is neither. Token times are checked
// against the wall clock: a token's expiry is real time, whatever a BB's own clock says.
func VerifierFor(keys KeySource, jwksURL, issuer string) *Verifier {
	if keys == nil && jwksURL != "" {
		keys = HTTPKeySource(&http.Client{Timeout: 10 * time.Second}, jwksURL)
	}
	if keys == nil {
		return nil
	}
	return NewVerifier(VerifierOptions{Keys: keys, Issuer: issuer})
}

// NoKeysMessage is what a call carrying Authorization is told by a BB that has no keys to verify it with.
func NoKeysMessage(bb string) string {
	return "this " + bb + " BB is not configured to verify user tokens (GOVSTACK_JWKS_URL)"
}

// StrictUnaryServerInterceptor verifies user tokens with v, as UnaryServerInterceptor does. Without a
// verifier a call carrying Authorization is refused (Unauthenticated, NoKeysMessage(bb)) rather than run as
// the IM client alone: the caller meant to act as a person, and ignoring the token would hand them the
// client's trust — or refuse them for a role they do hold, with no hint why.
func StrictUnaryServerInterceptor(v *Verifier, bb string) grpc.UnaryServerInterceptor {
	if v != nil {
		return UnaryServerInterceptor(v)
	}
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if _, ok := BearerFromMetadata(ctx); ok {
			return nil, status.Error(codes.Unauthenticated, NoKeysMessage(bb))
		}
		return handler(ctx, req)
	}
}
