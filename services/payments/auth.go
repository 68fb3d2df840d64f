package payments

import (
	"context"
	"net/http"

	"github.com/govstackbb/marketplace/platform/usertoken"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// DefaultTokenIssuer is the iss of the Registration BB's access tokens (GOVSTACK_TOKEN_ISSUER's default).
const DefaultTokenIssuer = "govstack-registration"

// NoKeysMessage is what a call carrying Authorization is told when this BB has no keys to verify it with.
const NoKeysMessage = "this Payments BB is not configured to verify user tokens (GOVSTACK_JWKS_URL)"

// tokenVerifier returns the verifier of user tokens: on deps.TokenKeys when given (tests, the all-in-one
// binary), else on the JWKS at cfg.JWKSURL; nil when there is neither. Token times are checked against the
// wall clock, not Deps.Now: a token's expiry is real time, whatever the scheduling clock says.
func tokenVerifier(cfg Config, deps Deps) *usertoken.Verifier {
	keys := deps.TokenKeys
	if keys == nil && cfg.JWKSURL != "" {
		keys = usertoken.HTTPKeySource(&http.Client{}, cfg.JWKSURL)
	}
	if keys == nil {
		return nil
	}
	return usertoken.NewVerifier(usertoken.VerifierOptions{Keys: keys, Issuer: cfg.TokenIssuer})
}

// tokenInterceptor verifies user tokens with v. Without a verifier a call carrying Authorization is refused
// rather than run as an anonymous (trusted IM client) call: the caller meant to act as a user, and silently
// ignoring the token would hand them the IM client's trust.
func tokenInterceptor(v *usertoken.Verifier) grpc.UnaryServerInterceptor {
	if v != nil {
		return usertoken.UnaryServerInterceptor(v)
	}
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		for _, h := range md.Get("authorization") {
			if h != "" {
				return nil, status.Error(codes.Unauthenticated, NoKeysMessage)
			}
		}
		return handler(ctx, req)
	}
}
