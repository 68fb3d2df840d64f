package imident

import (
	"context"
	"errors"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Reasons in the ErrorInfo of a rejected call, so clients and the gateway can tell the two cases apart.
const (
	ReasonMissing   = "GOVSTACK_IM_CLIENT_MISSING"
	ReasonMalformed = "GOVSTACK_IM_CLIENT_MALFORMED"
)

// missingMessage lists every accepted spelling because a caller who sent another one will look for it.
const missingMessage = "the Information-Mediator-Client header is required (also accepted: X-GovStack-Client, " +
	"X-Road-Client), format INSTANCE/CLASS/MEMBER/SUBSYSTEM"

// FromIncomingContext reads the identity from incoming gRPC metadata under any spelling of the header
// (grpc-gateway and plain HTTP/2 clients keep the header name; metadata keys are lower case).
func FromIncomingContext(ctx context.Context) (c Client, present bool, err error) {
	md, _ := metadata.FromIncomingContext(ctx)
	var found []sent
	for _, name := range HeaderNames {
		for _, v := range md.Get(strings.ToLower(name)) {
			found = append(found, sent{name, v})
		}
	}
	return resolve(found)
}

// AppendToOutgoing adds c to the outgoing metadata of ctx under MetadataKey, for a call to another service.
func AppendToOutgoing(ctx context.Context, c Client) context.Context {
	return metadata.AppendToOutgoingContext(ctx, MetadataKey, c.String())
}

// UnaryServerInterceptor puts the caller's identity in the context (see FromContext). For methods where
// required(fullMethod) is true, a missing or malformed identity is rejected with InvalidArgument naming the
// header; other methods run without an identity in that case. A nil required requires it nowhere.
func UnaryServerInterceptor(required func(fullMethod string) bool) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		c, present, err := FromIncomingContext(ctx)
		if err == nil && present {
			return handler(NewContext(ctx, c), req)
		}
		if required == nil || !required(info.FullMethod) {
			return handler(ctx, req)
		}
		if err != nil {
			return nil, rejection(ReasonMalformed, err)
		}
		return nil, rejection(ReasonMissing, errors.New(missingMessage))
	}
}

func rejection(reason string, err error) error {
	st, detailErr := status.New(codes.InvalidArgument, err.Error()).WithDetails(
		&errdetails.ErrorInfo{Reason: reason, Domain: "govstack.im"},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "Information-Mediator-Client", Description: err.Error()},
		}},
	)
	if detailErr != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	return st.Err()
}
