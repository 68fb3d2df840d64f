// Package api is the Payments BB's gRPC handlers: each decodes its request, calls the use case and encodes
// the answer (and the GovStack status it asks for, x-http-code). The headers GovStack's Payments spec
// defines arrive as metadata (the gateway forwards them): the tenant, the correlation id, the callback URL.
package api

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/usertoken"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// The metadata keys of the Payments spec's headers (gateway/internal/rest forwards them under these).
const (
	mdCorrelationID       = "x-correlationid"
	mdClientCorrelationID = "x-client-correlation-id"
	mdTenant              = "platform-tenantid"
	mdCallbackURL         = "x-callback-url"
	mdInstitution         = "x-registering-institution-id"
	mdProgram             = "x-program-id"
	mdPayerFI             = "x-payerfi-id"
	mdBiller              = "x-billerid"
	httpCode              = "x-http-code"
)

type keyCtx struct{}

// KeyInterceptor keeps the request's key — X-CorrelationID, else Idempotency-Key, else a 1.0 body's
// RequestID — in the context (and a RequestID in the metadata, as X-CorrelationID) before the
// idempotency keeper takes the Idempotency-Key out of the metadata: the use cases record it with what they
// create (a batch under its correlation id), so a retry that finds the first still running can be answered
// with its current state.
func KeyInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		k := first(ctx, mdCorrelationID, mdClientCorrelationID, idempotency.MetadataKey)
		if r, ok := req.(interface{ GetRequestId() string }); ok && k == "" && strings.HasPrefix(info.FullMethod, legacyPrefix) {
			// A 1.0 client sends no header: its body's RequestID is the key, as X-CorrelationID is in 3.0.
			if k = strings.TrimSpace(r.GetRequestId()); k != "" {
				md, _ := metadata.FromIncomingContext(ctx)
				md = md.Copy()
				md.Set(mdCorrelationID, k)
				ctx = metadata.NewIncomingContext(ctx, md)
			}
		}
		if k != "" {
			ctx = context.WithValue(ctx, keyCtx{}, k)
		}
		return h(ctx, req)
	}
}

// legacyPrefix starts the full method names of the 1.0 paths (LegacyService).
var legacyPrefix = "/" + paymentsv1.LegacyService_ServiceDesc.ServiceName + "/"

// requestKey is the request's correlation id or idempotency key, "" when it has none.
func requestKey(ctx context.Context) string {
	if k, ok := ctx.Value(keyCtx{}).(string); ok {
		return k
	}
	return first(ctx, mdCorrelationID, mdClientCorrelationID, idempotency.MetadataKey)
}

// first is the first non-empty value of the metadata keys.
func first(ctx context.Context, keys ...string) string {
	md, _ := metadata.FromIncomingContext(ctx)
	for _, k := range keys {
		for _, v := range md.Get(k) {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return ""
}

// actorOf is who calls: the IM client (required), its tenant — the client's member, narrowed by
// Platform-TenantId when given, so no client reaches another member's data — and the signed-in person.
func actorOf(ctx context.Context) (app.Actor, error) {
	c, present, err := imident.FromIncomingContext(ctx)
	if err != nil || !present {
		return app.Actor{}, apierr.Unauthenticated("IM_CLIENT_REQUIRED",
			"Payments answers only identified IM clients: send X-GovStack-Client (the gateway sets it for you)")
	}
	a := app.Actor{Client: c.String(), Tenant: tenantOf(c, first(ctx, mdTenant)), CorrelationID: requestKey(ctx),
		CallbackURL: first(ctx, mdCallbackURL)}
	if claims, ok := usertoken.FromContext(ctx); ok {
		a.User = &app.User{Subject: claims.Subject, Name: claims.Name, Roles: claims.Roles}
	}
	return a, nil
}

// TenantOf is the tenant of an IM client with an optional Platform-TenantId: INSTANCE/CLASS/MEMBER[/tenant].
func tenantOf(c imident.Client, platformTenant string) string {
	t := c.Instance + "/" + c.Class + "/" + c.Member
	if platformTenant != "" {
		t += "/" + platformTenant
	}
	return t
}

// setStatus asks the gateway to answer with an HTTP status other than 200 (GovStack's 202 Accepted).
func setStatus(ctx context.Context, code string) {
	_ = grpc.SetHeader(ctx, metadata.Pairs(httpCode, code))
}

// CallbackURLInterceptor refuses a call whose X-Callback-URL names a host the operator has not allowed
// (400 naming the header), before any use case keeps the URL: every callback this BB posts goes to a host of
// the list (an SSRF guard; the poster checks again when it sends).
func CallbackURLInterceptor(hosts domain.CallbackHosts) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if u := first(ctx, mdCallbackURL); u != "" {
			if err := hosts.CheckCallback(u); err != nil {
				return nil, err
			}
		}
		return h(ctx, req)
	}
}
