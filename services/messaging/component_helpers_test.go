package messaging_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging"
)

const testKey = "test-key-0123456789abcdef"

// env is a running BB: real Postgres, in-process NATS, a real SMTP sink, a gRPC server on a free port, and a
// Service.Run (the dispatcher and friends) that the test can stop and start again like a process.
type env struct {
	t      testing.TB
	cfg    messaging.Config
	pool   *pgxpool.Pool
	js     jetstream.JetStream
	sink   *sink
	msg    messagingv1.MessagingServiceClient
	op     messagingv1.OperatorServiceClient
	log    *slog.Logger
	deps   messaging.Deps
	stop   func() // stops the running Service.Run and waits for it
	cancel func() // stops the running Service.Run without waiting
}

func testConfig(smtpAddr string) messaging.Config {
	return messaging.Config{APIKeys: "tester=" + testKey + ",other=other-key-0123456789abcdef", SMTPAddr: smtpAddr,
		SMTPFrom: "no-reply@messaging.test", SMTPTLS: "none", SMTPTimeout: 10 * time.Second,
		MaxBatch: 1000, RecipientPerHour: 5, Workers: 8, MaxAttempts: 3, RetryBase: 20 * time.Millisecond,
		RetryMax: 100 * time.Millisecond, Lease: 2 * time.Second, PollInterval: 50 * time.Millisecond}
}

func start(t testing.TB, tweak func(*messaging.Config, *messaging.Deps)) *env {
	t.Helper()
	e := &env{t: t, sink: startSink(t), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	e.pool = pgtest.NewPool(t, messaging.Migrations()...)
	_, e.js = natstest.Start(t)
	e.cfg = testConfig(e.sink.addr)
	e.deps = messaging.Deps{Pool: e.pool, JetStream: e.js, Logger: e.log}
	if tweak != nil {
		tweak(&e.cfg, &e.deps)
	}
	svc, err := messaging.New(e.cfg, e.deps)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpcserver.New(grpcserver.Options{Name: messaging.Name, Addr: "127.0.0.1:0", Logger: e.log,
		Unary: svc.UnaryInterceptors(), ShutdownTimeout: 5 * time.Second})
	svc.Register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	conn, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	e.msg, e.op = messagingv1.NewMessagingServiceClient(conn), messagingv1.NewOperatorServiceClient(conn)
	e.run(svc)
	t.Cleanup(func() {
		e.stop()
		_ = conn.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("grpc server stopped with %v", err)
		}
	})
	return e
}

// run starts svc.Run in the background; e.stop cancels it and waits, as a process shutdown would.
func (e *env) run(svc *messaging.Service) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	stopped := false
	e.cancel = cancel
	e.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("Service.Run returned %v", err)
		}
	}
}

// restart starts a fresh Service (a new process) on the same database.
func (e *env) restart() {
	svc, err := messaging.New(e.cfg, e.deps)
	if err != nil {
		e.t.Fatal(err)
	}
	e.run(svc)
}

func authed() context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), messaging.APIKeyMetadata, testKey)
}

func b64Recipients(t testing.TB, emails []string) string {
	t.Helper()
	type ri struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	var list []map[string]ri
	for _, e := range emails {
		list = append(list, map[string]ri{"recipientInfo": {Email: e, Name: "R"}})
	}
	raw, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

func content(title string) *messagingv1.EmailContent {
	return &messagingv1.EmailContent{Encoding: "UTF-8", Title: title, Content: "Hello."}
}

func (e *env) status(uid string) *messagingv1.GetEmailStatusResponse {
	e.t.Helper()
	st, err := e.msg.GetEmailStatus(authed(), &messagingv1.GetEmailStatusRequest{RequestUid: uid})
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}
