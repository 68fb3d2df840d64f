package msglog

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// requestIDMetadata is the correlation id BBs pass from call to call (platform/imclient).
const requestIDMetadata = "x-request-id"

// UnaryServerInterceptor logs unary gRPC calls served by a server (a request and a response record each).
// The client is the authenticated one: set by an inner layer with AnnotateClient, or already in the context
// (imident.NewContext) by an outer one; the client metadata alone is a claim and is not logged as the client.
func UnaryServerInterceptor(w *Writer) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		call := startCall(ctx, info.FullMethod)
		resp, err := handler(call.ctx, req)
		call.finish(w, sizeOf(req), sizeOf(resp), err)
		return resp, err
	}
}

// StreamServerInterceptor logs streamed gRPC calls, such as the IM's BB-to-BB proxy, counting the bytes of
// every message each way. Messages the proxy passes through unparsed are counted when they have a Len() int.
func StreamServerInterceptor(w *Writer) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		call := startCall(ss.Context(), info.FullMethod)
		counted := &countingStream{ServerStream: ss, ctx: call.ctx}
		err := handler(srv, counted)
		call.finish(w, counted.in, counted.out, err)
		return err
	}
}

// UnaryClientInterceptor logs the calls a client makes (the gateway's REST-to-gRPC hop), with the caller
// from imident.FromContext.
func UnaryClientInterceptor(w *Writer) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		call := startCall(ctx, method)
		err := invoker(call.ctx, method, req, reply, cc, opts...)
		out := int64(0)
		if err == nil {
			out = sizeOf(reply)
		}
		call.finish(w, sizeOf(req), out, err)
		return err
	}
}

type grpcCall struct {
	ctx     context.Context
	ann     *annotation
	method  string
	started time.Time
}

func startCall(ctx context.Context, method string) grpcCall {
	ctx, ann := withAnnotation(ctx)
	return grpcCall{ctx: ctx, ann: ann, method: method, started: time.Now()}
}

func (c grpcCall) finish(w *Writer, in, out int64, err error) {
	client, service, endpoint := c.ann.get()
	if client == "" {
		// Only an authenticated identity: the x-govstack-client metadata alone is a claim.
		if cl, ok := imident.FromContext(c.ctx); ok {
			client = cl.String()
		}
	}
	if endpoint == "" {
		endpoint = c.method
	}
	id, corr := grpcIDs(c.ctx)
	req := Record{
		MessageID: id, Direction: Request, Client: client, Service: service, Endpoint: endpoint,
		Method: "POST", Path: c.method, Started: c.started, Finished: time.Now(), Size: in,
		TraceID: traceID(c.ctx), CorrID: corr,
	}
	res := req
	res.Direction, res.Size, res.Status = Response, out, httpStatusOf(err)
	w.Append(req)
	w.Append(res)
}

// grpcIDs returns the message id (the x-request-id the caller sent, else a new one) and the correlation id.
func grpcIDs(ctx context.Context) (id, corr string) {
	for _, get := range []func(context.Context) (metadata.MD, bool){metadata.FromIncomingContext, metadata.FromOutgoingContext} {
		if md, ok := get(ctx); ok {
			if v := md.Get(requestIDMetadata); len(v) > 0 && saneHeader(v[0]) {
				return v[0], v[0]
			}
		}
	}
	id = requestIDOrNew(ctx)
	return id, id
}

func saneHeader(s string) bool { return s != "" && len(s) <= 128 }

// httpStatusOf maps a gRPC status to the HTTP status the gateway would answer, so gRPC and REST records
// share one status column.
func httpStatusOf(err error) int {
	return runtime.HTTPStatusFromCode(status.Code(err))
}

func sizeOf(m any) int64 {
	switch v := m.(type) {
	case proto.Message:
		return int64(proto.Size(v))
	case interface{ Len() int }:
		return int64(v.Len())
	case []byte:
		return int64(len(v))
	}
	return 0
}

// countingStream counts message bytes both ways and carries the annotation context.
type countingStream struct {
	grpc.ServerStream
	ctx     context.Context
	in, out int64
}

func (s *countingStream) Context() context.Context { return s.ctx }

func (s *countingStream) RecvMsg(m any) error {
	err := s.ServerStream.RecvMsg(m)
	if err == nil {
		s.in += sizeOf(m)
	}
	return err
}

func (s *countingStream) SendMsg(m any) error {
	err := s.ServerStream.SendMsg(m)
	if err == nil {
		s.out += sizeOf(m)
	}
	return err
}
