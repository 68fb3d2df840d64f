package gateway_test

import (
	"context"
	"net"
	"sync"
	"testing"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
)

// Registry names that make the fake answer with an error instead of a canned response.
const (
	regMissing = "missing" // NotFound with ErrorInfo
	regInvalid = "invalid" // InvalidArgument with field violations
	regSlow    = "slow"    // blocks until the deadline passes
	regBroken  = "broken"  // Unavailable without ErrorInfo, like a transport failure
)

// call is what the fake received for one RPC.
type call struct {
	method      string // RPC name, e.g. "ListRecords"
	req         proto.Message
	md          metadata.MD
	hasDeadline bool // the call carried a deadline
}

// fakeRegistries implements the generated Registries and Databases servers with canned responses and
// records every request, so tests can assert what reached the BB through the gateway.
type fakeRegistries struct {
	registriesv1.UnimplementedRegistriesServiceServer
	registriesv1.UnimplementedDatabasesServiceServer

	mu    sync.Mutex
	calls []call
}

func (f *fakeRegistries) record(ctx context.Context, method string, req proto.Message) {
	md, _ := metadata.FromIncomingContext(ctx)
	_, hasDeadline := ctx.Deadline()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{method: method, req: req, md: md, hasDeadline: hasDeadline})
}

// last returns the most recent call; the test fails when there was none.
func (f *fakeRegistries) last(t *testing.T) call {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("no RPC reached the fake registries server")
	}
	return f.calls[len(f.calls)-1]
}

func (f *fakeRegistries) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// failFor turns the special registry names into the errors the error-path tests need.
func failFor(ctx context.Context, registry string) error {
	switch registry {
	case regMissing:
		st, _ := status.New(codes.NotFound, "no record matches the query").WithDetails(
			&errdetails.ErrorInfo{Reason: "GOVSTACK_REGISTRIES_RECORD_NOT_FOUND", Domain: "govstack.registries"})
		return st.Err()
	case regInvalid:
		st, _ := status.New(codes.InvalidArgument, "the record does not match the schema").WithDetails(
			&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
				{Field: "write.content.birthDate", Description: "must be a date"},
				{Field: "write.content.name", Description: "is required"},
			}},
			&errdetails.ErrorInfo{Reason: "GOVSTACK_REGISTRIES_SCHEMA_VIOLATION", Domain: "govstack.registries"})
		return st.Err()
	case regSlow:
		<-ctx.Done()
		return status.FromContextError(ctx.Err()).Err()
	case regBroken:
		return status.Error(codes.Unavailable, "dial tcp 10.0.0.7:9092: connect: connection refused")
	}
	return nil
}

func record(content map[string]any) *structpb.Struct {
	s, err := structpb.NewStruct(content)
	if err != nil {
		panic(err)
	}
	return s
}

func (f *fakeRegistries) ListRecords(ctx context.Context, r *registriesv1.ListRecordsRequest) (*registriesv1.ListRecordsResponse, error) {
	f.record(ctx, "ListRecords", r)
	if err := failFor(ctx, r.GetRegistryName()); err != nil {
		return nil, err
	}
	return &registriesv1.ListRecordsResponse{Results: []*structpb.Struct{record(map[string]any{"ID": "1"})}}, nil
}

func (f *fakeRegistries) CreateRecord(ctx context.Context, r *registriesv1.CreateRecordRequest) (*registriesv1.CreateRecordResponse, error) {
	f.record(ctx, "CreateRecord", r)
	if err := failFor(ctx, r.GetRegistryName()); err != nil {
		return nil, err
	}
	return &registriesv1.CreateRecordResponse{Content: r.GetWrite().GetContent()}, nil
}

func (f *fakeRegistries) RecordExists(ctx context.Context, r *registriesv1.RecordExistsRequest) (*registriesv1.RecordExistsResponse, error) {
	f.record(ctx, "RecordExists", r)
	return &registriesv1.RecordExistsResponse{Answer: &registriesv1.ExistsAnswer{Status: true, Message: "Object found"}}, nil
}

func (f *fakeRegistries) ReadRecord(ctx context.Context, r *registriesv1.ReadRecordRequest) (*registriesv1.ReadRecordResponse, error) {
	f.record(ctx, "ReadRecord", r)
	if err := failFor(ctx, r.GetRegistryName()); err != nil {
		return nil, err
	}
	return &registriesv1.ReadRecordResponse{Content: r.GetQuery().GetContent()}, nil
}

func (f *fakeRegistries) UpdateRecord(ctx context.Context, r *registriesv1.UpdateRecordRequest) (*registriesv1.UpdateRecordResponse, error) {
	f.record(ctx, "UpdateRecord", r)
	return &registriesv1.UpdateRecordResponse{Content: r.GetWrite().GetContent()}, nil
}

func (f *fakeRegistries) UpdateEntries(ctx context.Context, r *registriesv1.UpdateEntriesRequest) (*registriesv1.UpdateEntriesResponse, error) {
	f.record(ctx, "UpdateEntries", r)
	return &registriesv1.UpdateEntriesResponse{Count: 2}, nil
}

func (f *fakeRegistries) UpdateOrCreateRecord(ctx context.Context, r *registriesv1.UpdateOrCreateRecordRequest) (*registriesv1.UpdateOrCreateRecordResponse, error) {
	f.record(ctx, "UpdateOrCreateRecord", r)
	return &registriesv1.UpdateOrCreateRecordResponse{Content: r.GetWrite().GetContent(), Created: true}, nil
}

func (f *fakeRegistries) DeleteRecord(ctx context.Context, r *registriesv1.DeleteRecordRequest) (*registriesv1.DeleteRecordResponse, error) {
	f.record(ctx, "DeleteRecord", r)
	if err := failFor(ctx, r.GetRegistryName()); err != nil {
		return nil, err
	}
	// The registries BB asks for 204 this way.
	if err := grpc.SetHeader(ctx, metadata.Pairs("x-http-code", "204")); err != nil {
		return nil, err
	}
	return &registriesv1.DeleteRecordResponse{}, nil
}

func (f *fakeRegistries) ReadRecordValue(ctx context.Context, r *registriesv1.ReadRecordValueRequest) (*registriesv1.ReadRecordValueResponse, error) {
	f.record(ctx, "ReadRecordValue", r)
	return &registriesv1.ReadRecordValueResponse{Value: structpb.NewStringValue("Ada")}, nil
}

func (f *fakeRegistries) ListPersonalDataUsage(ctx context.Context, r *registriesv1.ListPersonalDataUsageRequest) (*registriesv1.ListPersonalDataUsageResponse, error) {
	f.record(ctx, "ListPersonalDataUsage", r)
	return &registriesv1.ListPersonalDataUsageResponse{Usages: []*registriesv1.PersonalDataUsage{
		{Id: "u1", ReaderId: "reader-1", DatabaseId: r.GetDatabaseId()},
		{Id: "u2", ReaderId: "reader-2", DatabaseId: r.GetDatabaseId()},
	}}, nil
}

func (f *fakeRegistries) ListDatabases(ctx context.Context, r *registriesv1.ListDatabasesRequest) (*registriesv1.ListDatabasesResponse, error) {
	f.record(ctx, "ListDatabases", r)
	return &registriesv1.ListDatabasesResponse{Id: 1, Name: "Health", Code: "health",
		Databases: []*registriesv1.Database{{Id: 7, Name: "patients", Version: "1.0", GroupName: "Health"}},
	}, nil
}

func (f *fakeRegistries) GetDatabase(ctx context.Context, r *registriesv1.GetDatabaseRequest) (*registriesv1.GetDatabaseResponse, error) {
	f.record(ctx, "GetDatabase", r)
	return &registriesv1.GetDatabaseResponse{Database: &registriesv1.Database{Id: int32(r.GetId()), Name: "patients", Version: "1.0"}}, nil
}

func (f *fakeRegistries) ModifyDatabase(ctx context.Context, r *registriesv1.ModifyDatabaseRequest) (*registriesv1.ModifyDatabaseResponse, error) {
	f.record(ctx, "ModifyDatabase", r)
	if err := grpc.SetHeader(ctx, metadata.Pairs("location", "/database/8")); err != nil {
		return nil, err
	}
	return &registriesv1.ModifyDatabaseResponse{Database: &registriesv1.Database{Id: 8, Name: r.GetName(), Version: r.GetVersion()},
		Created: true, Schema: r.GetSchema()}, nil
}

func (f *fakeRegistries) DeleteDatabase(ctx context.Context, r *registriesv1.DeleteDatabaseRequest) (*registriesv1.DeleteDatabaseResponse, error) {
	f.record(ctx, "DeleteDatabase", r)
	return &registriesv1.DeleteDatabaseResponse{Result: "Success"}, nil
}

// startFake serves the fake and a gRPC health server on 127.0.0.1:0 until the test ends.
func startFake(t *testing.T) (*fakeRegistries, *health.Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeRegistries{}
	hs := health.NewServer() // overall status "" starts SERVING
	srv := grpc.NewServer()
	registriesv1.RegisterRegistriesServiceServer(srv, f)
	registriesv1.RegisterDatabasesServiceServer(srv, f)
	healthpb.RegisterHealthServer(srv, hs)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	return f, hs, ln.Addr().String()
}
