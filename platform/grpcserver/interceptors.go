package grpcserver

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/imident"
)

// internalMessage is what a caller sees after a panic; the panic value may hold data it must not see.
const internalMessage = "internal error"

func recoverUnary(log *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if p := recover(); p != nil {
				logPanic(ctx, log, info.FullMethod, p)
				resp, err = nil, status.Error(codes.Internal, internalMessage)
			}
		}()
		return handler(ctx, req)
	}
}

func recoverStream(log *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		defer func() {
			if p := recover(); p != nil {
				logPanic(ss.Context(), log, info.FullMethod, p)
				err = status.Error(codes.Internal, internalMessage)
			}
		}()
		return handler(srv, ss)
	}
}

func logPanic(ctx context.Context, log *slog.Logger, method string, p any) {
	log.ErrorContext(ctx, "panic in gRPC handler", "method", method, "code", codes.Internal.String(),
		"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
}

// callLog writes one line per call, at debug for the quiet methods that succeeded.
type callLog struct {
	log   *slog.Logger
	quiet map[string]bool
}

// logUnary writes one line per call. A panicking call is logged by the recovery interceptor instead, which
// runs outside this one.
func logUnary(l callLog) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		resp, err := handler(ctx, req)
		l.call(ctx, info.FullMethod, start, err)
		return resp, err
	}
}

func logStream(l callLog) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		start := time.Now()
		err := handler(srv, ss)
		l.call(ss.Context(), info.FullMethod, start, err)
		return err
	}
}

func (l callLog) call(ctx context.Context, method string, start time.Time, err error) {
	code := status.Code(err)
	level := levelFor(method, code)
	if code == codes.OK && l.quiet[method] {
		level = slog.LevelDebug
	}
	log := l.log
	if !log.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", method),
		slog.String("code", code.String()),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
	}
	// The identity interceptor runs after this one, so read the metadata directly. A malformed value is not
	// logged: it is caller-controlled text, and the rejection already names it.
	if c, present, idErr := imident.FromIncomingContext(ctx); present && idErr == nil {
		attrs = append(attrs, slog.String("client", c.String()))
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		attrs = append(attrs, slog.String("trace_id", sc.TraceID().String()))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", status.Convert(err).Message()))
	}
	log.LogAttrs(ctx, level, "gRPC call", attrs...)
}

// levelFor keeps health probes out of info logs (they arrive every few seconds) and raises server faults to
// error, so that alerts on error lines see them; caller mistakes stay at info.
func levelFor(method string, code codes.Code) slog.Level {
	switch {
	case code == codes.Internal || code == codes.Unknown || code == codes.DataLoss:
		return slog.LevelError
	case strings.HasPrefix(method, "/grpc.health.v1.") || strings.HasPrefix(method, "/grpc.reflection."):
		return slog.LevelDebug
	default:
		return slog.LevelInfo
	}
}
