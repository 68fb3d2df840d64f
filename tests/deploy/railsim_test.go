package deploy

import (
	"net/url"
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
