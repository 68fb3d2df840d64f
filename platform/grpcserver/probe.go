package grpcserver

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Probe asks the gRPC server listening on addr (a listen address such as 0.0.0.0:9092 is dialled on
// loopback) whether it is SERVING. Every BB binary's `healthcheck` subcommand calls it, because container
// images have no grpc_health_probe.
func Probe(ctx context.Context, addr string) error {
	conn, err := grpc.NewClient(DialAddr(addr), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return fmt.Errorf("health check of %s: %w", addr, err)
	}
	if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return fmt.Errorf("health check of %s: %s", addr, resp.GetStatus())
	}
	return nil
}

// DialAddr turns a listen address (0.0.0.0:9092, [::]:9092, :9092) into one a client on the same host can dial.
func DialAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
