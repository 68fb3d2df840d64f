package grpcserver

import (
	"context"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
)

// echo answers /test.Test/Echo with the Struct it was sent.
var echo = grpc.MethodDesc{
	MethodName: "Echo",
	Handler: func(_ any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
		in := new(structpb.Struct)
		if err := dec(in); err != nil {
			return nil, err
		}
		h := func(_ context.Context, req any) (any, error) { return req, nil }
		if icpt == nil {
			return h(ctx, in)
		}
		return icpt(ctx, in, &grpc.UnaryServerInfo{FullMethod: "/test.Test/Echo"}, h)
	},
}

func TestTextPostgresCannotStoreIsRefused(t *testing.T) {
	r := start(t, Options{})
	ok, _ := structpb.NewStruct(map[string]any{"city": "Tallinn"})
	if err := r.conn.Invoke(context.Background(), "/test.Test/Echo", ok, new(structpb.Struct)); err != nil {
		t.Fatalf("clean request: %v", err)
	}
	bad, _ := structpb.NewStruct(map[string]any{"city": "Tal\x00linn"})
	err := r.conn.Invoke(context.Background(), "/test.Test/Echo", bad, new(structpb.Struct))
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("code = %v (%v), want InvalidArgument", st.Code(), err)
	}
	var field, reason string
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.BadRequest:
			field = d.GetFieldViolations()[0].GetField()
		case *errdetails.ErrorInfo:
			reason = d.GetReason()
		}
	}
	if field != "city" || reason != "GOVSTACK_TEST_INVALID_TEXT" {
		t.Errorf("field %q, reason %q; want city, GOVSTACK_TEST_INVALID_TEXT", field, reason)
	}
}
