package msglog

import (
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/platform/imident"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

var appClient = imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "app"}

func echoHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		Annotate(r.Context(), "EE/GOV/2/reg/registries", "/govstack.registries.v1.RegistriesService/CreateRecord")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte("created:" + string(body)))
	})
}

func serve(h http.Handler, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/r1/EE/GOV/2/reg/registries/data?name=Jane+Doe", strings.NewReader(body))
	req = req.WithContext(imident.NewContext(req.Context(), appClient))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func readRecords(t *testing.T, f *fixture) []Record {
	t.Helper()
	rows, err := f.pool.Query(context.Background(), "SELECT "+columnList()+" FROM im_msglog_record WHERE chain_id = $1 ORDER BY seq", f.log.Writer().Chain())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		if err := scanRecord(rows, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestMiddlewareLogsRequestAndResponse(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	h := Middleware(f.log.Writer(), Options{})(echoHandler())
	if rec := serve(h, `{"name":"Jane"}`); rec.Code != http.StatusCreated || rec.Body.String() != `created:{"name":"Jane"}` {
		t.Fatalf("response %d %q: the middleware changed it", rec.Code, rec.Body.String())
	}
	f.waitRecords(t, 2)
	recs := readRecords(t, f)
	req, res := recs[0], recs[1]
	if req.Direction != Request || res.Direction != Response || req.MessageID == "" || req.MessageID != res.MessageID {
		t.Fatalf("directions/ids: %+v / %+v", req, res)
	}
	for _, r := range recs {
		if r.Client != "EE/GOV/1/app" || r.Service != "EE/GOV/2/reg/registries" ||
			r.Endpoint != "/govstack.registries.v1.RegistriesService/CreateRecord" || r.Method != "POST" {
			t.Fatalf("identity fields: %+v", r)
		}
		if r.Path != "/r1/EE/GOV/2/reg/registries/data" {
			t.Fatalf("path %q: the query string (personal data) must not be logged", r.Path)
		}
		if r.Body != nil {
			t.Fatalf("body kept although bodies are off: %q", r.Body)
		}
	}
	reqSum, resSum := sha256.Sum256([]byte(`{"name":"Jane"}`)), sha256.Sum256([]byte(`created:{"name":"Jane"}`))
	if req.Size != 15 || string(req.BodySHA) != string(reqSum[:]) || req.Status != 0 {
		t.Fatalf("request size/hash/status: %d %x %d", req.Size, req.BodySHA, req.Status)
	}
	if res.Size != 23 || string(res.BodySHA) != string(resSum[:]) || res.Status != http.StatusCreated {
		t.Fatalf("response size/hash/status: %d %x %d", res.Size, res.BodySHA, res.Status)
	}
	if req.CorrID != req.MessageID || res.Finished.Before(res.Started) {
		t.Fatalf("correlation/time: %+v", res)
	}
	mustOK(t, f.verify(t))
}

// With bodies on, a body is kept up to the cap while the hash and size still cover all of it.
func TestMiddlewareKeepsCappedBodiesWhenConfigured(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	opts := Options{Bodies: true, MaxBodyBytes: 4}
	serve(Middleware(f.log.Writer(), opts)(echoHandler()), "abcdefgh")
	f.waitRecords(t, 2)
	recs := readRecords(t, f)
	sum := sha256.Sum256([]byte("abcdefgh"))
	if string(recs[0].Body) != "abcd" || recs[0].Size != 8 || string(recs[0].BodySHA) != string(sum[:]) {
		t.Fatalf("request record body %q size %d", recs[0].Body, recs[0].Size)
	}
	if string(recs[1].Body) != "crea" {
		t.Fatalf("response record body %q", recs[1].Body)
	}
	mustOK(t, f.verify(t))
}

func TestUnaryServerInterceptorLogsGRPCCalls(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	ic := UnaryServerInterceptor(f.log.Writer())
	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs(imident.MetadataKey, "EE/GOV/9/claimed", "x-request-id", "req-42"))
	info := &grpc.UnaryServerInfo{FullMethod: "/govstack.registries.v1.RegistriesService/ReadRecord"}
	_, err := ic(ctx, wrapperspb.String("hello"), info, func(ctx context.Context, _ any) (any, error) {
		AnnotateClient(ctx, appClient) // authenticated inside; the claimed metadata identity is never logged
		Annotate(ctx, "EE/GOV/2/reg/registries", info.FullMethod)
		return nil, status.Error(codes.PermissionDenied, "no")
	})
	if status.Code(err) != codes.PermissionDenied {
		t.Fatal(err)
	}
	f.waitRecords(t, 2)
	recs := readRecords(t, f)
	if recs[0].MessageID != "req-42" || recs[0].Client != "EE/GOV/1/app" || recs[0].Size != 7 ||
		recs[0].Service != "EE/GOV/2/reg/registries" || recs[0].Endpoint != info.FullMethod {
		t.Fatalf("request record %+v", recs[0])
	}
	if recs[1].Status != http.StatusForbidden || recs[1].Size != 0 {
		t.Fatalf("response record status %d size %d, want 403 and 0", recs[1].Status, recs[1].Size)
	}
}

// fakeStream is a server stream with one request message of 5 bytes and room for replies.
type fakeStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s fakeStream) Context() context.Context { return s.ctx }
func (s fakeStream) RecvMsg(m any) error {
	m.(*wrapperspb.StringValue).Value = "hello"
	return nil
}
func (s fakeStream) SendMsg(any) error { return nil }

func TestStreamServerInterceptorCountsBothWays(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	ic := StreamServerInterceptor(f.log.Writer())
	info := &grpc.StreamServerInfo{FullMethod: "/govstack.registries.v1.RegistriesService/ReadRecord"}
	err := ic(nil, fakeStream{ctx: context.Background()}, info, func(_ any, ss grpc.ServerStream) error {
		AnnotateClient(ss.Context(), appClient) // the proxy authenticates inside the handler
		in := &wrapperspb.StringValue{}
		if err := ss.RecvMsg(in); err != nil {
			return err
		}
		return ss.SendMsg(wrapperspb.String("hello, world"))
	})
	if err != nil {
		t.Fatal(err)
	}
	f.waitRecords(t, 2)
	recs := readRecords(t, f)
	if recs[0].Size != 7 || recs[1].Size != 14 || recs[1].Status != http.StatusOK || recs[0].Client != "EE/GOV/1/app" {
		t.Fatalf("records %+v / %+v", recs[0], recs[1])
	}
}

func TestUnaryClientInterceptorLogsTheUpstreamHop(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	ic := UnaryClientInterceptor(f.log.Writer())
	ctx := imident.NewContext(context.Background(), appClient)
	reply := &wrapperspb.StringValue{}
	err := ic(ctx, "/govstack.registries.v1.RegistriesService/ReadRecord", wrapperspb.String("q"), reply, nil,
		func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error {
			reply.Value = "answer"
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	f.waitRecords(t, 2)
	recs := readRecords(t, f)
	if recs[0].Client != "EE/GOV/1/app" || recs[0].Size != 3 || recs[1].Size != 8 || recs[1].Status != http.StatusOK {
		t.Fatalf("records %+v / %+v", recs[0], recs[1])
	}
}
