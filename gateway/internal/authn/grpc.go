package authn

import (
	"context"
	"errors"
	"strings"

	"github.com/govstackbb/marketplace/platform/imident"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
)

// APIKeyMetadata is the gRPC metadata key of an IM API key (the gRPC spelling of APIKeyHeader).
const APIKeyMetadata = "x-govstack-api-key"

// AuthenticateGRPC is Middleware's check for a gRPC call through the IM: the claim is the x-govstack-client
// metadata, the credential an API key in x-govstack-api-key or the TLS client certificate of the connection.
// It returns the zero Client for an anonymous caller, and a status error for a refused one.
func AuthenticateGRPC(ctx context.Context, creds Credentials, o Options) (imident.Client, error) {
	c, claimed, err := imident.FromIncomingContext(ctx)
	if err != nil {
		return imident.Client{}, status.Error(codes.InvalidArgument, err.Error())
	}
	cl := claim{client: c, claimed: claimed}
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		if v := md.Get(APIKeyMetadata); len(v) > 0 {
			cl.apiKey = strings.TrimSpace(v[0])
		}
	}
	if p, ok := peer.FromContext(ctx); ok {
		if ti, ok := p.AuthInfo.(credentials.TLSInfo); ok && len(ti.State.PeerCertificates) > 0 {
			cl.certDER = ti.State.PeerCertificates[0].Raw
		}
	}
	client, err := check(ctx, cl, creds, o)
	var ae *authError
	if errors.As(err, &ae) {
		return imident.Client{}, status.Error(ae.code, ae.msg)
	}
	return client, err
}
