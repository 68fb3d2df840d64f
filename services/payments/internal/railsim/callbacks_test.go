package railsim_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// TestCallbacksCarryTheResultAndNameTheInstruction: a settled disbursement is called back with its
// transaction, a failed one with the error object, each naming the instruction; a receiver that refuses
// is counted as a failed delivery and not retried.
func TestCallbacksCarryTheResultAndNameTheInstruction(t *testing.T) {
	var mu sync.Mutex
	got := map[string][]byte{}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[r.Header.Get(mmapi.HeaderCorrelationID)] = b
		mu.Unlock()
		if r.Header.Get(mmapi.HeaderCorrelationID) == "cb-refused" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer receiver.Close()
	sim, base := start(t, railsim.Options{UnknownAccounts: []string{"+254700000404"}})
	for cid, msisdn := range map[string]string{"cb-ok": "+254700000001", "cb-refused": "+254700000002", "cb-unknown": "+254700000404"} {
		send(t, http.DefaultClient, http.MethodPost, base+mmapi.PathDisbursement, disbursement(cid, "3.00", msisdn),
			map[string]string{mmapi.HeaderCorrelationID: cid, mmapi.HeaderCallbackURL: receiver.URL + "/cb"})
	}
	if err := sim.SetFaults(railsim.Faults{InsufficientFunds: 1}); err != nil {
		t.Fatal(err)
	}
	send(t, http.DefaultClient, http.MethodPost, base+mmapi.PathDisbursement, disbursement("cb-poor", "3.00", "+254700000003"),
		map[string]string{mmapi.HeaderCorrelationID: "cb-poor", mmapi.HeaderCallbackURL: receiver.URL + "/cb"})
	testkit.Eventually(t, 10*time.Second, "callbacks sent", func() error {
		if c := sim.Totals().Callbacks; c.Sent != 3 || c.Outstanding != 0 {
			return fmt.Errorf("callbacks %+v", c)
		}
		return nil
	})
	mu.Lock()
	defer mu.Unlock()
	var tx mmapi.Transaction
	if err := json.Unmarshal(got["cb-ok"], &tx); err != nil || tx.TransactionStatus != mmapi.StatusCompleted ||
		tx.RequestingOrganisationTransactionReference != "cb-ok" || tx.TransactionReference == "" {
		t.Fatalf("settled callback %s", got["cb-ok"])
	}
	var e mmapi.Error
	if err := json.Unmarshal(got["cb-poor"], &e); err != nil || e.ErrorCode != mmapi.CodeInsufficientFunds ||
		e.Param(mmapi.ParamClientCorrelationID) != "cb-poor" {
		t.Fatalf("failure callback %s", got["cb-poor"])
	}
	if _, sent := got["cb-unknown"]; sent {
		t.Fatal("a synchronous rejection was also called back")
	}
	if c := sim.Totals().Callbacks; c.Failed != 1 || c.Delivered != 2 {
		t.Fatalf("callbacks %+v: want the refused one failed, not retried", c)
	}
}

func TestAReversalMustNameTheInstructionItReverses(t *testing.T) {
	_, base := start(t, railsim.Options{})
	_, b := post(t, base, mmapi.PathDisbursement, "orig-1", disbursement("orig-1", "9.00", "+254700000001"))
	var st mmapi.RequestState
	if err := json.Unmarshal(b, &st); err != nil || st.Status != mmapi.StatusCompleted {
		t.Fatalf("disbursement: %s", b)
	}
	reversal := func(cid, ref string) int {
		body, _ := json.Marshal(mmapi.Transaction{Type: mmapi.TypeReversal, OriginalTransactionReference: st.ObjectReference,
			RequestingOrganisationTransactionReference: ref})
		status, _ := post(t, base, mmapi.PathReversal, cid, string(body))
		return status
	}
	if s := reversal("rev-a", "another-instruction"); s != http.StatusBadRequest {
		t.Fatalf("a reversal naming another instruction: %d", s)
	}
	if s := reversal("rev-b", "orig-1"); s != http.StatusAccepted {
		t.Fatalf("the reversal: %d", s)
	}
	if s := reversal("rev-c", "orig-1"); s != http.StatusBadRequest {
		t.Fatalf("a second reversal under another id: %d", s)
	}
	if s := reversal("rev-b", "orig-1"); s != http.StatusAccepted {
		t.Fatalf("the reversal repeated under its id: %d", s)
	}
}
