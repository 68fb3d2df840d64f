package api

import (
	"context"
	"strings"

	"github.com/govstackbb/marketplace/platform/usertoken"
	"google.golang.org/grpc"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
)

// TokenInterceptor verifies access tokens with v (this BB's own published keys).
//
// The AuthService calls (sign-in, refresh, sign-out, password reset, JWKS) ignore an access token: a client
// whose token has expired sends it along when it signs in again, and that must not stop it.
func TokenInterceptor(v *usertoken.Verifier) grpc.UnaryServerInterceptor {
	verify := usertoken.UnaryServerInterceptor(v)
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if strings.HasPrefix(info.FullMethod, "/"+registrationv1.AuthService_ServiceDesc.ServiceName+"/") {
			return handler(ctx, req)
		}
		return verify(ctx, req, info, handler)
	}
}
