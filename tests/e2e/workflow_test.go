package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// tenderReview is issue 15's "done means" file: a pool with lanes, a parallel multi-instance user task for
// a panel (candidate group buyer, a form scored 1-5), an exclusive gateway, a timer and a service task that
// e-mails the bidder through Messaging, as Camunda Modeler saves it.
func tenderReview(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../services/workflow/internal/domain/bpmn/testdata/tender-review.bpmn")
	if err != nil {
		t.Fatal(err)
	}
	// The panel are public buyers here (the BB's own tests use staff).
	return strings.Replace(string(data), `candidateGroups="staff"`, `candidateGroups="buyer"`, 1)
}

// registerBuyer makes a public-sector buyer account and returns its e-mail and access token.
func registerBuyer(t *testing.T, s *stack, name string) (string, string) {
	t.Helper()
	return registerBuyerOf(t, s, name, "Ministry of Justice", "moj.gov.example")
}

// registerBuyerOf registers, activates and signs in a buyer of organisation, at an address of domain (a
// public-sector one); it returns the e-mail and an access token.
func registerBuyerOf(t *testing.T, s *stack, name, organisation, domain string) (string, string) {
	t.Helper()
	email := name + "." + fmt.Sprint(time.Now().UnixNano()%1_000_000) + "@" + domain
	const password = "a long enough passphrase 7"
	expect(t, s.do(t, "POST", "/accounts/buyers", `{"email":"`+email+`","name":"`+name+`","organisation":"`+organisation+`"}`, nil), 200)
	token := activationToken(t, s, email, 1)
	expect(t, s.do(t, "POST", "/accounts/activate", `{"token":"`+token+`","password":"`+password+`"}`, nil), 200)
	return email, signIn(t, s, email, password)
}

func jsonMap(t *testing.T, r response) map[string]any {
	t.Helper()
	m, ok := r.json(t).(map[string]any)
	if !ok {
		t.Fatalf("not a JSON object: %s", r.body)
	}
	return m
}

// TestWorkflowThroughTheGateway is issue 15's "done means" through REST: the modeler file is deployed as
// GovStack's processBody; started twice with one Idempotency-Key it is one instance; the panel's task is
// refused to a signed-in user without the buyer role and completed by a buyer; the timer fires once; the
// service task e-mails the bidder through Messaging; the instance completes and its history says so.
func TestWorkflowThroughTheGateway(t *testing.T) {
	s := startStack(t)
	body, _ := json.Marshal(map[string]any{"name": "Tender review", "type": "Public", "version": "1",
		"processBody": []map[string]string{{"code": "bpmn20-xml", "value": tenderReview(t)}}})
	deployed := s.do(t, "POST", "/processes", string(body), nil)
	expect(t, deployed, 201, `"key":"tender-review"`, `"processDefinition"`)
	expect(t, s.do(t, "GET", "/processes", "", nil), 200, `"tender-review"`)

	buyer, buyerToken := registerBuyer(t, s, "jane")
	bidder := "bidder." + fmt.Sprint(time.Now().UnixNano()%1_000_000) + "@example.org"
	start := `{"processStartedBy":"e2e","InstanceValues":[{"code":"bidderEmail","value":"` + bidder + `"}],
	  "variables":{"panel":["` + buyer + `"],"amount":25000,"standstill":"PT1S"}}`
	key := map[string]string{"Idempotency-Key": "tender-42-start"}
	first := s.do(t, "POST", "/processes/tender-review/start", start, key)
	again := s.do(t, "POST", "/processes/tender-review/start", start, key)
	expect(t, first, 201, `"state":"running"`, `"ended":false`)
	id := jsonMap(t, first)["id"].(string)
	if got := jsonMap(t, again)["id"]; got != id {
		t.Fatalf("two starts with one key: %s and %v", id, got)
	}
	list := s.do(t, "GET", "/instances/?processId=tender-review", "", nil)
	expect(t, list, 200, id)
	if n := len(list.json(t).([]any)); n != 1 {
		t.Fatalf("%d instances, want 1: %s", n, list.body)
	}

	tasks := s.do(t, "GET", "/user-tasks", "", bearer(buyerToken))
	expect(t, tasks, 200, `"candidateGroups":["buyer"]`)
	taskID := tasks.json(t).([]any)[0].(map[string]any)["id"].(string)
	admin := bearer(signIn(t, s, devstack.DevAdminEmail, devstack.DevAdminPassword))
	score := `{"variables":{"score":4,"comment":"sound"}}`
	expect(t, s.do(t, "POST", "/user-tasks/"+taskID+"/completion", score, admin), 403, "NOT_A_CANDIDATE")
	expect(t, s.do(t, "POST", "/user-tasks/"+taskID+"/completion", `{"variables":{"score":9}}`, bearer(buyerToken)), 400,
		"FORM_INVALID", "variables.score")
	expect(t, s.do(t, "POST", "/user-tasks/"+taskID+"/completion", score, bearer(buyerToken)), 200, `"state":"completed"`)

	s.mail.waitFor(t, 1, to(bidder, "Tender evaluated"))
	waitForState(t, s, id, "completed")
	history := s.do(t, "GET", "/instances/"+id+"/history", "", nil)
	expect(t, history, 200, `"kind":"task.completed"`, `"user":"`+buyer+`"`)
	if n := strings.Count(history.body, `"kind":"timer.fired"`); n != 1 {
		t.Fatalf("the timer fired %d times: %s", n, history.body)
	}
	if n := len(s.mail.find(to(bidder, "Tender evaluated"))); n != 1 {
		t.Fatalf("%d e-mails to the bidder", n)
	}
	expect(t, s.do(t, "GET", "/workflow/status", "", nil), 200, `"processId":"tender-review"`, `"state":"completed"`)
}

// waitForState polls GET /instances/{id} until its state is want.
func waitForState(t *testing.T, s *stack, id, want string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := s.do(t, "GET", "/instances/"+id, "", nil)
		if r.code == 200 && jsonMap(t, r)["state"] == want {
			return jsonMap(t, r)
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s is not %s: %d %s\nincidents: %s", id, want, r.code, r.body,
				s.do(t, "GET", "/incidents?instanceId="+id, "", nil).body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestWorkflowDeploysPlainXMLAndRefusesWhatItCannotRun: the plain upload a modeler user makes, and a file
// with an inclusive gateway refused with its element and line.
func TestWorkflowDeploysPlainXMLAndRefusesWhatItCannotRun(t *testing.T) {
	s := startStack(t)
	xml := map[string]string{"Content-Type": "application/xml"}
	expect(t, s.do(t, "POST", "/processes/bpmn", tenderReview(t), xml), 201, `"key":"tender-review"`, `"versionNumber":1`)
	bad := strings.Replace(tenderReview(t), "<bpmn:exclusiveGateway ", "<bpmn:inclusiveGateway ", 1)
	bad = strings.Replace(bad, "</bpmn:exclusiveGateway>", "</bpmn:inclusiveGateway>", 1)
	expect(t, s.do(t, "POST", "/processes/bpmn", bad, xml), 400, "INVALID_BPMN", "Gateway_Value (line 49)", "inclusiveGateway")
	expect(t, s.do(t, "GET", "/instances/not-an-id", "", nil), 404, "INSTANCE_NOT_FOUND")
}

// TestWorkflowStopAndRestartLosesAndRepeatsNothing stops the whole stack while instances wait for their
// timers and the e-mail jobs they lead to, and starts it again on the same databases: every instance
// completes, each timer fired once and each bidder got one e-mail.
func TestWorkflowStopAndRestartLosesAndRepeatsNothing(t *testing.T) {
	t.Parallel() // a connector's call waits for the stopping IM rather than spending a retry (services/workflow/README.md, "Failures")
	var cfg devstack.Config
	s := startStackWith(t, func(c *devstack.Config) { cfg = *c })
	body, _ := json.Marshal(map[string]any{"name": "Tender review", "type": "Public", "version": "1",
		"processBody": []map[string]string{{"code": "bpmn20-xml", "value": tenderReview(t)}}})
	expect(t, s.do(t, "POST", "/processes", string(body), nil), 201)
	const n = 5
	ids := make([]string, n)
	bidders := make([]string, n)
	for i := range n {
		bidders[i] = fmt.Sprintf("restart.%d.%d@example.org", i, time.Now().UnixNano()%1_000_000)
		// An empty panel: straight to the gateway, then a standstill of 3 s before the e-mail.
		r := s.do(t, "POST", "/processes/tender-review/start", `{"processStartedBy":"e2e","variables":{"panel":[],"amount":20000,
		  "standstill":"PT3S","bidderEmail":"`+bidders[i]+`"}}`, nil)
		expect(t, r, 201)
		ids[i] = jsonMap(t, r)["id"].(string)
	}
	if err := s.stop(); err != nil { // every timer is still pending
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second) // the timers come due while nothing runs
	restarted := restartStack(t, cfg, s.mail)
	for i, id := range ids {
		waitForState(t, restarted, id, "completed")
		restarted.mail.waitFor(t, 1, to(bidders[i], "Tender evaluated"))
		h := restarted.do(t, "GET", "/instances/"+id+"/history", "", nil)
		if c := strings.Count(h.body, `"kind":"timer.fired"`); c != 1 {
			t.Errorf("instance %s: the timer fired %d times", id, c)
		}
	}
	for _, b := range bidders {
		if c := len(restarted.mail.find(to(b, "Tender evaluated"))); c != 1 {
			t.Errorf("%s got %d e-mails", b, c)
		}
	}
}

// restartStack starts the stack again on cfg's databases and data folder (the first stack's cleanup drops
// them), delivering e-mail to the same mailbox.
func restartStack(t *testing.T, cfg devstack.Config, mb *mailbox) *stack {
	t.Helper()
	cfg.OnFreePorts()
	ctx, cancel := context.WithCancel(context.Background())
	d, err := devstack.New(ctx, cfg, testLogger(t))
	if err != nil {
		cancel()
		t.Fatalf("restart the stack: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	stop := sync.OnceValue(func() error { cancel(); return <-done })
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("restarted stack stopped with: %v", err)
		}
		d.Close()
	})
	st := &stack{url: d.URL(), nats: d.NATS(), mail: mb, dev: d, stop: stop}
	st.waitReady(t)
	return st
}
