package engine_test

import (
	"reflect"
	"testing"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

func TestServiceTaskCreatesAJobAndGoesOnWhenItCompletes(t *testing.T) {
	h := newHarness(t, seq(`<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="=kind" retries="5"/>`+
		`<zeebe:taskHeaders><zeebe:header key="k" value="v"/></zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>`))
	fx := h.start(map[string]any{"kind": "payment"})
	j := h.job("X")
	if j.Type != "payment" || j.Retries != 5 || j.Headers["k"] != "v" || len(fx.Jobs) != 1 {
		t.Fatalf("job %+v", j)
	}
	h.wantWaiting("X")
	fx = h.completeJob("X", map[string]any{"paid": true})
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("paid", true)
	h.wantVar("kind", "payment")
	if fx.Ended == nil || fx.Ended.Status != engine.StatusCompleted {
		t.Fatalf("ended %+v", fx.Ended)
	}
	if _, err := h.try(engine.JobCompleted{JobID: j.ID}); err == nil {
		t.Fatal("a job of an ended instance completed twice")
	} else {
		wantReason(t, err, engine.ReasonInstanceEnded)
	}
}

func TestPassThroughElements(t *testing.T) {
	for name, el := range map[string]string{
		"task":        `<bpmn:task id="X"/>`,
		"manual task": `<bpmn:manualTask id="X"/>`,
		"none throw":  `<bpmn:intermediateThrowEvent id="X"/>`,
		"script": `<bpmn:scriptTask id="X"><bpmn:extensionElements><zeebe:script expression="=a * 2" resultVariable="b"/>` +
			`</bpmn:extensionElements></bpmn:scriptTask>`,
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, seq(el))
			h.start(map[string]any{"a": 21})
			h.wantStatus(engine.StatusCompleted)
			if name == "script" {
				h.wantVar("b", 42)
			}
		})
	}
}

// gateway is a start event into exclusive gateway G with flows to three service tasks A, B and C (C the
// default when withDefault), each to the end.
func gateway(withDefault bool) string {
	def := ""
	if withDefault {
		def = ` default="fc"`
	}
	return `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="G"/>
<bpmn:exclusiveGateway id="G"` + def + `/>
<bpmn:sequenceFlow id="fa" sourceRef="G" targetRef="A"><bpmn:conditionExpression>=amount &gt; 100</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="fb" sourceRef="G" targetRef="B"><bpmn:conditionExpression>=amount &gt; 10</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="fc" sourceRef="G" targetRef="C">` + map[bool]string{true: "", false: `<bpmn:conditionExpression>=amount == 0</bpmn:conditionExpression>`}[withDefault] + `</bpmn:sequenceFlow>
` + service("A", "a", "") + service("B", "b", "") + service("C", "c", "") + `
<bpmn:sequenceFlow id="fae" sourceRef="A" targetRef="E"/><bpmn:sequenceFlow id="fbe" sourceRef="B" targetRef="E"/>
<bpmn:sequenceFlow id="fce" sourceRef="C" targetRef="E"/><bpmn:endEvent id="E"/>`
}

func TestExclusiveGatewayTakesTheFirstTrueConditionElseTheDefault(t *testing.T) {
	cases := []struct {
		amount any
		want   string
	}{{500, "A"}, {50, "B"}, {5, "C"}, {101, "A"}}
	for _, c := range cases {
		h := newHarness(t, gateway(true))
		h.start(map[string]any{"amount": c.amount})
		h.wantWaiting(c.want)
	}
}

func TestExclusiveGatewayWithNoWayOutRaisesAnIncidentAnOperatorCanFix(t *testing.T) {
	h := newHarness(t, gateway(false))
	fx := h.start(map[string]any{"amount": 5})
	if len(fx.Incidents) != 1 || fx.Incidents[0].Kind != engine.IncidentCondition || fx.Incidents[0].Element != "G" {
		t.Fatalf("incidents %+v", fx.Incidents)
	}
	h.wantStatus(engine.StatusActive)
	inc := fx.Incidents[0]
	h.step(engine.SetVariables{Vars: map[string]any{"amount": 0}})
	fx = h.step(engine.ResolveIncident{IncidentID: inc.ID})
	if !reflect.DeepEqual(fx.ResolvedIncidents, []string{inc.ID}) {
		t.Fatalf("resolved %v", fx.ResolvedIncidents)
	}
	h.wantWaiting("C")
	if len(h.incidents) != 0 {
		t.Fatalf("incidents left %v", h.incidents)
	}
}

func TestAFailingConditionIsAnIncidentNotAnError(t *testing.T) {
	h := newHarness(t, gateway(true))
	fx := h.start(map[string]any{"amount": "lots"})
	if len(fx.Incidents) != 1 || fx.Incidents[0].Kind != engine.IncidentExpression {
		t.Fatalf("incidents %+v", fx.Incidents)
	}
}

func TestParallelGatewaySplitsAndJoins(t *testing.T) {
	h := newHarness(t, `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="Fork"/>
<bpmn:parallelGateway id="Fork"/>
<bpmn:sequenceFlow id="fa" sourceRef="Fork" targetRef="A"/><bpmn:sequenceFlow id="fb" sourceRef="Fork" targetRef="B"/>
`+service("A", "a", "")+service("B", "b", "")+`
<bpmn:sequenceFlow id="faj" sourceRef="A" targetRef="Join"/><bpmn:sequenceFlow id="fbj" sourceRef="B" targetRef="Join"/>
<bpmn:parallelGateway id="Join"/><bpmn:sequenceFlow id="fj" sourceRef="Join" targetRef="After"/>`+service("After", "after", "")+`
<bpmn:sequenceFlow id="fe" sourceRef="After" targetRef="E"/><bpmn:endEvent id="E"/>`)
	h.start(nil)
	h.wantWaiting("A", "B")
	h.completeJob("B", map[string]any{"b": 1})
	h.wantWaiting("A")
	if len(h.jobs) != 1 {
		t.Fatalf("the join went on with one branch: %v", h.jobs)
	}
	h.completeJob("A", map[string]any{"a": 1})
	h.wantWaiting("After")
	h.completeJob("After", nil)
	h.wantStatus(engine.StatusCompleted)
}

func TestInputMappingsAreLocalAndOutputMappingsChooseWhatComesOut(t *testing.T) {
	h := newHarness(t, seq(service("X", "x", `<zeebe:ioMapping><zeebe:input source="=order.total" target="amount"/>`+
		`<zeebe:input source="fixed" target="label"/>`+
		`<zeebe:output source="=receipt" target="order.receipt"/><zeebe:output source="=amount * 2" target="doubled"/></zeebe:ioMapping>`)))
	h.start(map[string]any{"order": map[string]any{"total": 7}})
	vars := engine.VisibleVariables(h.st, h.job("X").EI)
	if vars["amount"] != 7 || vars["label"] != "fixed" {
		t.Fatalf("job variables %v", vars)
	}
	h.completeJob("X", map[string]any{"receipt": "R-1", "noise": true})
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("order", map[string]any{"total": 7, "receipt": "R-1"})
	h.wantVar("doubled", 14)
	h.wantVar("amount", nil)
	h.wantVar("noise", nil)
}

func TestAFailingInputMappingIsAnIncidentRetriedAfterTheFix(t *testing.T) {
	h := newHarness(t, seq(service("X", "x", `<zeebe:ioMapping><zeebe:input source="=a + 1" target="b"/></zeebe:ioMapping>`)))
	fx := h.start(map[string]any{"a": "text"})
	if len(fx.Incidents) != 1 || len(h.jobs) != 0 {
		t.Fatalf("incidents %v jobs %v", fx.Incidents, h.jobs)
	}
	h.step(engine.SetVariables{Vars: map[string]any{"a": 1}})
	h.step(engine.ResolveIncident{IncidentID: fx.Incidents[0].ID})
	if b := engine.VisibleVariables(h.st, h.job("X").EI)["b"]; b != 2 {
		t.Fatalf("b = %v", b)
	}
}

func TestVariablesGoWhereTheyAreDefined(t *testing.T) {
	h := newHarness(t, seq(`<bpmn:subProcess id="X"><bpmn:extensionElements><zeebe:ioMapping>`+
		`<zeebe:input source="=0" target="count"/></zeebe:ioMapping></bpmn:extensionElements>`+
		`<bpmn:startEvent id="SS"/><bpmn:sequenceFlow id="s1" sourceRef="SS" targetRef="Inner"/>`+service("Inner", "inner", "")+
		`<bpmn:sequenceFlow id="s2" sourceRef="Inner" targetRef="SE"/><bpmn:endEvent id="SE"/></bpmn:subProcess>`))
	h.start(map[string]any{"name": "before"})
	h.completeJob("Inner", map[string]any{"count": 3, "name": "after", "fresh": 1})
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("name", "after") // updated where it was, the root
	h.wantVar("fresh", 1)      // new ones go to the root
	h.wantVar("count", nil)    // the sub-process's local one stayed there and ended with it
}

func TestALoopThatNeverWaitsStopsOnAnIncident(t *testing.T) {
	h := newHarness(t, `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="G"/>
<bpmn:exclusiveGateway id="G" default="back"/>
<bpmn:sequenceFlow id="out" sourceRef="G" targetRef="E"><bpmn:conditionExpression>=done</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="back" sourceRef="G" targetRef="T"/><bpmn:task id="T"/><bpmn:sequenceFlow id="again" sourceRef="T" targetRef="G"/>
<bpmn:endEvent id="E"/>`)
	fx := h.start(map[string]any{"done": false})
	if len(fx.Incidents) != 1 || fx.Incidents[0].Kind != engine.IncidentStepLimit {
		t.Fatalf("incidents %+v", fx.Incidents)
	}
	h.step(engine.SetVariables{Vars: map[string]any{"done": true}})
	h.step(engine.ResolveIncident{IncidentID: fx.Incidents[0].ID})
	h.wantStatus(engine.StatusCompleted)
}

func TestStepsAreDeterministic(t *testing.T) {
	run := func() *engine.Effects {
		h := newHarness(t, gateway(true))
		return h.start(map[string]any{"amount": 500})
	}
	a, b := run(), run()
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two runs differ:\n%+v\n%+v", a, b)
	}
}

func TestTheStateSurvivesJSON(t *testing.T) {
	h := newHarness(t, seq(service("X", "x", "")))
	h.start(map[string]any{"n": 1})
	h.st = roundTrip(t, h.st)
	h.completeJob("X", map[string]any{"m": 2})
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("n", float64(1)) // numbers come back from JSON as float64
}

func TestAPathWithoutAnEndEventEndsWhereItStops(t *testing.T) {
	h := newHarness(t, `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="Fork"/><bpmn:parallelGateway id="Fork"/>
<bpmn:sequenceFlow id="fa" sourceRef="Fork" targetRef="A"/><bpmn:sequenceFlow id="fb" sourceRef="Fork" targetRef="B"/>`+
		service("A", "a", "")+service("B", "b", ""))
	h.start(nil)
	h.completeJob("A", nil)
	h.wantStatus(engine.StatusActive)
	h.completeJob("B", nil)
	h.wantStatus(engine.StatusCompleted)
}

func TestAFailingOutputMappingKeepsTheResultForTheRetry(t *testing.T) {
	h := newHarness(t, seq(service("X", "x", `<zeebe:ioMapping><zeebe:output source="=r * factor" target="out"/></zeebe:ioMapping>`)))
	h.start(nil)
	fx := h.completeJob("X", map[string]any{"r": 2})
	if len(fx.Incidents) != 1 {
		t.Fatalf("effects %+v", fx)
	}
	h.wantStatus(engine.StatusActive)
	h.step(engine.SetVariables{Vars: map[string]any{"factor": 3}})
	h.step(engine.ResolveIncident{IncidentID: fx.Incidents[0].ID})
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("out", 6)
}
