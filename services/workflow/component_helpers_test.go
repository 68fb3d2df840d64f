package workflow_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/jwks"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/platform/usertoken"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow"
)

// clock is a settable clock shared by the replicas and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// issuer signs user tokens the BB accepts.
type issuer struct {
	key  ed25519.PrivateKey
	keys usertoken.KeySource
}

func newIssuer(t testing.TB) *issuer {
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &issuer{key: key, keys: jwks.Static(map[string]ed25519.PublicKey{"k1": pub})}
}

// as returns ctx carrying a user token for the account with the given e-mail and roles.
func (is *issuer) as(t testing.TB, ctx context.Context, email string, roles ...string) context.Context {
	t.Helper()
	return is.asOf(t, ctx, email, "", roles...)
}

// asOf is as, for a person of organisation (the token's organisation claim).
func (is *issuer) asOf(t testing.TB, ctx context.Context, email, organisation string, roles ...string) context.Context {
	t.Helper()
	tok, err := usertoken.Sign(is.key, "k1", usertoken.Claims{Subject: "acct-" + email, Email: email, Name: email, Roles: roles,
		Organisation: organisation, Issuer: workflow.DefaultTokenIssuer}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok)
}

// env is a running BB: real Postgres, in-process NATS, a gRPC server and clients of it.
type env struct {
	pool      *pgxpool.Pool
	js        jetstream.JetStream
	clock     *clock
	svc       *workflow.Service
	tokens    *issuer
	processes workflowv1.ProcessServiceClient
	instances workflowv1.InstanceServiceClient
	jobs      workflowv1.JobServiceClient
	tasks     workflowv1.UserTaskServiceClient
	messages  workflowv1.MessageServiceClient
	ops       workflowv1.OperationsServiceClient
	stop      func() error // stops the replica (its gRPC server and background work); once
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testNow is the tests' "now".
var testNow = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

// options of a test replica.
type options struct {
	background bool // run the timer loop, relay and job notifications
	owner      string
	connectors bool                     // run the built-in connectors
	im         grpc.ClientConnInterface // where the connectors call the other BBs
	imAddr     string                   // or the IM's address, dialled as the binary dials it
	groups     string                   // GOVSTACK_WORKFLOW_GROUP_EMAILS
	streams    string                   // GOVSTACK_WORKFLOW_EVENT_STREAMS
}

// start runs one replica on a fresh database, with its background work.
func start(t testing.TB) *env {
	t.Helper()
	pool := pgtest.NewPool(t, append(workflow.Migrations(), idempotency.Migrations)...)
	_, js := natstest.Start(t)
	return startOn(t, pool, js, &clock{t: testNow}, newIssuer(t), options{background: true, owner: "replica-a"})
}

// startOn runs a replica on pool, sharing clk and the token issuer (several replicas share one database).
func startOn(t testing.TB, pool *pgxpool.Pool, js jetstream.JetStream, clk *clock, is *issuer, o options) *env {
	t.Helper()
	log := quietLog()
	cfg := workflow.Config{TimerPollInterval: 50 * time.Millisecond, JobLease: time.Minute, TimerLease: 30 * time.Second,
		TokenIssuer: workflow.DefaultTokenIssuer, Connectors: o.connectors, EmailAPIKey: "messaging-key", GroupEmails: o.groups,
		IMClient: "GOVSTACK/GOV/GOVSTACK/workflow", EventStreams: o.streams, EventMessageTTL: time.Hour, IMAddr: o.imAddr}
	svc, err := workflow.New(cfg, workflow.Deps{Pool: pool, JetStream: js, Logger: log, Now: clk.Now, Owner: o.owner, TokenKeys: is.keys,
		IM: o.im})
	if err != nil {
		t.Fatal(err)
	}
	unary := append(svc.UnaryInterceptors(), idempotency.Interceptor(workflow.Name, pool, idempotency.Options{Logger: log}))
	srv := grpcserver.New(grpcserver.Options{Name: workflow.Name, Addr: "127.0.0.1:0", Logger: log, Unary: unary,
		ShutdownTimeout: 5 * time.Second})
	svc.Register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Run(gctx) })
	if o.background {
		g.Go(func() error { return svc.Run(gctx) })
	}
	conn, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	stop := sync.OnceValue(func() error {
		_ = conn.Close()
		cancel()
		return g.Wait()
	})
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("replica stopped with %v", err)
		}
	})
	return &env{pool: pool, js: js, clock: clk, svc: svc, tokens: is, stop: stop,
		processes: workflowv1.NewProcessServiceClient(conn), instances: workflowv1.NewInstanceServiceClient(conn),
		jobs: workflowv1.NewJobServiceClient(conn), tasks: workflowv1.NewUserTaskServiceClient(conn),
		messages: workflowv1.NewMessageServiceClient(conn), ops: workflowv1.NewOperationsServiceClient(conn)}
}

// deploy deploys a BPMN file as GovStack's addProcess does and returns the process.
func (e *env) deploy(t testing.TB, xml string) *workflowv1.Process {
	t.Helper()
	p, err := e.processes.AddProcess(context.Background(), &workflowv1.AddProcessRequest{Name: "test", Type: "Public", Version: "1",
		ProcessBody: []*workflowv1.Property{{Code: "bpmn20-xml", Value: structpb.NewStringValue(xml)}}})
	if err != nil {
		t.Fatal(err)
	}
	return p.GetProcess()
}

// deployFile deploys a file of the repository.
func (e *env) deployFile(t testing.TB, path string) *workflowv1.Process {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return e.deploy(t, string(data))
}

// startProcess starts process with variables; key, when set, is the call's Idempotency-Key.
func (e *env) startProcess(t testing.TB, process string, vars map[string]any, key string) *workflowv1.StartedInstance {
	t.Helper()
	ctx := context.Background()
	if key != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, idempotency.MetadataKey, key)
	}
	s, err := structpb.NewStruct(vars)
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.processes.StartProcess(ctx, &workflowv1.StartProcessRequest{ProcessId: process, ProcessStartedBy: "test", Variables: s})
	if err != nil {
		t.Fatal(err)
	}
	return out.GetInstance()
}

// instance reads an instance.
func (e *env) instance(t testing.TB, id string) *workflowv1.ProcessInstance {
	t.Helper()
	out, err := e.instances.GetInstance(context.Background(), &workflowv1.GetInstanceRequest{InstanceId: id})
	if err != nil {
		t.Fatal(err)
	}
	return out.GetInstance()
}

// activate leases jobs of a type to worker (no waiting).
func (e *env) activate(t testing.TB, jobType, worker string, max int) []*workflowv1.Job {
	t.Helper()
	out, err := e.jobs.ActivateJobs(context.Background(), &workflowv1.ActivateJobsRequest{Type: jobType, Worker: worker,
		MaxJobsToActivate: int32(max)})
	if err != nil {
		t.Fatal(err)
	}
	return out.GetJobs()
}

// complete completes a job as its lease holder.
func (e *env) complete(t testing.TB, j *workflowv1.Job, vars map[string]any) {
	t.Helper()
	s, err := structpb.NewStruct(vars)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.jobs.CompleteJob(context.Background(), &workflowv1.CompleteJobRequest{JobKey: j.GetKey(), Worker: j.GetWorker(),
		LeaseEpoch: j.GetLeaseEpoch(), Variables: s}); err != nil {
		t.Fatal(err)
	}
}
