package processes

import (
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/expr"
)

// zeebe returns the zeebe extension element of n with the given name, nil if there is none.
func zeebe(n *node, local string) *node {
	var found *node
	n.walk(func(c *node) {
		if found == nil && c.is(nsZeebe, local) {
			found = c
		}
	})
	return found
}

func timerText(n *node) (kind, text string) {
	var out [2]string
	n.walk(func(c *node) {
		if c.parent != nil && c.parent.is(nsBPMN, "timerEventDefinition") {
			out = [2]string{c.name.Local, strings.TrimSpace(c.text)}
		}
	})
	return out[0], out[1]
}

func TestProcurementEvaluationIsWhatTheProcessNeeds(t *testing.T) {
	f := load(t, "procurement-evaluation.bpmn")
	start := f.byID["StartEvent_tender_closed"]
	msg := f.byID["Message_tender_closed"]
	if start == nil || msg.attr("name") != "tender-closed" || zeebe(msg, "subscription").attr("correlationKey") != "=tenderId" {
		t.Error("the process does not start on message tender-closed correlated by =tenderId")
	}
	eval := f.byID["Activity_evaluate"]
	loop := zeebe(eval, "loopCharacteristics")
	var mi *node
	eval.walk(func(c *node) {
		if c.is(nsBPMN, "multiInstanceLoopCharacteristics") {
			mi = c
		}
	})
	switch {
	case !eval.is(nsBPMN, "userTask") || eval.attr("name") != "Technical and commercial evaluation":
		t.Error("no user task Technical and commercial evaluation")
	case mi == nil || mi.attr("isSequential") == "true":
		t.Error("the evaluation is not a parallel multi-instance")
	case loop.attr("inputCollection") != "=panel" || loop.attr("inputElement") != "evaluator":
		t.Error("the evaluation does not run over =panel as evaluator")
	case zeebe(eval, "assignmentDefinition").attr("assignee") != "=evaluator" || zeebe(eval, "formDefinition").attr("formKey") == "":
		t.Error("the evaluation is not assigned to =evaluator with a form key")
	}
	overdue := f.byID["Event_committee_overdue"]
	if kind, text := timerText(overdue); overdue.attr("attachedToRef") != "Activity_committee" || kind != "timeDuration" || text != "P5WD" {
		t.Error("no P5WD boundary timer on the committee task")
	}
	if escalate := f.byID["Activity_escalate"]; zeebe(escalate, "taskDefinition").attr("type") != "govstack-messaging-send" {
		t.Error("the escalation is not a messaging service task")
	}
	if gw := f.byID["Gateway_decision"]; !gw.is(nsBPMN, "exclusiveGateway") || gw.attr("default") == "" {
		t.Error("the committee's decision is not an exclusive gateway with a default flow")
	}
	if legal := f.byID["Activity_legal"]; !legal.is(nsBPMN, "userTask") {
		t.Error("no legal evaluation user task")
	}
	if notify := f.byID["Activity_notify"]; notify.attr("name") != "Notify bidders" || zeebe(notify, "taskDefinition").attr("type") != "govstack-messaging-send" {
		t.Error("no Notify bidders service task of type govstack-messaging-send")
	}
	var lanes []string
	for _, l := range f.all(nsBPMN, "lane") {
		lanes = append(lanes, l.attr("name"))
	}
	if got := strings.Join(lanes, ", "); got != "Procurement office, Evaluation panel, Contracts committee, Legal" {
		t.Errorf("lanes %s", got)
	}
	if p := f.all(nsBPMN, "participant"); len(p) != 1 || p[0].attr("processRef") != "procurement-evaluation" {
		t.Error("the process is not in the procuring entity's pool")
	}
}

func TestProbationCaseIsWhatTheProcessNeeds(t *testing.T) {
	f := load(t, "probation-case.bpmn")
	if intake := f.byID["Activity_intake"]; !intake.is(nsBPMN, "userTask") || intake.attr("name") != "Case intake" {
		t.Error("no case intake user task")
	}
	// Every timer leads to a message to someone, or (the check-in wait) to awaiting the client.
	for id, wantKind := range map[string]string{"Event_intake_overdue": "timeDuration", "Event_checkin_missed": "timeDuration",
		"Event_reminder_cycle": "timeCycle", "Event_next_checkin": "timeDuration"} {
		if kind, _ := timerText(f.byID[id]); kind != wantKind {
			t.Errorf("%s: timer %q, want %s", id, kind, wantKind)
		}
	}
	for _, alert := range []string{"Activity_alert_intake", "Activity_alert_missed", "Activity_remind", "Activity_send_plan", "Activity_notify_closed"} {
		if zeebe(f.byID[alert], "taskDefinition").attr("type") != "govstack-messaging-send" {
			t.Errorf("%s is not a messaging service task", alert)
		}
	}
	if _, text := timerText(f.byID["Event_reminder_cycle"]); !strings.HasPrefix(text, "R") || f.byID["Event_reminder_cycle"].attr("cancelActivity") != "false" {
		t.Error("the periodic check-in reminder is not a non-interrupting cycle")
	}
	gw := f.byID["Gateway_await_checkin"]
	targets := map[string]bool{}
	for _, sf := range f.all(nsBPMN, "sequenceFlow") {
		if sf.attr("sourceRef") == gw.attr("id") {
			targets[sf.attr("targetRef")] = true
		}
	}
	msg := f.byID["Message_checkin_recorded"]
	if !gw.is(nsBPMN, "eventBasedGateway") || !targets["Event_checkin_recorded"] || !targets["Event_checkin_missed"] ||
		msg.attr("name") != "check-in-recorded" || zeebe(msg, "subscription").attr("correlationKey") != "=caseId" {
		t.Error("the event-based gateway does not wait for check-in-recorded (by =caseId) or a timer")
	}
}

// TestConditionsDecide evaluates the gateways' conditions the way the engine will.
func TestConditionsDecide(t *testing.T) {
	cond := func(f file, flow string) *expr.Expression {
		var src string
		f.byID[flow].walk(func(c *node) {
			if c.is(nsBPMN, "conditionExpression") {
				src = strings.TrimSpace(c.text)
			}
		})
		e, err := expr.Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	pe := load(t, "procurement-evaluation.bpmn")
	approved, rejected := cond(pe, "Flow_approved"), cond(pe, "Flow_rejected")
	for decision, want := range map[any][2]bool{"approve": {true, false}, "reject": {false, true}, "revise": {false, false}, nil: {false, false}} {
		vars := map[string]any{"committeeDecision": decision}
		a, err1 := approved.EvalBoolAt(vars, testNow)
		r, err2 := rejected.EvalBoolAt(vars, testNow)
		if err1 != nil || err2 != nil || [2]bool{a, r} != want {
			t.Errorf("decision %v: approved %v rejected %v (%v %v), want %v", decision, a, r, err1, err2, want)
		}
	}
	pc := load(t, "probation-case.bpmn")
	complete := cond(pc, "Flow_order_complete")
	for end, want := range map[any]bool{"2026-11-30": true, "2026-12-01": true, "2026-12-02": false, nil: false, "not a date": false} {
		got, err := complete.EvalBoolAt(map[string]any{"orderEndDate": end}, testNow)
		if err != nil || got != want {
			t.Errorf("order ending %v: complete = %v, %v; want %v", end, got, err, want)
		}
	}
}
