package gateway_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/usertoken"
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// fakeRegistration serves the Registration BB's services with one signing key, records uploads and the
// metadata of each call, and can be told to fail.
type fakeRegistration struct {
	registrationv1.UnimplementedEServiceServiceServer
	registrationv1.UnimplementedAccountServiceServer
	registrationv1.UnimplementedAuthServiceServer

	priv     ed25519.PrivateKey
	keysDown atomic.Bool // GetJWKS answers Unavailable

	mu      sync.Mutex
	md      []metadata.MD
	uploads []*registrationv1.UploadDocumentRequest
}

const fakeKid = "test-key-1"

func (f *fakeRegistration) seen(ctx context.Context) {
	md, _ := metadata.FromIncomingContext(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.md = append(f.md, md)
}

func (f *fakeRegistration) calls() []metadata.MD {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]metadata.MD(nil), f.md...)
}

func (f *fakeRegistration) GetJWKS(context.Context, *registrationv1.GetJWKSRequest) (*registrationv1.GetJWKSResponse, error) {
	if f.keysDown.Load() {
		return nil, status.Error(codes.Unavailable, "connection refused")
	}
	x := base64.RawURLEncoding.EncodeToString(f.priv.Public().(ed25519.PublicKey))
	return &registrationv1.GetJWKSResponse{Keys: []*registrationv1.Jwk{
		{Kty: "OKP", Crv: "Ed25519", X: x, Kid: fakeKid, Alg: "EdDSA", Use: "sig"}}}, nil
}

func (f *fakeRegistration) GetMe(ctx context.Context, _ *registrationv1.GetMeRequest) (*registrationv1.GetMeResponse, error) {
	f.seen(ctx)
	return &registrationv1.GetMeResponse{}, nil
}

// ListServices fails like a BB whose Registries dependency is down: Unavailable with a RetryInfo.
func (f *fakeRegistration) ListServices(ctx context.Context, _ *registrationv1.ListServicesRequest) (*registrationv1.ListServicesResponse, error) {
	f.seen(ctx)
	return nil, grpcerr.ToStatus("registration", &apierr.Error{Kind: apierr.KindUnavailable, Reason: "REGISTRIES_UNAVAILABLE",
		Message: "Digital Registries is not available; try again later", RetryAfter: 2500 * time.Millisecond}).Err()
}

func (f *fakeRegistration) UploadDocument(ctx context.Context, r *registrationv1.UploadDocumentRequest) (*registrationv1.UploadDocumentResponse, error) {
	f.seen(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.uploads = append(f.uploads, r)
	return &registrationv1.UploadDocumentResponse{Code: 200, Url: "/documents/d1"}, nil
}

func (f *fakeRegistration) lastUpload(t *testing.T) *registrationv1.UploadDocumentRequest {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.uploads) == 0 {
		t.Fatal("no upload reached the fake registration server")
	}
	return f.uploads[len(f.uploads)-1]
}

// token signs an access token with the fake's key.
func (f *fakeRegistration) token(t *testing.T, roles ...string) string {
	t.Helper()
	tok, err := usertoken.Sign(f.priv, fakeKid, usertoken.Claims{Issuer: "govstack-registration", Subject: "acc-1", Email: "ann@health.gov.test", Roles: roles}, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func startFakeRegistration(t *testing.T) (*fakeRegistration, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeRegistration{priv: priv}
	// Uploads are larger than gRPC's default 4 MiB message limit; the real BB raises it the same way.
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(32 << 20))
	registrationv1.RegisterEServiceServiceServer(srv, f)
	registrationv1.RegisterAccountServiceServer(srv, f)
	registrationv1.RegisterAuthServiceServer(srv, f)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	return f, ln.Addr().String()
}

func (f *fakeRegistration) GetStatistics(ctx context.Context, _ *registrationv1.GetStatisticsRequest) (*registrationv1.GetStatisticsResponse, error) {
	f.seen(ctx)
	return &registrationv1.GetStatisticsResponse{Statistics: []*registrationv1.Statistics{{Processed: 7}}}, nil
}
