package workflow_test

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/platform/testkit"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow"
)

// fakeBBs stand in for Messaging and Scheduling behind the IM, recording what the connectors send.
type fakeBBs struct {
	messagingv1.UnimplementedMessagingServiceServer
	messagingv1.UnimplementedOperatorServiceServer
	schedulingv1.UnimplementedDeadlineServiceServer
	mu       sync.Mutex
	sends    []*messagingv1.SendEmailBatchRequest
	keys     []string // Idempotency-Key of each send
	apiKeys  []string
	failWith codes.Code // answer sends with this code (OK: accept)
	// hold, when set, makes a send wait until its caller gives up, telling held when it starts waiting.
	hold bool
	held chan struct{}
}

func (f *fakeBBs) SendEmailBatch(ctx context.Context, r *messagingv1.SendEmailBatchRequest) (*messagingv1.SendEmailBatchResponse, error) {
	if f.hold {
		f.held <- struct{}{}
		<-ctx.Done()
		return nil, status.Error(codes.Canceled, "the caller gave up")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failWith != codes.OK {
		return nil, status.Error(f.failWith, "the fake refuses")
	}
	md, _ := metadata.FromIncomingContext(ctx)
	f.sends, f.keys, f.apiKeys = append(f.sends, r), append(f.keys, first(md.Get(idempotency.MetadataKey))), append(f.apiKeys, first(md.Get("apikey")))
	return &messagingv1.SendEmailBatchResponse{RequestUid: r.GetRequestUid(), Accepted: int32(len(r.GetRecipients()))}, nil
}

func (f *fakeBBs) GetTemplate(context.Context, *messagingv1.GetTemplateRequest) (*messagingv1.GetTemplateResponse, error) {
	return nil, status.Error(codes.NotFound, "no such template")
}

func (f *fakeBBs) SetDeadline(_ context.Context, r *schedulingv1.SetDeadlineRequest) (*schedulingv1.SetDeadlineResponse, error) {
	return &schedulingv1.SetDeadlineResponse{Deadline: &schedulingv1.Deadline{DeadlineId: "dl-" + r.GetReference()}}, nil
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// startWithFakes runs a replica whose connectors call fakes.
func startWithFakes(t *testing.T, fakes *fakeBBs) *env {
	t.Helper()
	pool := pgtest.NewPool(t, append(workflow.Migrations(), idempotency.Migrations)...)
	_, js := natstest.Start(t)
	return startOn(t, pool, js, &clock{t: testNow}, newIssuer(t), options{background: true, owner: "replica-a", im: fakeIM(t, fakes),
		connectors: true, groups: "probation-supervisors=sup1@example.org;sup2@example.org"})
}

// fakeIM serves fakes over gRPC, as the IM would put the BBs in front of the connectors.
func fakeIM(t *testing.T, fakes *fakeBBs) *grpc.ClientConn {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveFakes(t, l, fakes)
	conn, err := grpc.NewClient(l.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// serveFakes answers for Messaging and Scheduling on l.
func serveFakes(t *testing.T, l net.Listener, fakes *fakeBBs) {
	srv := grpc.NewServer()
	messagingv1.RegisterMessagingServiceServer(srv, fakes)
	messagingv1.RegisterOperatorServiceServer(srv, fakes)
	schedulingv1.RegisterDeadlineServiceServer(srv, fakes)
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(srv.Stop)
}

// A connector whose IM is unreachable waits for it instead of spending the job's retries: the IM's port
// first refuses every connection, and once the connector has tried, the IM comes up there. The clock never
// moves, so a job that had failed (a retry spent, a backoff to wait) would never be done.
func TestAConnectorWaitsForAnUnreachableIM(t *testing.T) {
	refusing, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tried := make(chan struct{}, 1)
	go func() {
		for {
			c, err := refusing.Accept()
			if err != nil {
				return
			}
			_ = c.Close() // the IM is not there: the connection drops before gRPC can speak
			select {
			case tried <- struct{}{}:
			default:
			}
		}
	}()
	pool := pgtest.NewPool(t, append(workflow.Migrations(), idempotency.Migrations)...)
	_, js := natstest.Start(t)
	e := startOn(t, pool, js, &clock{t: testNow}, newIssuer(t), options{background: true, owner: "replica-a",
		imAddr: refusing.Addr().String(), connectors: true, groups: "probation-supervisors=sup1@example.org"})
	e.deploy(t, bpmnDoc(notify))
	inst := e.startProcess(t, "p", map[string]any{"clientEmail": "client@example.org", "caseId": "P-1"}, "")
	select {
	case <-tried:
	case <-time.After(20 * time.Second):
		t.Fatal("the connector never tried the IM")
	}
	_ = refusing.Close()
	l, err := net.Listen("tcp", refusing.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	fakes := &fakeBBs{}
	serveFakes(t, l, fakes)
	got := e.eventually(t, inst.GetId(), "the connectors complete once the IM is up", func(i *workflowv1.ProcessInstance) bool {
		return i.GetState() == "completed"
	})
	if got.GetOpenIncidents() != 0 {
		t.Fatalf("instance %v", got)
	}
	fakes.mu.Lock()
	defer fakes.mu.Unlock()
	if len(fakes.sends) != 1 {
		t.Fatalf("%d sends", len(fakes.sends))
	}
}

// A connector stopped in the middle of a call hands its job back: the next replica does it at once, not when
// the two-minute lease runs out (the clock here never moves, so a held job would never be done).
func TestAStoppingConnectorHandsItsJobBack(t *testing.T) {
	stuck := &fakeBBs{hold: true, held: make(chan struct{}, 1)}
	a := startWithFakes(t, stuck)
	a.deploy(t, bpmnDoc(notify))
	inst := a.startProcess(t, "p", map[string]any{"clientEmail": "client@example.org", "caseId": "P-1"}, "")
	select {
	case <-stuck.held:
	case <-time.After(20 * time.Second):
		t.Fatal("the connector never called Messaging")
	}
	if err := a.stop(); err != nil {
		t.Fatal(err)
	}
	fakes := &fakeBBs{}
	b := startOn(t, a.pool, a.js, a.clock, a.tokens, options{background: true, owner: "replica-b", im: fakeIM(t, fakes),
		connectors: true, groups: "probation-supervisors=sup1@example.org"})
	b.eventually(t, inst.GetId(), "the other replica completes the instance", func(i *workflowv1.ProcessInstance) bool {
		return i.GetState() == "completed"
	})
	fakes.mu.Lock()
	defer fakes.mu.Unlock()
	if len(fakes.sends) != 1 {
		t.Fatalf("%d sends by the second replica", len(fakes.sends))
	}
}

const notify = `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Mail"/>
<bpmn:serviceTask id="Mail"><bpmn:extensionElements><zeebe:taskDefinition type="govstack-messaging-send" retries="2"/>
<zeebe:taskHeaders><zeebe:header key="template" value="case-opened"/><zeebe:header key="channel" value="email"/></zeebe:taskHeaders>
<zeebe:ioMapping><zeebe:input source="=[clientEmail]" target="recipients"/><zeebe:input source="probation-supervisors" target="recipientGroup"/>
<zeebe:input source="=&#34;Case &#34; + caseId" target="subject"/><zeebe:input source="={caseId: caseId}" target="templateData"/></zeebe:ioMapping>
</bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f2" sourceRef="Mail" targetRef="Deadline"/>
<bpmn:serviceTask id="Deadline"><bpmn:extensionElements><zeebe:taskDefinition type="govstack-scheduling-deadline"/>
<zeebe:ioMapping><zeebe:input source="=&#34;report&#34;" target="subject"/><zeebe:input source="=caseId" target="reference"/>
<zeebe:input source="2027-04-01T00:00:00Z" target="dueAt"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f3" sourceRef="Deadline" targetRef="Publish"/>
<bpmn:serviceTask id="Publish"><bpmn:extensionElements><zeebe:taskDefinition type="govstack-publish-event"/>
<zeebe:taskHeaders><zeebe:header key="name" value="case-opened"/></zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f4" sourceRef="Publish" targetRef="E"/><bpmn:endEvent id="E"/>`

func TestConnectorsCallTheOtherBBsWithTheJobAsIdempotencyKey(t *testing.T) {
	fakes := &fakeBBs{}
	e := startWithFakes(t, fakes)
	e.deploy(t, bpmnDoc(notify))
	inst := e.startProcess(t, "p", map[string]any{"clientEmail": "client@example.org", "caseId": "P-1"}, "")
	got := e.eventually(t, inst.GetId(), "the connectors complete", func(i *workflowv1.ProcessInstance) bool { return i.GetState() == "completed" })
	vars := got.GetVariables().AsMap()
	if vars["deadlineId"] != "dl-P-1" || vars["messagesAccepted"] != 3.0 {
		t.Fatalf("variables %v", vars)
	}
	fakes.mu.Lock()
	defer fakes.mu.Unlock()
	if len(fakes.sends) != 1 {
		t.Fatalf("%d sends", len(fakes.sends))
	}
	send := fakes.sends[0]
	if len(send.GetRecipients()) != 3 || send.GetEmailContent().GetTitle() != "Case P-1" || fakes.apiKeys[0] != "messaging-key" ||
		fakes.keys[0] == "" || fakes.keys[0] != send.GetRequestUid() {
		t.Fatalf("send %v key %q api key %q", send, fakes.keys[0], fakes.apiKeys[0])
	}
}

func TestAConnectorThatKeepsFailingRaisesAnIncident(t *testing.T) {
	for _, c := range []struct {
		code  codes.Code
		fails string
	}{{codes.InvalidArgument, "at once"}, {codes.Unavailable, "after its retries"}} {
		t.Run(c.fails, func(t *testing.T) {
			fakes := &fakeBBs{failWith: c.code}
			e := startWithFakes(t, fakes)
			e.deploy(t, bpmnDoc(notify))
			inst := e.startProcess(t, "p", map[string]any{"clientEmail": "client@example.org", "caseId": "P-1"}, "")
			testkit.Eventually(t, 20*time.Second, "an incident", func() error {
				if c.code == codes.Unavailable {
					e.clock.Add(3 * time.Second) // past the first retry's backoff
				}
				if got := e.instance(t, inst.GetId()); got.GetOpenIncidents() != 1 {
					return fmt.Errorf("instance %v", got)
				}
				return nil
			})
		})
	}
}
