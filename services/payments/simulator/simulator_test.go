package simulator_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/testkit"

	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/simulator"
)

// Started in-process from its settings, the simulator pays, calls back with the IM identity it was given,
// and counts what it did.
func TestStartedSimulatorCallsBackAsItsIMClient(t *testing.T) {
	s, err := config.LoadFrom[simulator.Settings](map[string]string{"GOVSTACK_RAILSIM_ADDR": "127.0.0.1:0",
		"GOVSTACK_RAILSIM_CALLBACK_CLIENT": "GOVSTACK/COM/RAILSIM/callbacks", "GOVSTACK_RAILSIM_CALLBACK_API_KEY": "k-1"})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := simulator.Start(s, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	got := make(chan http.Header, 1)
	receiver := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got <- r.Header.Clone() }))
	defer receiver.Close()
	client, err := rail.NewMobileMoney(rail.MobileMoneyOptions{BaseURL: sim.URL(), CallbackURL: receiver.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Submit(context.Background(), rail.Instruction{ID: "sim-1", Amount: 1234, Currency: "EUR",
		Payee: rail.Account{Modality: rail.ModalityMobileMoney, FinancialAddress: "37255501"}}); err != nil {
		t.Fatal(err)
	}
	select {
	case h := <-got:
		if h.Get("X-GovStack-Client") != "GOVSTACK/COM/RAILSIM/callbacks" || h.Get("X-GovStack-Api-Key") != "k-1" {
			t.Errorf("callback headers %v", h)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no callback")
	}
	testkit.Eventually(t, 5*time.Second, "totals", func() error {
		if tot := sim.Totals(); tot.Currencies["EUR"].PaidMinor != 1234 || tot.Callbacks.Delivered != 1 {
			return fmt.Errorf("totals %+v", tot)
		}
		return nil
	})
}

func TestAKeyWithoutItsClientIsRefused(t *testing.T) {
	_, err := config.LoadFrom[simulator.Settings](map[string]string{"GOVSTACK_RAILSIM_CALLBACK_API_KEY": "k-1"})
	if err == nil {
		t.Fatal("a callback API key without its client was accepted")
	}
}
