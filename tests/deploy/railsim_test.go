package deploy

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/services/payments"
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
