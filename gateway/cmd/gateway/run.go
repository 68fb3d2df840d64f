package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"reflect"
	"syscall"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/observability"
)

// commonSettings are the config.Common variables the gateway uses; the others (database, NATS) are read
// but mean nothing to it, so -h does not list them.
var commonSettings = map[string]bool{
	"GOVSTACK_HTTP_ADDR": true, "GOVSTACK_LOG_LEVEL": true, "GOVSTACK_SHUTDOWN_TIMEOUT": true,
}

func run(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 1 && args[0] == "serve":
	case len(args) == 1 && args[0] == "healthcheck":
		return healthcheck(stderr)
	case len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		usage(stdout)
		return 0
	default:
		usage(stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, stderr); err != nil {
		fmt.Fprintln(stderr, "gateway:", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, logOut io.Writer) (err error) {
	cfg, err := config.Load[gateway.Config]()
	if err != nil {
		return err
	}
	log := observability.NewLogger(logOut, cfg.LogLevel)
	shutdownTracing, err := observability.SetupTracing(ctx, "gateway")
	if err != nil {
		return fmt.Errorf("tracing: %w", err)
	}
	defer func() {
		// Flush spans even after ctx is cancelled by the signal that stops us.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		if terr := shutdownTracing(sctx); terr != nil {
			log.Warn("tracing shutdown", "error", terr)
		}
	}()
	conn, err := gateway.Dial(ctx, cfg.RegistriesAddr)
	if err != nil {
		return err
	}
	defer conn.Close()
	g, err := gateway.New(cfg, log, gateway.Upstream{BB: "registries", Conn: conn})
	if err != nil {
		return err
	}
	log.Info("gateway starting", "registries", cfg.RegistriesAddr)
	return g.Run(ctx)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: gateway serve | gateway healthcheck")
	fmt.Fprintln(w, "\nserve: serves the GovStack building blocks' REST APIs (and /docs, /openapi, /healthz, /readyz, /metrics).")
	fmt.Fprintln(w, "healthcheck: exits 0 when the gateway at GOVSTACK_HTTP_ADDR answers /healthz (for container health checks).")
	fmt.Fprintln(w, "\nSettings (environment variables):")
	for _, s := range settings(reflect.TypeFor[gateway.Config]()) {
		fmt.Fprintf(w, "  %-36s default %q\n", s.name, s.def)
	}
	fmt.Fprintln(w, "  OTEL_EXPORTER_OTLP_ENDPOINT          send traces over OTLP when set")
}

type setting struct{ name, def string }

// settings lists the variables from the struct tags, so -h cannot drift from what Load reads.
func settings(t reflect.Type) []setting {
	var out []setting
	for f := range t.Fields() {
		if f.Anonymous {
			for _, s := range settings(f.Type) {
				if commonSettings[s.name] {
					out = append(out, s)
				}
			}
			continue
		}
		if name := f.Tag.Get("env"); name != "" {
			out = append(out, setting{name, f.Tag.Get("envDefault")})
		}
	}
	return out
}
