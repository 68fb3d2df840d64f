// Package observability sets up the three signals every process emits (ARCHITECTURE.md §10): JSON logs with
// trace ids, OpenTelemetry traces, and Prometheus metrics.
package observability

import (
	"context"
	"io"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// NewLogger returns a JSON logger at level (debug, info, warn or error; anything else means info, since
// config.Common.Validate has already rejected bad values). Records logged with a context that carries a
// valid span get trace_id and span_id, so a log line leads to its trace.
func NewLogger(w io.Writer, level string) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: ParseLevel(level)})
	return slog.New(traceHandler{h})
}

// ParseLevel maps a GOVSTACK_LOG_LEVEL value to a slog level; unknown values mean info.
func ParseLevel(level string) slog.Level {
	switch level {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}

// traceHandler adds the span of the record's context. The ids land inside any group opened with WithGroup,
// because slog offers no way to add top-level attributes below a group.
type traceHandler struct{ slog.Handler }

func (h traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() && !hasAttr(r, "trace_id") {
		r = r.Clone() // the record's attrs may be shared with other handlers
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

// hasAttr lets callers (e.g. grpcserver's request log) set trace_id themselves without duplicating the key.
func hasAttr(r slog.Record, key string) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = a.Key == key
		return !found
	})
	return found
}

func (h traceHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return traceHandler{h.Handler.WithAttrs(attrs)}
}

func (h traceHandler) WithGroup(name string) slog.Handler {
	return traceHandler{h.Handler.WithGroup(name)}
}
