// Package grpcserver is the gRPC bootstrap every building block shares (ARCHITECTURE.md §4): health,
// reflection, OpenTelemetry, panic recovery and request logs, with a bounded graceful shutdown.
package grpcserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
)

// DefaultShutdownTimeout bounds the graceful stop when Options.ShutdownTimeout is zero; it matches the
// default of GOVSTACK_SHUTDOWN_TIMEOUT.
const DefaultShutdownTimeout = 15 * time.Second

// Options configure a Server.
type Options struct {
	Name            string                        // service name for logs/traces, e.g. "registries"
	Addr            string                        // listen address, e.g. "127.0.0.1:9091"; ":0" picks a port
	Listener        net.Listener                  // optional: use instead of Addr
	Logger          *slog.Logger                  // nil means slog.Default()
	Unary           []grpc.UnaryServerInterceptor // appended after recovery, logging, text check (in that order)
	ShutdownTimeout time.Duration                 // zero means DefaultShutdownTimeout
	// Stream interceptors run after recovery and logging, like Unary.
	Stream []grpc.StreamServerInterceptor
	// ServerOptions are added last, e.g. TLS credentials or the IM proxy's codec and unknown-service handler.
	ServerOptions []grpc.ServerOption
	// QuietMethods are full method names logged at debug when they succeed: long polls a worker repeats
	// every few seconds (Workflow's job activation), which would otherwise drown the info log.
	QuietMethods []string
}

// Server is a grpc.Server with the shared plumbing registered. Register services on GRPC() before Run.
type Server struct {
	opts   Options
	log    *slog.Logger
	grpc   *grpc.Server
	health *health.Server

	mu sync.Mutex
	ln net.Listener
}

// New builds the server; it does not listen yet.
func New(o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	log := o.Logger
	if o.Name != "" {
		log = log.With("service", o.Name)
	}
	calls := callLog{log: log, quiet: map[string]bool{}}
	for _, m := range o.QuietMethods {
		calls.quiet[m] = true
	}
	unary := append([]grpc.UnaryServerInterceptor{recoverUnary(log), logUnary(calls), textUnary(o.Name)}, o.Unary...)
	stream := append([]grpc.StreamServerInterceptor{recoverStream(log), logStream(calls)}, o.Stream...)
	opts := append([]grpc.ServerOption{
		grpc.StatsHandler(otelgrpc.NewServerHandler()),
		grpc.ChainUnaryInterceptor(unary...),
		grpc.ChainStreamInterceptor(stream...),
	}, o.ServerOptions...)
	s := &Server{
		opts:   o,
		log:    log,
		health: health.NewServer(),
		grpc:   grpc.NewServer(opts...),
	}
	healthpb.RegisterHealthServer(s.grpc, s.health)
	reflection.Register(s.grpc)
	return s
}

// GRPC returns the underlying server, to register services on before Run.
func (s *Server) GRPC() *grpc.Server { return s.grpc }

// Health returns the health service, e.g. to report NOT_SERVING while a dependency is down.
func (s *Server) Health() *health.Server { return s.health }

// Addr returns the bound address (useful with ":0"), or nil before Listen.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Listen binds Options.Listener or Options.Addr. Run calls it if it has not been called; call it yourself to
// learn the address before serving. A second call does nothing.
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return nil
	}
	if s.opts.Listener != nil {
		s.ln = s.opts.Listener
		return nil
	}
	if s.opts.Addr == "" {
		return errors.New("grpcserver: no listen address: set GOVSTACK_GRPC_ADDR (Options.Addr) or Options.Listener")
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("grpcserver: listen on %s: %w", s.opts.Addr, err)
	}
	s.ln = ln
	return nil
}

// Run serves until ctx is done, then shuts down in the order of ARCHITECTURE.md §4: every health status
// goes NOT_SERVING (so load balancers stop sending new calls), GracefulStop lets in-flight calls finish,
// and after ShutdownTimeout Stop cancels whatever is left — including health Watch streams, which never end
// on their own. It returns nil after a shutdown caused by ctx, or the error that stopped serving.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	// Services registered after New are announced individually, so clients may check them by name.
	for name := range s.grpc.GetServiceInfo() {
		s.health.SetServingStatus(name, healthpb.HealthCheckResponse_SERVING)
	}
	served := make(chan error, 1)
	go func() { served <- s.grpc.Serve(s.ln) }()
	s.log.InfoContext(ctx, "gRPC server listening", "addr", s.ln.Addr().String())

	select {
	case err := <-served:
		// Serve returned without a shutdown of ours: the listener failed.
		s.health.Shutdown()
		s.grpc.Stop()
		return fmt.Errorf("grpcserver: serve: %w", err)
	case <-ctx.Done():
	}

	s.health.Shutdown()
	stopped := make(chan struct{})
	go func() {
		s.grpc.GracefulStop()
		close(stopped)
	}()
	timer := time.NewTimer(s.opts.ShutdownTimeout)
	defer timer.Stop()
	select {
	case <-stopped:
	case <-timer.C:
		s.log.Warn("graceful stop timed out; cancelling remaining calls", "timeout", s.opts.ShutdownTimeout.String())
		s.grpc.Stop()
		<-stopped
	}
	if err := <-served; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return fmt.Errorf("grpcserver: serve: %w", err)
	}
	s.log.Info("gRPC server stopped")
	return nil
}
