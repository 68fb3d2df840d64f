package grpcproxy

import (
	"context"
	"net"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/platform/imclient"
	"github.com/govstackbb/marketplace/platform/imident"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

var (
	caller   = imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "registration"}
	stranger = imident.Client{Instance: "EE", Class: "GOV", Member: "2", Subsystem: "other"}
	service  = mediate.Service{Provider: imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "GOVSTACK", Subsystem: "registries"}, Code: "registries", BB: "registries", Enabled: true}
)

// stubRegistries answers GetDatabase with the identity, request id and Messaging apiKey it received, so
// the test sees what the proxy forwarded.
type stubRegistries struct {
	registriesv1.UnimplementedDatabasesServiceServer
}

func (stubRegistries) GetDatabase(ctx context.Context, req *registriesv1.GetDatabaseRequest) (*registriesv1.GetDatabaseResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	if req.GetId() == 404 {
		return nil, status.Error(codes.NotFound, "no registry missing")
	}
	if len(md.Get(authn.APIKeyMetadata)) > 0 {
		return nil, status.Error(codes.Internal, "the API key reached the BB")
	}
	who := md.Get(imident.MetadataKey)
	rid := md.Get("x-request-id")
	return &registriesv1.GetDatabaseResponse{Database: &registriesv1.Database{Id: int32(req.GetId()),
		Name: first(who) + "|" + first(rid) + "|" + first(md.Get("apikey"))}}, nil
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

type keys map[string]imident.Client

func (k keys) AuthenticateAPIKey(_ context.Context, key string) (imident.Client, error) {
	if c, ok := k[key]; ok {
		return c, nil
	}
	return imident.Client{}, authn.ErrUnknownCredential
}

func (keys) ClientForCertificate(context.Context, string) (imident.Client, error) {
	return imident.Client{}, authn.ErrUnknownCredential
}

// grants allows exactly the (client, endpoint) pairs listed.
type grants map[string]bool

func (g grants) Allowed(_ context.Context, c imident.Client, s mediate.Service, endpoint string) (bool, string, error) {
	return g[c.String()+" "+s.Key()+" "+endpoint], "not granted", nil
}

func serve(t *testing.T, register func(*grpc.Server), opts ...grpc.ServerOption) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer(opts...)
	register(s)
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(s.Stop)
	return ln.Addr().String()
}

func TestProxy(t *testing.T) {
	bbAddr := serve(t, func(s *grpc.Server) { registriesv1.RegisterDatabasesServiceServer(s, stubRegistries{}) })
	bb, err := grpc.NewClient(bbAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bb.Close() })
	getDatabase := registriesv1.DatabasesService_GetDatabase_FullMethodName
	p := &Proxy{
		Upstreams:   map[string]Upstream{"registries": {Conn: bb, Service: service}},
		Credentials: keys{"k-caller": caller, "k-stranger": stranger},
		Rights:      grants{caller.String() + " " + service.Key() + " " + getDatabase: true},
	}
	imAddr := serve(t, func(s *grpc.Server) { healthpb.RegisterHealthServer(s, health.NewServer()) }, p.ServerOptions()...)

	call := func(who imident.Client, key string, id int32) (*registriesv1.GetDatabaseResponse, error) {
		conn, err := imclient.Dial(imclient.Options{Addr: imAddr, Client: who, APIKey: key})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		ctx := metadata.AppendToOutgoingContext(context.Background(), "x-request-id", "req-42", "apikey", "messaging-key")
		return registriesv1.NewDatabasesServiceClient(conn).GetDatabase(ctx, &registriesv1.GetDatabaseRequest{Id: int64(id)})
	}

	res, err := call(caller, "k-caller", 1)
	if err != nil {
		t.Fatalf("granted call: %v", err)
	}
	if got, want := res.GetDatabase().GetName(), caller.String()+"|req-42|messaging-key"; got != want {
		t.Errorf("the BB saw identity|request id|apiKey %q, want %q", got, want)
	}
	if _, err := call(caller, "k-caller", 404); status.Code(err) != codes.NotFound {
		t.Errorf("the BB's own error should pass through unchanged, got %v", err)
	}
	for _, tc := range []struct {
		name string
		who  imident.Client
		key  string
		want codes.Code
	}{
		{"no grant", stranger, "k-stranger", codes.PermissionDenied},
		{"claim contradicts key", caller, "k-stranger", codes.PermissionDenied},
		{"unknown key", caller, "nope", codes.Unauthenticated},
		{"no credential", caller, "", codes.Unauthenticated},
	} {
		if _, err := call(tc.who, tc.key, 1); status.Code(err) != tc.want {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.want)
		}
	}
	// The proxy's own health service still answers (its messages are not frames).
	conn, _ := grpc.NewClient(imAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	defer conn.Close()
	if _, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
		t.Errorf("health through the proxy server: %v", err)
	}
	// A method of a BB the IM does not route is Unimplemented, not forwarded anywhere.
	err = conn.Invoke(context.Background(), "/govstack.payments.v1.PaymentsService/Pay", &healthpb.HealthCheckRequest{}, &healthpb.HealthCheckResponse{})
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("unrouted BB: %v", err)
	}
}
