package grpcproxy

import (
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
)

// frame is one gRPC message passed through unparsed: the proxy forwards bytes, so it needs no generated
// code for the services behind it and cannot alter a message by re-encoding it.
type frame struct{ data []byte }

// Len is the message's size, for the message log.
func (f *frame) Len() int { return len(f.data) }

// codec passes frames through as they are and encodes everything else (the health service's messages on
// the same server) as protobuf. It keeps the name "proto" so the wire content-type does not change.
type codec struct{ fallback encoding.CodecV2 }

func newCodec() codec { return codec{fallback: encoding.GetCodecV2(proto.Name)} }

func (c codec) Name() string { return proto.Name }

func (c codec) Marshal(v any) (mem.BufferSlice, error) {
	if f, ok := v.(*frame); ok {
		return mem.BufferSlice{mem.SliceBuffer(f.data)}, nil
	}
	return c.fallback.Marshal(v)
}

func (c codec) Unmarshal(data mem.BufferSlice, v any) error {
	if f, ok := v.(*frame); ok {
		f.data = data.Materialize() // a copy: data's buffers are reused once Unmarshal returns
		return nil
	}
	return c.fallback.Unmarshal(data, v)
}
