package railsim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// start runs a simulator on loopback and returns it with its URL.
func start(t *testing.T, o railsim.Options) (*railsim.Sim, string) {
	t.Helper()
	sim := railsim.New(o)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := sim.Start(l)
	t.Cleanup(sim.Close)
	return sim, url
}

// disbursement is a transaction object paying amount KES to msisdn under the instruction reference ref.
func disbursement(ref, amount, msisdn string) string {
	b, _ := json.Marshal(mmapi.Transaction{Type: mmapi.TypeDisbursement, Amount: amount, Currency: "KES",
		RequestingOrganisationTransactionReference: ref,
		DebitParty:  []mmapi.Party{{Key: "accountid", Value: "gov"}},
		CreditParty: []mmapi.Party{{Key: "msisdn", Value: msisdn}}})
	return string(b)
}

// send makes one request with the given headers and returns the status and body (status 0: no answer).
func send(t *testing.T, client *http.Client, method, url, body string, headers map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func post(t *testing.T, base, path, cid, body string) (int, []byte) {
	t.Helper()
	return send(t, http.DefaultClient, http.MethodPost, base+path, body, map[string]string{mmapi.HeaderCorrelationID: cid})
}

func TestTheSameSeedMakesTheSameDecisions(t *testing.T) {
	faults := railsim.Faults{ErrorBeforeAccept: 0.3, ErrorAfterAccept: 0.3, UnknownAccount: 0.2, InsufficientFunds: 0.2}
	run := func(seed int64) [][]int {
		sim, base := start(t, railsim.Options{Seed: seed, Faults: faults})
		var answers [][]int
		for i := range 30 {
			cid := fmt.Sprintf("seed-%d", i)
			for range 3 {
				post(t, base, mmapi.PathDisbursement, cid, disbursement(cid, "10.00", fmt.Sprintf("+2547000%05d", i)))
			}
			answers = append(answers, sim.Answers(cid))
		}
		return answers
	}
	a, b, other := run(42), run(42), run(43)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Fatalf("seed 42 decided differently twice:\n%v\n%v", a, b)
	}
	if slices.EqualFunc(a, other, slices.Equal) {
		t.Fatal("seeds 42 and 43 decided alike")
	}
}

func TestARepeatedCorrelationIDIsPaidOnce(t *testing.T) {
	sim, base := start(t, railsim.Options{Seed: 1})
	body := disbursement("pay-1", "150.5", "+254700000001")
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { post(t, base, mmapi.PathDisbursement, "pay-1", body) })
	}
	wg.Wait()
	// The same amount written another way is the same instruction; another amount is not.
	if status, _ := post(t, base, mmapi.PathDisbursement, "pay-1", disbursement("pay-1", "150.50", "+254700000001")); status != http.StatusAccepted {
		t.Fatalf("150.50 after 150.5 under one id: %d", status)
	}
	status, b := post(t, base, mmapi.PathDisbursement, "pay-1", disbursement("pay-1", "151.00", "+254700000001"))
	if status != http.StatusConflict {
		t.Fatalf("a different instruction under the same id: %d %s", status, b)
	}
	tot := sim.Totals()
	if sim.PaidCount("pay-1") != 1 || tot.Instructions != 1 || tot.Replays != 11 || tot.Currencies["KES"].PaidAmount != "150.50" {
		t.Fatalf("paid %d times; totals %+v", sim.PaidCount("pay-1"), tot)
	}
}

// TestANewCorrelationIDForAPaidInstructionIsADoublePayment: the rail, like a real one, pays a re-send under
// a new id — and counts it, which is what lets a test catch a client that does that.
func TestANewCorrelationIDForAPaidInstructionIsADoublePayment(t *testing.T) {
	sim, base := start(t, railsim.Options{})
	post(t, base, mmapi.PathDisbursement, "attempt-1", disbursement("pay-1", "10.00", "+254700000001"))
	post(t, base, mmapi.PathDisbursement, "attempt-2", disbursement("pay-1", "10.00", "+254700000001"))
	if tot := sim.Totals(); tot.DoublePayments != 1 || sim.PaidCount("pay-1") != 2 || tot.Currencies["KES"].PaidMinor != 2000 {
		t.Fatalf("totals %+v", tot)
	}
}

func TestATimedOutRequestLaterPollsAsSettled(t *testing.T) {
	sim, base := start(t, railsim.Options{Faults: railsim.Faults{Timeout: 1}})
	impatient := &http.Client{Timeout: 100 * time.Millisecond}
	status, _ := send(t, impatient, http.MethodPost, base+mmapi.PathDisbursement, disbursement("to-1", "5.00", "+254700000009"),
		map[string]string{mmapi.HeaderCorrelationID: "to-1"})
	if status != 0 {
		t.Fatalf("the time-out answered %d", status)
	}
	if err := sim.SetFaults(railsim.Faults{}); err != nil {
		t.Fatal(err)
	}
	var link mmapi.ResponseLink
	getJSON(t, base+mmapi.PathResponse+"to-1", &link)
	var st mmapi.RequestState
	getJSON(t, base+link.Link, &st)
	if st.Status != mmapi.StatusCompleted || st.ObjectReference == "" || st.ClientCorrelationID != "to-1" {
		t.Fatalf("request state %+v", st)
	}
	var tx mmapi.Transaction
	getJSON(t, base+mmapi.PathTransaction+st.ObjectReference, &tx)
	if tx.TransactionStatus != mmapi.StatusCompleted || tx.Amount != "5.00" || tx.RequestingOrganisationTransactionReference != "to-1" {
		t.Fatalf("transaction %+v", tx)
	}
}

// getJSON reads a 200 answer to a GET into v.
func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	status, b := send(t, http.DefaultClient, http.MethodGet, url, "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestRequestsAreChecked(t *testing.T) {
	sim, base := start(t, railsim.Options{})
	good := disbursement("chk-1", "1.00", "+254700000001")
	for name, c := range map[string]struct{ cid, body, callback string }{
		"no correlation id":        {"", good, ""},
		"a correlation id with /":  {"a/b", good, ""},
		"not JSON":                 {"c1", "{", ""},
		"a reversal's type":        {"c2", `{"type":"reversal","amount":"1.00","currency":"KES"}`, ""},
		"three decimals for KES":   {"c3", disbursement("r", "1.001", "+254700000001"), ""},
		"no payee":                 {"c4", `{"type":"disbursement","amount":"1.00","currency":"KES"}`, ""},
		"an unknown currency":      {"c5", `{"type":"disbursement","amount":"1.00","currency":"XYZ","creditParty":[{"key":"msisdn","value":"1"}]}`, ""},
		"a relative callback URL":  {"c6", good, "/callbacks"},
		"a payee by email address": {"c7", `{"type":"disbursement","amount":"1.00","currency":"KES","creditParty":[{"key":"email","value":"a@b"}]}`, ""},
	} {
		status, b := send(t, http.DefaultClient, http.MethodPost, base+mmapi.PathDisbursement, c.body,
			map[string]string{mmapi.HeaderCorrelationID: c.cid, mmapi.HeaderCallbackURL: c.callback})
		var e mmapi.Error
		if status != http.StatusBadRequest || json.Unmarshal(b, &e) != nil || e.ErrorCategory != mmapi.CategoryValidation {
			t.Errorf("%s: %d %s", name, status, b)
		}
	}
	if n := sim.Totals().Instructions; n != 0 {
		t.Fatalf("%d instructions recorded from bad requests", n)
	}
}

func TestTheTokenIsRequiredWhenSet(t *testing.T) {
	_, base := start(t, railsim.Options{Token: "t0k"})
	if status, _ := post(t, base, mmapi.PathDisbursement, "tk-1", disbursement("tk-1", "1.00", "+254700000001")); status != http.StatusUnauthorized {
		t.Fatalf("without the token: %d", status)
	}
	status, _ := send(t, http.DefaultClient, http.MethodPost, base+mmapi.PathDisbursement, disbursement("tk-1", "1.00", "+254700000001"),
		map[string]string{mmapi.HeaderCorrelationID: "tk-1", "Authorization": "Bearer t0k"})
	if status != http.StatusAccepted {
		t.Fatalf("with the token: %d", status)
	}
	if status, _ := send(t, http.DefaultClient, http.MethodGet, base+mmapi.PathHeartbeat, "", nil); status != http.StatusOK {
		t.Fatalf("heartbeat: %d", status)
	}
}

func TestTotalsAndFaultsOverHTTP(t *testing.T) {
	sim, base := start(t, railsim.Options{})
	post(t, base, mmapi.PathDisbursement, "tt-1", disbursement("tt-1", "12.34", "+254700000001"))
	var tot railsim.Totals
	getJSON(t, base+"/simulator/totals", &tot)
	if kes := tot.Currencies["KES"]; kes.PaidMinor != 1234 || kes.PaidAmount != "12.34" || kes.PaidCount != 1 {
		t.Fatalf("totals %+v", tot)
	}
	status, _ := send(t, http.DefaultClient, http.MethodPut, base+"/simulator/faults", `{"callbackLost":0.5,"timeout":0.02}`, nil)
	if f := sim.Faults(); status != http.StatusOK || f.CallbackLost != 0.5 || f.Timeout != 0.02 {
		t.Fatalf("PUT faults: %d, now %+v", status, f)
	}
	if status, _ := send(t, http.DefaultClient, http.MethodPut, base+"/simulator/faults", `{"timeout":2}`, nil); status != http.StatusBadRequest {
		t.Fatalf("a rate of 2: %d", status)
	}
}

func TestCloseLetsHeldRequestsGo(t *testing.T) {
	sim := railsim.New(railsim.Options{Faults: railsim.Faults{Timeout: 1}, HoldMax: time.Hour})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := sim.Start(l)
	done := make(chan struct{})
	go func() {
		defer close(done)
		post(t, base, mmapi.PathDisbursement, "held-1", disbursement("held-1", "1.00", "+254700000001"))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for sim.Totals().Faults["timeout"] == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // the polling interval
	}
	sim.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a held request outlived Close")
	}
}

func TestServeStopsWithItsContext(t *testing.T) {
	sim := railsim.New(railsim.Options{Faults: railsim.Faults{Timeout: 1}, HoldMax: time.Hour})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- sim.Serve(ctx, l, 5*time.Second) }()
	go post(t, "http://"+l.Addr().String(), mmapi.PathDisbursement, "held-2", disbursement("held-2", "1.00", "+254700000001"))
	deadline := time.Now().Add(10 * time.Second)
	for sim.Totals().Faults["timeout"] == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // the polling interval
	}
	start := time.Now()
	cancel()
	if err := <-served; err != nil || time.Since(start) > 4*time.Second {
		t.Fatalf("Serve = %v after %v: a held request held up the shutdown", err, time.Since(start))
	}
}
