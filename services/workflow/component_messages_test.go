package workflow_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/testkit"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
)

// processDoc wraps several processes (id -> body) in one definitions file.
func processDoc(processes map[string]string) string {
	out := `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">`
	for id, body := range processes {
		out += `<bpmn:process id="` + id + `" isExecutable="true">` + body + `</bpmn:process>`
	}
	return out + `<bpmn:message id="Msg" name="bid"><bpmn:extensionElements><zeebe:subscription correlationKey="=tenderId"/></bpmn:extensionElements></bpmn:message>
<bpmn:message id="Open" name="tender-opened"/>
<bpmn:error id="Rejected" errorCode="REJECTED"/></bpmn:definitions>`
}

func (e *env) publish(t *testing.T, name, key, id string, ttl int32, vars map[string]any) *workflowv1.PublishMessageResponse {
	t.Helper()
	s, _ := structpb.NewStruct(vars)
	out, err := e.messages.PublishMessage(context.Background(), &workflowv1.PublishMessageRequest{Name: name, CorrelationKey: key,
		MessageId: id, TimeToLive: ttl, Variables: s})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *env) eventually(t *testing.T, id, what string, ok func(*workflowv1.ProcessInstance) bool) *workflowv1.ProcessInstance {
	t.Helper()
	var got *workflowv1.ProcessInstance
	testkit.Eventually(t, 15*time.Second, what, func() error {
		got = e.instance(t, id)
		if !ok(got) {
			return fmt.Errorf("instance %s is %s, waiting at %v", id, got.GetState(), got.GetWaitingAt())
		}
		return nil
	})
	return got
}

const receiveBid = `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="R"/>
<bpmn:receiveTask id="R" messageRef="Msg"/><bpmn:sequenceFlow id="f2" sourceRef="R" targetRef="U"/><bpmn:userTask id="U"/>`

func TestMessagesCorrelateOnceByNameAndKey(t *testing.T) {
	e := start(t)
	e.deploy(t, processDoc(map[string]string{"p": receiveBid}))
	mine := e.startProcess(t, "p", map[string]any{"tenderId": "T-1"}, "").GetId()
	other := e.startProcess(t, "p", map[string]any{"tenderId": "T-2"}, "").GetId()
	out := e.publish(t, "bid", "T-1", "bid-1", 0, map[string]any{"price": 10})
	if len(out.GetProcessInstanceIds()) != 1 || out.GetProcessInstanceIds()[0] != mine {
		t.Fatalf("reached %v", out.GetProcessInstanceIds())
	}
	e.publish(t, "bid", "T-1", "bid-1", 0, map[string]any{"price": 99}) // the same message again
	got := e.eventually(t, mine, "the bid arrives", func(i *workflowv1.ProcessInstance) bool {
		return len(i.GetWaitingAt()) == 1 && i.GetWaitingAt()[0] == "U"
	})
	if got.GetVariables().AsMap()["price"] != 10.0 {
		t.Fatalf("variables %v", got.GetVariables())
	}
	if w := e.instance(t, other).GetWaitingAt(); len(w) != 1 || w[0] != "R" {
		t.Fatalf("the other tender moved: %v", w)
	}
	// A message with a time to live waits for an instance that subscribes later.
	e.publish(t, "bid", "T-3", "", 60000, map[string]any{"price": 7})
	late := e.startProcess(t, "p", map[string]any{"tenderId": "T-3"}, "").GetId()
	e.eventually(t, late, "the buffered bid arrives", func(i *workflowv1.ProcessInstance) bool { return i.GetWaitingAt()[0] == "U" })
}

func TestMessageStartEventStartsAProcess(t *testing.T) {
	e := start(t)
	e.deploy(t, processDoc(map[string]string{"opened": `<bpmn:startEvent id="MS"><bpmn:messageEventDefinition messageRef="Open"/></bpmn:startEvent>
<bpmn:sequenceFlow id="f" sourceRef="MS" targetRef="U"/><bpmn:userTask id="U"/>`}))
	out := e.publish(t, "tender-opened", "", "", 0, map[string]any{"tender": "T-5"})
	if len(out.GetProcessInstanceIds()) != 1 {
		t.Fatalf("started %v", out)
	}
	if got := e.instance(t, out.GetProcessInstanceIds()[0]); got.GetVariables().AsMap()["tender"] != "T-5" {
		t.Fatalf("instance %v", got)
	}
}

const parentAndChild = `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Call"/>
<bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="child" propagateAllChildVariables="false" propagateAllParentVariables="false"/>
<zeebe:ioMapping><zeebe:input source="=amount" target="value"/><zeebe:output source="=verdict" target="verdict"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:callActivity>
<bpmn:boundaryEvent id="Err" attachedToRef="Call"><bpmn:errorEventDefinition errorRef="Rejected"/></bpmn:boundaryEvent>
<bpmn:sequenceFlow id="f2" sourceRef="Call" targetRef="Done"/><bpmn:userTask id="Done"/>
<bpmn:sequenceFlow id="f3" sourceRef="Err" targetRef="Appeal"/><bpmn:userTask id="Appeal"/>`

const child = `<bpmn:startEvent id="CS"/><bpmn:sequenceFlow id="c1" sourceRef="CS" targetRef="Decide"/>
<bpmn:serviceTask id="Decide"><bpmn:extensionElements><zeebe:taskDefinition type="decide"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="c2" sourceRef="Decide" targetRef="G"/><bpmn:exclusiveGateway id="G" default="ok"/>
<bpmn:sequenceFlow id="no" sourceRef="G" targetRef="Reject"><bpmn:conditionExpression>=verdict = "no"</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="ok" sourceRef="G" targetRef="CE"/><bpmn:endEvent id="CE"/>
<bpmn:endEvent id="Reject"><bpmn:errorEventDefinition errorRef="Rejected"/></bpmn:endEvent>`

func TestCallActivityRunsAChildWithExplicitVariables(t *testing.T) {
	e := start(t)
	e.deploy(t, processDoc(map[string]string{"parent": parentAndChild, "child": child}))
	for _, c := range []struct{ verdict, waits string }{{"yes", "Done"}, {"no", "Appeal"}} {
		parent := e.startProcess(t, "parent", map[string]any{"amount": 5, "secret": "s"}, "").GetId()
		kids, err := e.instances.ListInstances(context.Background(), &workflowv1.ListInstancesRequest{ProcessId: "child", State: "running"})
		if err != nil || len(kids.GetInstances()) != 1 || kids.GetInstances()[0].GetParentInstanceId() != parent {
			t.Fatalf("children %v %v", kids, err)
		}
		jobs := e.activate(t, "decide", "w", 1)
		if vars := jobs[0].GetVariables().AsMap(); vars["value"] != 5.0 || vars["secret"] != nil {
			t.Fatalf("the child sees %v", vars)
		}
		e.complete(t, jobs[0], map[string]any{"verdict": c.verdict})
		got := e.eventually(t, parent, "the parent goes on", func(i *workflowv1.ProcessInstance) bool {
			return len(i.GetWaitingAt()) == 1 && i.GetWaitingAt()[0] == c.waits
		})
		if c.verdict == "yes" && got.GetVariables().AsMap()["verdict"] != "yes" {
			t.Fatalf("parent variables %v", got.GetVariables())
		}
	}
}

func TestFlowTriggersStartAProcessWhenAnotherEnds(t *testing.T) {
	e := start(t)
	for id, body := range map[string]string{"first": serviceChain("first"), "next": receiveBid,
		"fails": `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f" sourceRef="S" targetRef="E"/><bpmn:endEvent id="E"><bpmn:errorEventDefinition errorRef="Rejected"/></bpmn:endEvent>`} {
		e.deploy(t, processDoc(map[string]string{id: body}))
	}
	ctx := context.Background()
	for _, tr := range [][3]string{{"first", "completed", "next"}, {"fails", "failed", "next"}} {
		if _, err := e.ops.CreateFlowTrigger(ctx, &workflowv1.CreateFlowTriggerRequest{SourceProcessId: tr[0], On: tr[1], TargetProcessId: tr[2]}); err != nil {
			t.Fatal(err)
		}
	}
	e.startProcess(t, "first", map[string]any{"tenderId": "T-1"}, "")
	e.complete(t, e.activate(t, "first", "w", 1)[0], nil)
	failed := e.startProcess(t, "fails", map[string]any{"tenderId": "T-2"}, "")
	if failed.GetState() != "failed" {
		t.Fatalf("instance %v", failed)
	}
	testkit.Eventually(t, 15*time.Second, "the flow triggers start next twice", func() error {
		out, err := e.instances.ListInstances(ctx, &workflowv1.ListInstancesRequest{ProcessId: "next"})
		if err != nil || len(out.GetInstances()) != 2 {
			return fmt.Errorf("next instances %v %v", out, err)
		}
		return nil
	})
}

func TestTimerStartEventsStartProcessesOnTheirCycle(t *testing.T) {
	e := start(t)
	e.deploy(t, processDoc(map[string]string{"daily": `<bpmn:startEvent id="TS"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
<bpmn:sequenceFlow id="f" sourceRef="TS" targetRef="U"/><bpmn:userTask id="U"/>`}))
	ctx := context.Background()
	running := func(want int) {
		t.Helper()
		testkit.Eventually(t, 15*time.Second, fmt.Sprintf("%d started", want), func() error {
			out, err := e.instances.ListInstances(ctx, &workflowv1.ListInstancesRequest{ProcessId: "daily"})
			if err != nil || len(out.GetInstances()) != want {
				return fmt.Errorf("%d instances (%v)", len(out.GetInstances()), err)
			}
			return nil
		})
	}
	e.clock.Add(61 * time.Minute)
	running(1)
	e.clock.Add(61 * time.Minute)
	running(2)
	e.clock.Add(5 * time.Hour)
	if fired, err := e.svc.App().FireDue(ctx); err != nil || fired != 0 {
		t.Fatalf("the cycle of two fired again: %d %v", fired, err)
	}
	running(2)
}
