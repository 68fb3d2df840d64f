package registries_test

import (
	"context"
	"errors"
	"github.com/govstackbb/marketplace/platform/testkit"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/structpb"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries"
)

// testClient is the IM identity the component tests call with.
const testClient = "EE/GOV/70000001/ors"

// env is a running BB: real Postgres, in-process NATS, a gRPC server on a free port and clients of it.
type env struct {
	data registriesv1.RegistriesServiceClient
	dbs  registriesv1.DatabasesServiceClient
	js   jetstream.JetStream
	pool *pgxpool.Pool
}

func start(t *testing.T) env {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.NewPool(t, registries.Migrations()...)
	if err := registries.Seed(ctx, pool); err != nil {
		t.Fatal(err)
	}
	_, js := natstest.Start(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := registries.New(registries.Config{}, registries.Deps{Pool: pool, JetStream: js, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	srv := grpcserver.New(grpcserver.Options{Name: registries.Name, Addr: "127.0.0.1:0", Logger: log,
		Unary: svc.UnaryInterceptors(), ShutdownTimeout: 5 * time.Second})
	svc.Register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	g, gctx := errgroup.WithContext(runCtx)
	g.Go(func() error { return srv.Run(gctx) })
	g.Go(func() error { return svc.Run(gctx) })
	conn, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		cancel()
		if err := g.Wait(); err != nil {
			t.Errorf("service stopped with %v", err)
		}
	})
	return env{data: registriesv1.NewRegistriesServiceClient(conn), dbs: registriesv1.NewDatabasesServiceClient(conn),
		js: js, pool: pool}
}

// as returns a context calling as client (a raw header value, not necessarily well-formed).
func as(client string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), imident.MetadataKey, client)
}

func called() context.Context { return as(testClient) }

func obj(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func query(t *testing.T, m map[string]any) *registriesv1.RecordQuery {
	return &registriesv1.RecordQuery{Content: obj(t, m)}
}

func write(t *testing.T, m map[string]any) *registriesv1.RecordWrite {
	return &registriesv1.RecordWrite{Content: obj(t, m)}
}

// waitForStream waits until Service.Run has created the event stream.
func waitForStream(t *testing.T, js jetstream.JetStream) {
	eventually(t, 10*time.Second, "stream "+natsbus.StreamName(registries.Name), func() error {
		_, err := js.Stream(context.Background(), natsbus.StreamName(registries.Name))
		return err
	})
}

func contains(s, sub string) error {
	if !strings.Contains(s, sub) {
		return errors.New(s + " lacks " + sub)
	}
	return nil
}

// The assertions and the poll every BB's tests share (platform/testkit).
var (
	wantCode      = testkit.WantCode
	wantViolation = testkit.WantViolation
	eventually    = testkit.Eventually
)
