package idempotency

import (
	"context"
	"fmt"
	"strings"
	"sync"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// headerTap records the response header metadata a handler sets, so that a replay sets it again (a BB's
// x-http-code 201 or Location must come back with the kept answer).
type headerTap struct {
	grpc.ServerTransportStream
	mu sync.Mutex
	md metadata.MD
}

func (t *headerTap) SetHeader(md metadata.MD) error {
	t.record(md)
	return t.ServerTransportStream.SetHeader(md)
}

func (t *headerTap) SendHeader(md metadata.MD) error {
	t.record(md)
	return t.ServerTransportStream.SendHeader(md)
}

func (t *headerTap) record(md metadata.MD) {
	t.mu.Lock()
	t.md = metadata.Join(t.md, md)
	t.mu.Unlock()
}

func (t *headerTap) headers() metadata.MD {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.md.Copy()
}

// decodeResponse rebuilds the kept answer as the method's response type, found in the compiled-in
// descriptors: the BB's own generated code registered it.
func decodeResponse(method string, b []byte) (proto.Message, error) {
	service, name, ok := strings.Cut(strings.TrimPrefix(method, "/"), "/")
	if !ok {
		return nil, fmt.Errorf("idempotency: method %q is not /service/method", method)
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		return nil, fmt.Errorf("idempotency: service of %s: %w", method, err)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok || sd.Methods().ByName(protoreflect.Name(name)) == nil {
		return nil, fmt.Errorf("idempotency: no method %s", method)
	}
	mt, err := protoregistry.GlobalTypes.FindMessageByName(sd.Methods().ByName(protoreflect.Name(name)).Output().FullName())
	if err != nil {
		return nil, fmt.Errorf("idempotency: response type of %s: %w", method, err)
	}
	m := mt.New().Interface()
	if err := proto.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("idempotency: kept answer of %s: %w", method, err)
	}
	return m, nil
}

// decodeStatus rebuilds a kept error answer.
func decodeStatus(b []byte) error {
	var s spb.Status
	if err := proto.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("idempotency: kept status: %w", err)
	}
	return status.FromProto(&s).Err()
}

// inProgress answers a retry of a request still running (or carried out, its answer not recorded) with the
// current state Options.InProgress reads, as 202 Accepted.
func (k *keeper) inProgress(ctx context.Context, c call) (any, error) {
	resp, err := k.opts.InProgress(ctx, c.method, c.req)
	if err != nil {
		return nil, k.refuse(err)
	}
	_ = grpc.SetHeader(ctx, metadata.Pairs("x-http-code", "202"))
	return resp, nil
}

// withoutKey drops the idempotency-key metadata from the call's incoming context.
func withoutKey(ctx context.Context) context.Context {
	md, ok := metadata.FromIncomingContext(ctx)
	if !ok || len(md.Get(MetadataKey)) == 0 {
		return ctx
	}
	md = md.Copy()
	md.Delete(MetadataKey)
	return metadata.NewIncomingContext(ctx, md)
}
