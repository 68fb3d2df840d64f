package workflow

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/usertoken"
)

// NoKeysMessage is what a call carrying Authorization is told when this BB has no keys to verify it with.
const NoKeysMessage = "this Workflow BB is not configured to verify user tokens (GOVSTACK_JWKS_URL)"

// tokenInterceptor verifies user tokens with v. Without a verifier a call carrying Authorization is refused
// rather than run as the IM client: the caller meant to act as a person, and ignoring the token would hand
// them the client's trust.
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
