package deploy

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"
	"github.com/govstackbb/marketplace/services/payments"
	"github.com/govstackbb/marketplace/services/payments/simulator"
)

// TestComposePaymentsPaysThroughTheSimulator: compose's Payments pays through the railsim service — the
// mobile money rail at railsim's name and port, with the token the simulator requires, after railsim is
// healthy — and the simulator's callbacks come back at the gateway's /rails/mobilemoney/callbacks, as an
// IM client the operator keys.
func TestComposePaymentsPaysThroughTheSimulator(t *testing.T) {
	c := loadCompose(t)
	pay, sim := c.Services["payments"], c.Services["railsim"]
	env := func(svc composeService, k string) string { return interpolate(svc.Environment[k]) }
	if got := env(pay, "GOVSTACK_PAYMENTS_RAIL"); got != payments.RailMobileMoney {
		t.Errorf("payments: GOVSTACK_PAYMENTS_RAIL %q, want %s", got, payments.RailMobileMoney)
	}
	u, err := url.Parse(env(pay, "GOVSTACK_PAYMENTS_RAIL_URL"))
	if err != nil || u.Host != "railsim:"+port(env(sim, "GOVSTACK_RAILSIM_ADDR")) {
		t.Errorf("payments: GOVSTACK_PAYMENTS_RAIL_URL %q, want http://railsim:<GOVSTACK_RAILSIM_ADDR's port>", env(pay, "GOVSTACK_PAYMENTS_RAIL_URL"))
	}
	if tok := env(sim, "GOVSTACK_RAILSIM_TOKEN"); tok == "" || tok != env(pay, "GOVSTACK_PAYMENTS_RAIL_TOKEN") ||
		pay.Environment["GOVSTACK_PAYMENTS_RAIL_TOKEN"] != sim.Environment["GOVSTACK_RAILSIM_TOKEN"] {
		t.Errorf("the rail token: payments sends %q, railsim wants %q; want one .env variable for both",
			pay.Environment["GOVSTACK_PAYMENTS_RAIL_TOKEN"], sim.Environment["GOVSTACK_RAILSIM_TOKEN"])
	}
	gw := "gateway:" + port(c.Services["gateway"].Environment["GOVSTACK_HTTP_ADDR"])
	if got := env(pay, "GOVSTACK_PAYMENTS_RAIL_CALLBACK_URL"); got != "http://"+gw+"/rails/"+payments.RailMobileMoney+"/callbacks" {
		t.Errorf("payments: GOVSTACK_PAYMENTS_RAIL_CALLBACK_URL %q, want the gateway's /rails/%s/callbacks", got, payments.RailMobileMoney)
	}
	if pay.DependsOn["railsim"].Condition != "service_healthy" {
		t.Error("payments does not wait for railsim to be healthy")
	}
	if cl := env(sim, "GOVSTACK_RAILSIM_CALLBACK_CLIENT"); strings.Count(cl, "/") != 3 || !strings.Contains(sim.Environment["GOVSTACK_RAILSIM_CALLBACK_API_KEY"], "${") {
		t.Errorf("railsim: its callbacks' IM client %q and key %q: want a client id and a key from .env", cl, sim.Environment["GOVSTACK_RAILSIM_CALLBACK_API_KEY"])
	}
}

// TestKubernetesRailSimulator renders the simulator's own overlay (a staging add-on, not in deploy/k8s):
// its image runs railsim serve with settings railsim reads, listens where its Service and probes say, and
// its liveness probe is the image's healthcheck.
func TestKubernetesRailSimulator(t *testing.T) {
	const image = "govstack/railsim:dev"
	if _, ok := renderK8s(t).get("Deployment", "railsim"); ok {
		t.Error("deploy/k8s deploys the rail simulator: it belongs to staging (deploy/k8s/bbs/payments/railsim), not production")
	}
	k := renderK8sAt(t, "deploy/k8s/bbs/payments/railsim")
	dep, ok := k.get("Deployment", "railsim")
	if !ok || len(dep.Spec.Template.Spec.Containers) != 1 {
		t.Fatal("no Deployment railsim with one container")
	}
	c := dep.Spec.Template.Spec.Containers[0]
	bin := binaries[image]
	if c.Image != image || len(c.Args) != 1 || !bin.subcommands[c.Args[0]] {
		t.Errorf("railsim runs %s %q, want %s serve", c.Image, c.Args, image)
	}
	env := k.env(t, "Deployment/railsim", c)
	for name := range env {
		if !bin.env[name] {
			t.Errorf("railsim: %s is set, railsim does not read it", name)
		}
	}
	listen := port(env["GOVSTACK_RAILSIM_ADDR"])
	if len(c.Ports) != 1 || strconv.Itoa(c.Ports[0].ContainerPort) != listen {
		t.Errorf("railsim listens on %q, its container port is %+v", listen, c.Ports)
	}
	if p := c.LivenessProbe; p == nil || p.Exec == nil || !slices.Equal(p.Exec.Command, []string{"/usr/local/bin/bb", "healthcheck"}) {
		t.Errorf("railsim: liveness probe %+v, want /usr/local/bin/bb healthcheck", c.LivenessProbe)
	}
	svc, ok := k.get("Service", "railsim")
	if !ok || len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort != c.Ports[0].Name || !selects(svc.selector(), dep.Spec.Template.Metadata.Labels) {
		t.Errorf("Service railsim %+v does not reach the simulator's port", svc.Spec)
	}
}

// checkPaymentThroughRailsim pays one payment through the compose stack's Payments, which pays through the
// railsim service; the simulator's callback comes back through the production gateway with the IM key the
// operator issued it (dotEnv) once it is granted RailCallback — the simulator counts it delivered.
func checkPaymentThroughRailsim(t *testing.T, c composeFile, envOf func(string) []string, auth map[string]string) {
	t.Helper()
	base := "http://" + gatewayAddr(envOf)
	sim := c.Services["railsim"].Environment["GOVSTACK_RAILSIM_CALLBACK_CLIENT"]
	parts := strings.Split(sim, "/")
	grant := `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"payments","serviceId":"payments",
	  "rights":[{"memberClass":"GOV","memberCode":"ADMIN","applicationId":"console"},
	            {"memberClass":"` + parts[1] + `","memberCode":"` + parts[2] + `","applicationId":"` + parts[3] + `",
	             "endpoints":["/govstack.payments.v1.RailService/RailCallback"]}]}]`
	if code, body := call(t, http.MethodPatch, base+"/api/v1/rights/allow", grant, auth); code != 200 {
		t.Fatalf("grant payments = %d %s", code, body)
	}
	with := func(h map[string]string) map[string]string { return mergeMaps(auth, h) }
	run := fmt.Sprint(time.Now().UnixNano() % 1e9) // the databases outlive a run: keys and ids of its own
	if code, body := call(t, http.MethodPost, base+"/ledger/funding", `{"code":"funding:TREASURY","currency":"EUR","amount":"10.00"}`,
		with(map[string]string{"X-CorrelationID": "deploy-fund-" + run})); code != 200 {
		t.Fatalf("fund = %d %s", code, body)
	}
	code, body := call(t, http.MethodPost, base+"/batchtransactions?type=raw", `[{"requestId":"d-`+run+`","creditParty":[{"key":"msisdn","value":"37255501"}],
		"debitParty":[{"key":"payerIdentifier","value":"TREASURY"}],"paymentMode":"01","amount":"1.25","currency":"EUR"}]`,
		with(map[string]string{"X-CorrelationID": "deploy-batch-" + run}))
	var batch struct{ BatchID string }
	if code != 202 || json.Unmarshal([]byte(body), &batch) != nil || batch.BatchID == "" {
		t.Fatalf("hand a batch over = %d %s", code, body)
	}
	waitStatus := func(want string) {
		testkit.Eventually(t, time.Minute, "batch "+want, func() error {
			_, body := call(t, http.MethodGet, base+"/api/v1/batch?batchId="+batch.BatchID, "", auth)
			if !strings.Contains(body, `"status":"`+want+`"`) {
				return errors.New(body)
			}
			return nil
		})
	}
	waitStatus("VALIDATED")
	seed := c.Services["registration-seed"].Environment
	code, body = call(t, http.MethodPost, base+"/auth/token", `{"email":"`+interpolate(seed["GOVSTACK_REGISTRATION_ADMIN_EMAIL"])+
		`","password":"`+interpolate(seed["GOVSTACK_REGISTRATION_ADMIN_PASSWORD"])+`"}`, auth)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &tok) != nil {
		t.Fatalf("sign in as the administrator = %d %s", code, body)
	}
	code, body = call(t, http.MethodPost, base+"/batches/"+batch.BatchID+"?command=authorize", `{"batchID":"`+batch.BatchID+
		`","payerIdentifier":"TREASURY","currency":"EUR","amount":"1.25"}`,
		with(map[string]string{"Authorization": "Bearer " + tok.AccessToken, "X-Client-Correlation-ID": "deploy-auth-" + run}))
	if code != 202 {
		t.Fatalf("authorise = %d %s", code, body)
	}
	waitStatus("COMPLETED")
	totals := "http://" + envValue(envOf("railsim"), "GOVSTACK_RAILSIM_ADDR") + "/simulator/totals"
	testkit.Eventually(t, 30*time.Second, "the rail's callback delivered", func() error {
		_, body := call(t, http.MethodGet, totals, "", map[string]string{})
		var tot simulator.Totals
		if err := json.Unmarshal([]byte(body), &tot); err != nil {
			return err
		}
		if tot.Currencies["EUR"].PaidMinor != 125 || tot.Callbacks.Delivered != 1 { // the simulator is new each run
			return fmt.Errorf("totals %s", body)
		}
		return nil
	})
}

func mergeMaps(a, b map[string]string) map[string]string {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}
