// Package httpserver runs an http.Server on a listener for the life of a context, the way every process of
// ours stops: on ctx done, stop accepting, let in-flight requests finish within a bound, then close.
package httpserver

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Serve serves srv on l until ctx is done, then shuts it down gracefully, waiting at most shutdownTimeout
// before closing the remaining connections. It returns nil after a clean stop and the serve error when the
// server fails on its own.
func Serve(ctx context.Context, l net.Listener, srv *http.Server, shutdownTimeout time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// In-flight requests outlived the bound: cut them off rather than hang the shutdown.
		_ = srv.Close()
	}
	<-errc
	return nil
}
