package workflow_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/testkit"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
)

func TestDeployRefusesWhatItCannotRunNamingElementAndLine(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	bad := bpmnDoc("\n<bpmn:startEvent id=\"S\"/>\n<bpmn:sequenceFlow id=\"f\" sourceRef=\"S\" targetRef=\"G\"/>\n<bpmn:inclusiveGateway id=\"G\"/>")
	_, err := e.processes.AddProcess(ctx, &workflowv1.AddProcessRequest{Name: "x", Type: "Public", Version: "1",
		ProcessBody: []*workflowv1.Property{{Code: "bpmn20-xml", Value: structpb.NewStringValue(bad)}}})
	st := testkit.WantReason(t, err, codes.InvalidArgument, "INVALID_BPMN")
	if !strings.Contains(st.Message(), "G (line 6): bpmn:inclusiveGateway is not run") {
		t.Fatalf("message %q", st.Message())
	}
	testkit.WantViolation(t, err, "processBody")
	_, err = e.processes.AddProcess(ctx, &workflowv1.AddProcessRequest{Name: "x", Type: "Public", Version: "1"})
	testkit.WantViolation(t, err, "processBody")
	_, err = e.processes.DeployProcessXml(ctx, &workflowv1.DeployProcessXmlRequest{BpmnXml: "<not-bpmn/>"})
	testkit.WantViolation(t, err, "bpmnXml")
}

func TestEveryDeployIsANewVersionAndInstancesKeepTheirs(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	v1 := e.deploy(t, bpmnDoc(serviceChain("one")))
	inst := e.startProcess(t, "p", nil, "")
	v2, err := e.processes.DeployProcessXml(ctx, &workflowv1.DeployProcessXmlRequest{BpmnXml: bpmnDoc(serviceChain("two")), Version: "2.0"})
	if err != nil {
		t.Fatal(err)
	}
	if v2.GetProcess().GetVersionNumber() != 2 || v2.GetProcess().GetProcessDefinition().GetVersion() != "2" || v2.GetProcess().GetVersionTag() != "2.0" {
		t.Fatalf("second deploy %v", v2)
	}
	if got := e.instance(t, inst.GetId()); got.GetProcessRef() != v1.GetId() {
		t.Fatalf("the instance moved to %s", got.GetProcessRef())
	}
	if jobs := e.activate(t, "one", "w", 1); len(jobs) != 1 {
		t.Fatalf("the running instance lost its version's job: %v", jobs)
	}
	newer := e.startProcess(t, "p", nil, "")
	if newer.GetProcessRef() != v2.GetProcess().GetId() {
		t.Fatalf("a new start used %s", newer.GetProcessRef())
	}
	got, err := e.processes.GetProcess(ctx, &workflowv1.GetProcessRequest{ProcessId: v1.GetId()})
	if err != nil || !strings.Contains(got.GetProcess().GetProcessDefinition().GetProcessBody()[0].GetValue().GetStringValue(), `type="one"`) {
		t.Fatalf("version 1 by id: %v %v", got, err)
	}
}

func TestDisabledAndDeletedProcessesAreNotListedOrStarted(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	p := e.deploy(t, bpmnDoc(serviceChain("x")))
	off := false
	if _, err := e.processes.UpdateProcess(ctx, &workflowv1.UpdateProcessRequest{ProcessId: p.GetId(), Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	list, err := e.processes.ListProcesses(ctx, &workflowv1.ListProcessesRequest{})
	if err != nil || len(list.GetProcesses()) != 0 {
		t.Fatalf("listed %v %v", list, err)
	}
	all, _ := e.processes.ListProcesses(ctx, &workflowv1.ListProcessesRequest{All: true})
	if len(all.GetProcesses()) != 1 || all.GetProcesses()[0].GetEnabled() {
		t.Fatalf("administrators see %v", all)
	}
	_, err = e.processes.StartProcess(ctx, &workflowv1.StartProcessRequest{ProcessId: "p", ProcessStartedBy: "t"})
	testkit.WantCode(t, err, codes.NotFound)
	_, err = e.processes.StartProcess(ctx, &workflowv1.StartProcessRequest{ProcessId: p.GetId(), ProcessStartedBy: "t"})
	testkit.WantReason(t, err, codes.FailedPrecondition, "PROCESS_DISABLED")
	on := true
	if _, err := e.processes.UpdateProcess(ctx, &workflowv1.UpdateProcessRequest{ProcessId: p.GetId(), Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	e.startProcess(t, "p", nil, "")
	if _, err := e.processes.DeleteProcess(ctx, &workflowv1.DeleteProcessRequest{ProcessId: "p"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.processes.GetProcess(ctx, &workflowv1.GetProcessRequest{ProcessId: "p"})
	testkit.WantReason(t, err, codes.NotFound, "PROCESS_NOT_FOUND")
	admin := e.tokens.as(t, ctx, "root@example.org", "admin")
	staff := e.tokens.as(t, ctx, "sam@example.org", "staff")
	_, err = e.processes.DeployProcessXml(staff, &workflowv1.DeployProcessXmlRequest{BpmnXml: bpmnDoc(serviceChain("x"))})
	testkit.WantReason(t, err, codes.PermissionDenied, "ADMIN_ONLY")
	if _, err := e.processes.DeployProcessXml(admin, &workflowv1.DeployProcessXmlRequest{BpmnXml: bpmnDoc(serviceChain("x"))}); err != nil {
		t.Fatal(err)
	}
}

func TestBusinessKeyStartsOneActiveInstance(t *testing.T) {
	e := start(t)
	e.deploy(t, bpmnDoc(serviceChain("x")))
	ctx := context.Background()
	startWith := func(values []*workflowv1.Property) *workflowv1.StartedInstance {
		out, err := e.processes.StartProcess(ctx, &workflowv1.StartProcessRequest{ProcessId: "p", ProcessStartedBy: "clerk",
			BusinessKey: "tender-7", InstanceValuesLegacy: values})
		if err != nil {
			t.Fatal(err)
		}
		return out.GetInstance()
	}
	a := startWith([]*workflowv1.Property{{Code: "amount", Value: structpb.NewStringValue("100")}})
	b := startWith(nil)
	if a.GetId() != b.GetId() {
		t.Fatal("a second instance with an active business key")
	}
	got := e.instance(t, a.GetId())
	if got.GetVariables().AsMap()["amount"] != "100" || got.GetStartedBy() != "clerk" || got.GetBusinessKey() != "tender-7" {
		t.Fatalf("instance %v", got)
	}
	if _, err := e.instances.StopInstance(ctx, &workflowv1.StopInstanceRequest{InstanceId: a.GetId()}); err != nil {
		t.Fatal(err)
	}
	if c := startWith(nil); c.GetId() == a.GetId() {
		t.Fatal("an ended instance's business key cannot start a new one")
	}
}

func TestSuspendedInstancesWait(t *testing.T) {
	e := start(t)
	e.deploy(t, bpmnDoc(serviceChain("x")))
	inst := e.startProcess(t, "p", nil, "")
	ctx := context.Background()
	s, err := e.instances.SuspendInstance(ctx, &workflowv1.SuspendInstanceRequest{InstanceId: inst.GetId()})
	if err != nil || s.GetInstance().GetState() != "suspended" {
		t.Fatalf("suspend %v %v", s, err)
	}
	if jobs := e.activate(t, "x", "w", 1); len(jobs) != 0 {
		t.Fatalf("a suspended instance's job was handed out: %v", jobs)
	}
	if _, err := e.instances.ResumeInstance(ctx, &workflowv1.ResumeInstanceRequest{InstanceId: inst.GetId()}); err != nil {
		t.Fatal(err)
	}
	jobs := e.activate(t, "x", "w", 1)
	if len(jobs) != 1 {
		t.Fatalf("jobs after resume %v", jobs)
	}
	e.complete(t, jobs[0], nil)
	vars, _ := structpb.NewStruct(map[string]any{"fixed": true})
	_, err = e.instances.SetVariables(ctx, &workflowv1.SetVariablesRequest{InstanceId: inst.GetId(), Variables: vars})
	testkit.WantReason(t, err, codes.FailedPrecondition, "INSTANCE_ENDED")
}

func TestAMessageForASuspendedInstanceArrivesWhenItResumes(t *testing.T) {
	e := start(t)
	e.deploy(t, processDoc(map[string]string{"p": receiveBid}))
	id := e.startProcess(t, "p", map[string]any{"tenderId": "T-1"}, "").GetId()
	ctx := context.Background()
	if _, err := e.instances.SuspendInstance(ctx, &workflowv1.SuspendInstanceRequest{InstanceId: id}); err != nil {
		t.Fatal(err)
	}
	e.publish(t, "bid", "T-1", "", 0, map[string]any{"price": 3})
	if _, err := e.svc.App().HandleSignals(ctx); err != nil {
		t.Fatal(err)
	}
	if w := e.instance(t, id).GetWaitingAt(); len(w) != 1 || w[0] != "R" {
		t.Fatalf("a suspended instance moved: %v", w)
	}
	if _, err := e.instances.ResumeInstance(ctx, &workflowv1.ResumeInstanceRequest{InstanceId: id}); err != nil {
		t.Fatal(err)
	}
	e.eventually(t, id, "the bid arrives after the resume", func(i *workflowv1.ProcessInstance) bool {
		return len(i.GetWaitingAt()) == 1 && i.GetWaitingAt()[0] == "U"
	})
}
