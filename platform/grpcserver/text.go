package grpcserver

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/textcheck"
)

// textUnary refuses a request that carries text Postgres cannot store (a NUL character, bytes that are not
// UTF-8) with InvalidArgument naming each field, before any handler sees it: one place for every BB, so no
// store meets such a string (ARCHITECTURE.md §8). Requests that are not proto messages (the IM's
// transparent proxy forwards raw frames) pass unchecked; the BB behind the proxy checks them.
func textUnary(bb string) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if m, ok := req.(proto.Message); ok {
			if err := textcheck.Error(textcheck.Message(m)); err != nil {
				return nil, grpcerr.ToStatus(bb, err).Err()
			}
		}
		return handler(ctx, req)
	}
}
