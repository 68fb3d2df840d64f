// Package api is the gRPC face of the Messaging BB: it authenticates the apiKey, converts protobuf to the
// app's types and back.
package api

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging/internal/app"
)

// APIKeyMetadata is the gRPC metadata key of the apiKey; the gateway forwards the apiKey and api_key
// headers under it.
const APIKeyMetadata = "apikey"

// RequestUIDMetadata is the metadata key a requestUid header arrives under (when the gateway forwards it);
// the request field wins when both are set.
const RequestUIDMetadata = "requestuid"

type keyNameCtx struct{}

// AuthInterceptor checks the apiKey on every call of MessagingService and OperatorService and puts the key's
// name in the context. Missing or wrong keys are Unauthenticated (HTTP 401). It is the BB's first check: it
// runs before the request is validated (and before the user token is), so a call without a key learns that
// and nothing about its body.
func AuthInterceptor(keys app.Keys) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if !guarded(info.FullMethod) {
			return h(ctx, req)
		}
		key := apiKeyOf(ctx)
		switch {
		case keys.Empty():
			return nil, status.Error(codes.Unauthenticated, "no API keys are configured on this Messaging BB (GOVSTACK_MESSAGING_API_KEYS)")
		case key == "":
			return nil, status.Error(codes.Unauthenticated, "the apiKey header is required")
		}
		name, ok := keys.Authenticate(key)
		if !ok {
			return nil, status.Error(codes.Unauthenticated, "the apiKey is not valid")
		}
		return h(context.WithValue(ctx, keyNameCtx{}, name), req)
	}
}

// apiKeyOf is the call's apiKey: the first non-empty value under the metadata key apikey (where the gateway
// puts the apiKey and api_key headers) or api_key (a gRPC caller using GovStack's older spelling).
func apiKeyOf(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	for _, v := range append(md.Get(APIKeyMetadata), md.Get("api_key")...) {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func guarded(method string) bool {
	return strings.HasPrefix(method, "/"+messagingv1.MessagingService_ServiceDesc.ServiceName+"/") ||
		strings.HasPrefix(method, "/"+messagingv1.OperatorService_ServiceDesc.ServiceName+"/")
}

func keyName(ctx context.Context) string {
	n, _ := ctx.Value(keyNameCtx{}).(string)
	return n
}

// requestUID is the field when set, else the requestUid header forwarded as metadata.
func requestUID(ctx context.Context, field string) string {
	if field = strings.TrimSpace(field); field != "" {
		return field
	}
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get(RequestUIDMetadata); len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}
