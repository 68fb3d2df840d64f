package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"

	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
	"github.com/govstackbb/marketplace/services/payments/simulator"
)

func TestUsageDescribesEverySetting(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, nil, &out, &out); code != 0 {
		t.Fatalf("-h exited %d", code)
	}
	typ := reflect.TypeFor[simulator.Settings]()
	for i := range typ.NumField() {
		name := typ.Field(i).Tag.Get("env")
		if simulator.SettingDocs[name] == "" || !strings.Contains(out.String(), name) {
			t.Errorf("%s is not described in -h", name)
		}
	}
	if len(simulator.SettingDocs) != typ.NumField() {
		t.Errorf("%d descriptions for %d settings", len(simulator.SettingDocs), typ.NumField())
	}
}

func TestBadSettingsNameTheirVariable(t *testing.T) {
	for name, value := range map[string]string{
		"GOVSTACK_RAILSIM_TIMEOUT_RATE":       "2",
		"GOVSTACK_RAILSIM_CALLBACK_LOST_RATE": "-0.1",
		"GOVSTACK_RAILSIM_SEED":               "abc",
		"GOVSTACK_RAILSIM_ADDR":               "nowhere",
		"GOVSTACK_RAILSIM_SETTLE_DELAY":       "soon",
	} {
		var out bytes.Buffer
		code := run(context.Background(), []string{"serve"}, map[string]string{name: value}, &out, &out)
		if code == 0 || !strings.Contains(out.String(), name) {
			t.Errorf("%s=%s: exit %d, %q", name, value, code, out.String())
		}
	}
	var out bytes.Buffer
	if code := run(context.Background(), []string{"pay"}, nil, &out, &out); code != 2 {
		t.Errorf("an unknown command exited %d", code)
	}
}

// TestServeIsARailAndReportsItsTotals runs `railsim serve` as main does, pays through it with the rail
// client, reads its totals over HTTP and stops it with its context.
func TestServeIsARailAndReportsItsTotals(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // free again for serve; a port picked this way is reused at once
	env := map[string]string{"GOVSTACK_RAILSIM_ADDR": addr, "GOVSTACK_RAILSIM_SEED": "7", "GOVSTACK_RAILSIM_TOKEN": "tok",
		"GOVSTACK_RAILSIM_UNKNOWN_ACCOUNTS": "+254700000001,+254700000002", "GOVSTACK_LOG_LEVEL": "warn"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var logs bytes.Buffer
	go func() { done <- run(ctx, []string{"serve"}, env, &logs, &logs) }()
	testkit.Eventually(t, 10*time.Second, "railsim healthy", func() error {
		var out bytes.Buffer
		if run(ctx, []string{"healthcheck"}, env, &out, &out) != 0 {
			return errString(out.String())
		}
		return nil
	})

	client, err := rail.NewMobileMoney(rail.MobileMoneyOptions{BaseURL: "http://" + addr, Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	pay := func(id, msisdn string) error {
		_, err := client.Submit(ctx, rail.Instruction{ID: id, Amount: 250, Currency: "KES",
			Payee: rail.Account{Modality: rail.ModalityMobileMoney, FinancialAddress: msisdn}})
		return err
	}
	if err := pay("cmd-1", "+254711111111"); err != nil {
		t.Fatal(err)
	}
	if err := pay("cmd-2", "+254700000002"); !errors.Is(err, rail.ErrUnknownAccount) {
		t.Fatalf("a payment to a configured unknown account: %v", err)
	}
	resp, err := http.Get("http://" + addr + "/simulator/totals")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tot railsim.Totals
	if err := json.NewDecoder(resp.Body).Decode(&tot); err != nil {
		t.Fatal(err)
	}
	if kes := tot.Currencies["KES"]; kes.PaidAmount != "2.50" || kes.PaidCount != 1 || kes.FailedCount != 1 {
		t.Fatalf("totals %+v", tot)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop with its context")
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestDialAddr(t *testing.T) {
	for in, want := range map[string]string{":8095": "127.0.0.1:8095", "0.0.0.0:8095": "127.0.0.1:8095", "railsim:8095": "railsim:8095"} {
		if got := dialAddr(in); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
