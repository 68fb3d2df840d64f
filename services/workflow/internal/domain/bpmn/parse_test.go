package bpmn

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseReadsAModelerFile(t *testing.T) {
	data, err := os.ReadFile("testdata/tender-review.bpmn")
	if err != nil {
		t.Fatal(err)
	}
	defs, err := Parse(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(defs.Processes) != 1 || len(defs.Participants) != 2 || len(defs.MessageFlows) != 1 || len(defs.Artifacts) != 2 {
		t.Fatalf("processes %d, participants %v, message flows %v, artifacts %v", len(defs.Processes), defs.Participants,
			defs.MessageFlows, defs.Artifacts)
	}
	p := defs.Process("tender-review")
	if p == nil || p.Name != "Tender review" || p.Root().NoneStart != "StartEvent_Closed" {
		t.Fatalf("process %+v", p)
	}
	eval := p.Elements["Activity_Evaluate"]
	wantLoop := &Loop{InputCollection: "=panel", InputElement: "evaluator", OutputCollection: "scores", OutputElement: "=score"}
	if eval.Kind != UserTask || !reflect.DeepEqual(eval.Loop, wantLoop) || eval.Assignment.CandidateGroups != "staff" ||
		eval.Assignment.FormKey != "camunda-forms:bpmn:UserTaskForm_Score" || eval.Lane != "" {
		t.Errorf("user task %+v loop %+v assignment %+v", eval, eval.Loop, eval.Assignment)
	}
	if !strings.Contains(p.Forms["UserTaskForm_Score"], `"key":"score"`) {
		t.Errorf("embedded form %q", p.Forms["UserTaskForm_Score"])
	}
	gw := p.Elements["Gateway_Value"]
	if gw.Default != "Flow_Low" || !reflect.DeepEqual(gw.Outgoing, []string{"Flow_High", "Flow_Low"}) {
		t.Errorf("gateway %+v", gw)
	}
	if c := p.Flows["Flow_High"].Condition; c != "=amount > 10000" {
		t.Errorf("condition %q", c)
	}
	timer := p.Elements["Event_StandStill"]
	if timer.Event != EventTimer || *timer.Timer != (Timer{Type: TimerDuration, Value: "=standstill"}) {
		t.Errorf("timer %+v", timer.Timer)
	}
	notify := p.Elements["Activity_Notify"]
	if notify.Job.Type != "govstack-messaging-send" || notify.Job.Retries != "3" || len(notify.Inputs) != 3 ||
		notify.Inputs[1] != (Mapping{Source: "Tender evaluated", Target: "subject"}) ||
		!reflect.DeepEqual(notify.Incoming, []string{"Flow_Low", "Flow_AfterStandStill"}) {
		t.Errorf("service task %+v", notify)
	}
	if len(p.Lanes) != 2 || p.Lanes[1].Name != "Secretariat" || len(p.Lanes[1].Elements) != 3 {
		t.Errorf("lanes %+v", p.Lanes)
	}
	if eval.Line != 32 {
		t.Errorf("the user task starts on line 32, got %d", eval.Line)
	}
}

// doc wraps a process body in definitions with one message and one error; the body starts on line 3.
func doc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
<bpmn:process id="p" isExecutable="true">` + body + `
</bpmn:process>
<bpmn:message id="Msg" name="bid-received"><bpmn:extensionElements><zeebe:subscription correlationKey="=tenderId"/></bpmn:extensionElements></bpmn:message>
<bpmn:message id="MsgNoKey" name="no-key"/>
<bpmn:error id="Err" name="Rejected" errorCode="REJECTED"/>
</bpmn:definitions>`
}

// chain is a start event flowing into el (id "X") flowing into an end event.
func chain(el string) string {
	return `
<bpmn:startEvent id="S"/>
<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="X"/>
` + el + `
<bpmn:sequenceFlow id="f2" sourceRef="X" targetRef="E"/>
<bpmn:endEvent id="E"/>`
}

func TestParseAcceptsEachRunnableElement(t *testing.T) {
	cases := map[string]string{
		"task":          `<bpmn:task id="X"/>`,
		"manual task":   `<bpmn:manualTask id="X"/>`,
		"service task":  `<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="pay"/></bpmn:extensionElements></bpmn:serviceTask>`,
		"send task":     `<bpmn:sendTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="mail"/></bpmn:extensionElements></bpmn:sendTask>`,
		"script task":   `<bpmn:scriptTask id="X"><bpmn:extensionElements><zeebe:script expression="=1+1" resultVariable="two"/></bpmn:extensionElements></bpmn:scriptTask>`,
		"receive task":  `<bpmn:receiveTask id="X" messageRef="Msg"/>`,
		"user task":     `<bpmn:userTask id="X"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=initiator"/></bpmn:extensionElements></bpmn:userTask>`,
		"message catch": `<bpmn:intermediateCatchEvent id="X"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:intermediateCatchEvent>`,
		"timer catch":   `<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
		"none throw":    `<bpmn:intermediateThrowEvent id="X"/>`,
		"message throw": `<bpmn:intermediateThrowEvent id="X"><bpmn:extensionElements><zeebe:taskDefinition type="govstack:publish-message"/></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:intermediateThrowEvent>`,
		"call activity": `<bpmn:callActivity id="X"><bpmn:extensionElements><zeebe:calledElement processId="child" propagateAllChildVariables="false"/></bpmn:extensionElements></bpmn:callActivity>`,
		"sub-process": `<bpmn:subProcess id="X"><bpmn:startEvent id="SS"/><bpmn:sequenceFlow id="sf" sourceRef="SS" targetRef="SE"/>` +
			`<bpmn:endEvent id="SE"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:endEvent></bpmn:subProcess>`,
		"sequential multi-instance": `<bpmn:task id="X"><bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements>` +
			`<zeebe:loopCharacteristics inputCollection="=items" inputElement="item"/></bpmn:extensionElements>` +
			`<bpmn:completionCondition>=numberOfCompletedInstances &gt; 1</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:task>`,
	}
	for name, el := range cases {
		t.Run(name, func(t *testing.T) {
			defs, err := Parse([]byte(doc(chain(el))), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if x := defs.Processes[0].Elements["X"]; x == nil || len(x.Incoming) != 1 || len(x.Outgoing) != 1 {
				t.Fatalf("X = %+v", x)
			}
		})
	}
}

func TestParseReadsBoundaryAndEventGateway(t *testing.T) {
	body := `
<bpmn:startEvent id="S"/>
<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="G"/>
<bpmn:eventBasedGateway id="G"/>
<bpmn:sequenceFlow id="f2" sourceRef="G" targetRef="M"/>
<bpmn:sequenceFlow id="f3" sourceRef="G" targetRef="T"/>
<bpmn:intermediateCatchEvent id="M"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:intermediateCatchEvent>
<bpmn:intermediateCatchEvent id="T"><bpmn:timerEventDefinition><bpmn:timeDate>2030-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
<bpmn:sequenceFlow id="f4" sourceRef="M" targetRef="U"/>
<bpmn:sequenceFlow id="f5" sourceRef="T" targetRef="E"/>
<bpmn:userTask id="U"/>
<bpmn:boundaryEvent id="B" attachedToRef="U" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
<bpmn:boundaryEvent id="BE" attachedToRef="U"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
<bpmn:sequenceFlow id="f6" sourceRef="U" targetRef="E"/>
<bpmn:sequenceFlow id="f7" sourceRef="B" targetRef="E"/>
<bpmn:endEvent id="E"/>`
	defs, err := Parse([]byte(doc(body)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := defs.Processes[0]
	if u := p.Elements["U"]; !reflect.DeepEqual(u.Boundaries, []string{"B", "BE"}) {
		t.Errorf("boundaries %v", u.Boundaries)
	}
	if b := p.Elements["B"]; b.Interrupting || b.Timer.Type != TimerCycle {
		t.Errorf("B %+v", b)
	}
	if be := p.Elements["BE"]; !be.Interrupting || be.Event != EventError || be.ErrorCode != "" {
		t.Errorf("BE %+v", be)
	}
	if m := p.Elements["M"]; *m.Message != (Message{Name: "bid-received", CorrelationKey: "=tenderId"}) {
		t.Errorf("M %+v", m.Message)
	}
}

func TestParseRefusesWhatItDoesNotRun(t *testing.T) {
	cases := []struct {
		name, body, element, want string
	}{
		{"inclusive gateway", chain(`<bpmn:inclusiveGateway id="X"/>`), "X", "inclusiveGateway is not run"},
		{"complex gateway", chain(`<bpmn:complexGateway id="X"/>`), "X", "complexGateway is not run"},
		{"business rule task", chain(`<bpmn:businessRuleTask id="X"/>`), "X", "businessRuleTask is not run"},
		{"transaction", chain(`<bpmn:transaction id="X"/>`), "X", "transactions and compensation"},
		{"signal event", chain(`<bpmn:intermediateCatchEvent id="X"><bpmn:signalEventDefinition/></bpmn:intermediateCatchEvent>`), "X", "signal events"},
		{"escalation", chain(`<bpmn:intermediateThrowEvent id="X"><bpmn:escalationEventDefinition/></bpmn:intermediateThrowEvent>`), "X", "escalation events"},
		{"compensation", chain(`<bpmn:task id="X" isForCompensation="true"/>`), "X", "compensation"},
		{"event sub-process", chain(`<bpmn:task id="X"/>`) + `<bpmn:subProcess id="ES" triggeredByEvent="true"/>`, "ES", "event sub-processes"},
		{"camunda 7 attribute", chain(`<bpmn:serviceTask id="X" camunda:class="a.B"/>`), "X", "Camunda 7 extension"},
		{"camunda 7 extension", chain(`<bpmn:task id="X"><bpmn:extensionElements><camunda:inputOutput/></bpmn:extensionElements></bpmn:task>`), "X", "Camunda 7"},
		{"execution listener", chain(`<bpmn:task id="X"><bpmn:extensionElements><zeebe:executionListeners/></bpmn:extensionElements></bpmn:task>`), "X", "executionListeners"},
		{"unknown zeebe extension", chain(`<bpmn:task id="X"><bpmn:extensionElements><zeebe:adHoc/></bpmn:extensionElements></bpmn:task>`), "X", "zeebe:adHoc is not run"},
		{"misplaced extension", chain(`<bpmn:userTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="a"/></bpmn:extensionElements></bpmn:userTask>`), "X", "no meaning on a userTask"},
		{"service task without type", chain(`<bpmn:serviceTask id="X"/>`), "X", "no job type"},
		{"message without key", chain(`<bpmn:receiveTask id="X" messageRef="MsgNoKey"/>`), "X", "no correlation key"},
		{"unknown message", chain(`<bpmn:receiveTask id="X" messageRef="Nope"/>`), "X", `"Nope" names no bpmn:message`},
		{"standard loop", chain(`<bpmn:task id="X"><bpmn:standardLoopCharacteristics/></bpmn:task>`), "X", "standard loops"},
		{"loop without collection", chain(`<bpmn:task id="X"><bpmn:multiInstanceLoopCharacteristics/></bpmn:task>`), "X", "no input collection"},
		{"condition on a task's flow", `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="X" sourceRef="S" targetRef="E"><bpmn:conditionExpression>=a</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:endEvent id="E"/>`, "X", "only a flow leaving an exclusive gateway"},
		{"gateway flow without condition", `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="G"/><bpmn:exclusiveGateway id="G"/>` +
			`<bpmn:sequenceFlow id="X" sourceRef="G" targetRef="E"/><bpmn:sequenceFlow id="f2" sourceRef="G" targetRef="E"><bpmn:conditionExpression>=a</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:endEvent id="E"/>`, "X", "without a condition"},
		{"unreachable task", chain(`<bpmn:task id="X"/>`) + `<bpmn:task id="Y"/>`, "Y", "can never be reached"},
		{"flow out of a sub-process", `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="SP"/><bpmn:subProcess id="SP"><bpmn:startEvent id="SS"/>` +
			`<bpmn:sequenceFlow id="X" sourceRef="SS" targetRef="E"/></bpmn:subProcess><bpmn:endEvent id="E"/>`, "X", "leaves its sub-process"},
		{"boundary on a gateway", chain(`<bpmn:exclusiveGateway id="X"/>`) + `<bpmn:boundaryEvent id="B" attachedToRef="X"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>`, "B", "only activities carry"},
		{"non-interrupting error", chain(`<bpmn:task id="X"/>`) + `<bpmn:boundaryEvent id="B" attachedToRef="X" cancelActivity="false"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>`, "B", "always interrupts"},
		{"cycle on intermediate timer", chain(`<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`), "X", "not a cycle"},
		{"timer without value", chain(`<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>`), "X", "the timer has no value"},
		{"missing embedded form", chain(`<bpmn:userTask id="X"><bpmn:extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:F1"/></bpmn:extensionElements></bpmn:userTask>`), "X", "not embedded"},
		{"two none starts", chain(`<bpmn:task id="X"/>`) + `<bpmn:startEvent id="S2"/>`, "S2", "second start event"},
		{"message end event", `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f" sourceRef="S" targetRef="X"/><bpmn:endEvent id="X"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:endEvent>`, "X", "end event with a message definition"},
		{"error end without code", `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f" sourceRef="S" targetRef="X"/><bpmn:endEvent id="X"><bpmn:errorEventDefinition/></bpmn:endEvent>`, "X", "no error code"},
		{"duplicate id", chain(`<bpmn:task id="X"/>`) + `<bpmn:task id="S"/>`, "S", "already used"},
		{"script without result", chain(`<bpmn:scriptTask id="X"><bpmn:extensionElements><zeebe:script expression="=1"/></bpmn:extensionElements></bpmn:scriptTask>`), "X", "result variable"},
		{"call activity without process", chain(`<bpmn:callActivity id="X"/>`), "X", "names no process"},
		{"event gateway to a task", `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="X"/><bpmn:eventBasedGateway id="X"/>` +
			`<bpmn:sequenceFlow id="f1" sourceRef="X" targetRef="T"/><bpmn:sequenceFlow id="f2" sourceRef="X" targetRef="T2"/><bpmn:task id="T"/><bpmn:task id="T2"/>`, "X", "only to timer and message catch events"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := doc(c.body)
			_, err := Parse([]byte(src), Options{})
			p := findProblem(t, err, c.element, c.want)
			want := lineOf(src, c.element)
			if c.name == "duplicate id" { // the second declaration is the one refused
				want = strings.Count(src[:strings.LastIndex(src, `id="`+c.element+`"`)], "\n") + 1
			}
			if p.Line != want {
				t.Errorf("problem %q is on line %d, the element on line %d", p, p.Line, want)
			}
		})
	}
}

// findProblem returns the problem about element whose message contains want, failing the test if none is.
func findProblem(t *testing.T, err error, element, want string) Problem {
	t.Helper()
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("want an *Error naming %s, got %v", element, err)
	}
	for _, p := range perr.Problems {
		if p.Element == element && strings.Contains(p.Message, want) {
			return p
		}
	}
	t.Fatalf("no problem about %s saying %q in %v", element, want, err)
	return Problem{}
}

// lineOf is the line the element with id starts on in src.
func lineOf(src, id string) int {
	i := strings.Index(src, `id="`+id+`"`)
	if i < 0 {
		return 0
	}
	return strings.Count(src[:i], "\n") + 1
}

func TestParseRefusesWhatIsNotBPMN(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"empty", "", "holds no XML element"},
		{"not xml", "hello", "holds no XML element"},
		{"malformed", "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n<bpmn:process>\n</bpmn:definitions>", "not well-formed"},
		{"wrong root", `<definitions/>`, "not bpmn:definitions"},
		{"no executable process", `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p"/></bpmn:definitions>`, "no executable process"},
		{"choreography", `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:choreography id="c"/></bpmn:definitions>`, "bpmn:choreography is not run"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.src), Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error saying %q, got %v", c.want, err)
			}
		})
	}
	_, err := Parse([]byte("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n<bpmn:process>\n</bpmn:definitions>"), Options{})
	var perr *Error
	if !errors.As(err, &perr) || perr.Problems[0].Line != 3 {
		t.Errorf("the mismatched end tag is on line 3: %v", err)
	}
}

func TestParseChecksExpressionsAndTimers(t *testing.T) {
	body := chain(`<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1X</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`) +
		`<bpmn:scriptTask id="Y"><bpmn:extensionElements><zeebe:script expression="=1 +" resultVariable="r"/></bpmn:extensionElements></bpmn:scriptTask>` +
		`<bpmn:sequenceFlow id="fy" sourceRef="S" targetRef="Y"/>`
	opts := Options{
		CheckExpression: func(src string) error {
			if strings.HasSuffix(src, "+") {
				return errors.New("unexpected end")
			}
			return nil
		},
		CheckTimer: func(tt TimerType, v string) error {
			if v != "PT1H" {
				return errors.New("bad duration")
			}
			return nil
		},
	}
	_, err := Parse([]byte(doc(body)), opts)
	findProblem(t, err, "X", `duration "PT1X" is not valid: bad duration`)
	findProblem(t, err, "Y", `"=1 +" is not a valid expression: unexpected end`)
}
