package observability

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/platform/httpserver"
)

// ServeMetrics serves /metrics on addr until ctx is done, for processes without an HTTP listener of their
// own (the BBs speak only gRPC). An empty addr turns it off: it then just waits for ctx, so callers can run
// it in their errgroup unconditionally.
func ServeMetrics(ctx context.Context, addr string, log *slog.Logger) error {
	if addr == "" {
		<-ctx.Done()
		return nil
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("GOVSTACK_METRICS_ADDR: cannot listen on %s: %w", addr, err)
	}
	return serveMetricsOn(ctx, l, log)
}

func serveMetricsOn(ctx context.Context, l net.Listener, log *slog.Logger) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", MetricsHandler())
	log.Info("metrics listening", "addr", l.Addr().String())
	return httpserver.Serve(ctx, l, &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, 5*time.Second)
}
