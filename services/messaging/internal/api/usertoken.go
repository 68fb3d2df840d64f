package api

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/usertoken"
	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
)

// NoKeysMessage is what a personal-data call carrying a user token is told when this BB cannot verify it.
const NoKeysMessage = "this Messaging BB is not configured to verify user tokens (GOVSTACK_JWKS_URL): " +
	"call without the token through a client that holds the IM's personal-data right, or ask the operator to set GOVSTACK_JWKS_URL"

// personalDataMethods are the OperatorService calls that show or change a person's data: the dead letters
// (recipients, errors) and the opt-out list (addresses). They need a staff or admin token, the person's own
// token (opt-outs of their own address) or the IM's personal-data right (app.authorisePersonalData).
var personalDataMethods = map[string]bool{
	messagingv1.OperatorService_ListDeadLetters_FullMethodName: true,
	messagingv1.OperatorService_RetryMessage_FullMethodName:    true,
	messagingv1.OperatorService_AddOptOut_FullMethodName:       true,
	messagingv1.OperatorService_RemoveOptOut_FullMethodName:    true,
	messagingv1.OperatorService_ListOptOuts_FullMethodName:     true,
}

// TokenInterceptor verifies the user token (metadata authorization: Bearer) of a personal-data call and puts
// its claims in the context; it runs after the apiKey check. The send API is authorised by its apiKey
// alone, so a token there is neither needed nor checked (a portal forwarding its user's token keeps
// working on a BB without GOVSTACK_JWKS_URL). Without a verifier, a personal-data call carrying a token is
// refused rather than run as a call without one, so the caller learns why their token does not count.
func TokenInterceptor(v *usertoken.Verifier) grpc.UnaryServerInterceptor {
	verify := usertoken.UnaryServerInterceptor(v)
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if !personalDataMethods[info.FullMethod] {
			return h(ctx, req)
		}
		if v == nil {
			if _, ok := usertoken.BearerFromMetadata(ctx); ok {
				return nil, status.Error(codes.Unauthenticated, NoKeysMessage)
			}
			return h(ctx, req)
		}
		return verify(ctx, req, info, h)
	}
}
