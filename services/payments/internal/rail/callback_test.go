package rail_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

var callbackCases = []struct {
	name, body string
	id         string
	want       rail.Result
	reason     string // in want.Reason
}{
	{name: "settled", body: `{"transactionReference":"MM01","requestingOrganisationTransactionReference":"pay-1",
		"transactionStatus":"completed","type":"disbursement","amount":"1.00","currency":"KES",
		"modificationDate":"2026-01-02T03:04:05Z","someFutureField":{"x":1}}`,
		id: "pay-1", want: rail.Result{State: rail.StateSettled, RailRef: "MM01", At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}},
	{name: "settled without a type or date", body: `{"transactionReference":"MM02","requestingOrganisationTransactionReference":"pay-2","transactionStatus":"completed"}`,
		id: "pay-2", want: rail.Result{State: rail.StateSettled, RailRef: "MM02"}},
	{name: "pending", body: `{"transactionReference":"MM03","requestingOrganisationTransactionReference":"pay-3","transactionStatus":"pending"}`,
		id: "pay-3", want: rail.Result{State: rail.StatePending, RailRef: "MM03"}},
	{name: "failed transaction", body: `{"transactionReference":"MM04","requestingOrganisationTransactionReference":"pay-4","transactionStatus":"failed"}`,
		id: "pay-4", want: rail.Result{State: rail.StateFailed, RailRef: "MM04"}, reason: "failed"},
	{name: "error object", body: `{"errorCategory":"businessRule","errorCode":"insufficientFunds","errorDescription":"float too low",
		"errorDateTime":"2026-01-02T03:04:05.5Z","errorParameters":[{"key":"clientCorrelationId","value":"pay-5"}]}`,
		id: "pay-5", want: rail.Result{State: rail.StateFailed, At: time.Date(2026, 1, 2, 3, 4, 5, 5e8, time.UTC)},
		reason: "businessRule/insufficientFunds: float too low"},
	{name: "error object naming the instruction reference, quoting an MSISDN", body: `{"errorCategory":"identification","errorCode":"identifierError",
		"errorDescription":"no account +254712345678\n","errorParameters":[{"key":"requestingOrganisationTransactionReference","value":"pay-6"}]}`,
		id: "pay-6", want: rail.Result{State: rail.StateFailed}, reason: "no account +*********678 "},
}

func TestParseCallbackReadsBothShapes(t *testing.T) {
	for _, c := range callbackCases {
		t.Run(c.name, func(t *testing.T) {
			id, got, err := rail.ParseCallback([]byte(c.body))
			if err != nil || id != c.id {
				t.Fatalf("ParseCallback = %q, %+v, %v; want %q", id, got, err, c.id)
			}
			reason := got.Reason
			got.Reason = ""
			if got != c.want || !strings.Contains(reason, c.reason) {
				t.Fatalf("result %+v (reason %q), want %+v (reason with %q)", got, reason, c.want, c.reason)
			}
		})
	}
}

func TestParseCallbackRefusesWhatCannotSettleAPayment(t *testing.T) {
	bad := map[string]string{
		"empty":                "",
		"not JSON":             "completed",
		"an array":             `[{"transactionStatus":"completed"}]`,
		"null":                 "null",
		"neither shape":        `{"status":"completed","serverCorrelationId":"x"}`,
		"a reversal":           `{"type":"reversal","transactionReference":"MM1","requestingOrganisationTransactionReference":"pay-1","transactionStatus":"completed"}`,
		"no instruction id":    `{"transactionReference":"MM1","transactionStatus":"completed"}`,
		"an id with a space":   `{"transactionReference":"MM1","requestingOrganisationTransactionReference":"pay 1","transactionStatus":"completed"}`,
		"an unknown status":    `{"transactionReference":"MM1","requestingOrganisationTransactionReference":"pay-1","transactionStatus":"done"}`,
		"a bad reference":      `{"transactionReference":"MM/1","requestingOrganisationTransactionReference":"pay-1","transactionStatus":"completed"}`,
		"a bad date":           `{"transactionReference":"MM1","requestingOrganisationTransactionReference":"pay-1","transactionStatus":"completed","modificationDate":"yesterday"}`,
		"an error without id":  `{"errorCategory":"internal","errorCode":"genericError"}`,
		"an error, bad date":   `{"errorCategory":"internal","errorCode":"x","errorDateTime":"1/2/2026","errorParameters":[{"key":"clientCorrelationId","value":"p"}]}`,
		"a number for a field": `{"transactionReference":1,"requestingOrganisationTransactionReference":"pay-1","transactionStatus":"completed"}`,
		"too large":            `{"descriptionText":"` + strings.Repeat("x", rail.MaxCallbackBytes) + `"}`,
	}
	for name, body := range bad {
		if id, r, err := rail.ParseCallback([]byte(body)); !errors.Is(err, rail.ErrBadCallback) {
			t.Errorf("%s: ParseCallback = %q, %+v, %v; want ErrBadCallback", name, id, r, err)
		}
	}
}

func FuzzParseCallback(f *testing.F) {
	for _, c := range callbackCases {
		f.Add([]byte(c.body))
	}
	f.Add([]byte(`{"errorCategory":"x","errorParameters":[{"key":"clientCorrelationId","value":"a"},{"key":"clientCorrelationId","value":"b"}]}`))
	f.Add([]byte(`{"transactionStatus":"completed","requestingOrganisationTransactionReference":"a","transactionReference":"\u0000"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		id, r, err := rail.ParseCallback(body)
		if err != nil {
			if !errors.Is(err, rail.ErrBadCallback) {
				t.Fatalf("error %v does not wrap ErrBadCallback", err)
			}
			return
		}
		if !mmapi.ValidCorrelationID(id) {
			t.Fatalf("accepted instruction id %q", id)
		}
		if r.State != rail.StatePending && r.State != rail.StateSettled && r.State != rail.StateFailed {
			t.Fatalf("state %q", r.State)
		}
		if r.RailRef != "" && !mmapi.ValidCorrelationID(r.RailRef) {
			t.Fatalf("rail reference %q", r.RailRef)
		}
		if utf8.RuneCountInString(r.Reason) > 200 || strings.ContainsFunc(r.Reason, unicode.IsControl) || !utf8.ValidString(r.Reason) {
			t.Fatalf("reason %q", r.Reason)
		}
		if r.State == rail.StateFailed && r.Reason == "" {
			t.Fatal("a failure without a reason")
		}
	})
}

// TestCallbacksDuplicatedAndOutOfOrderAgreeWithStatus: with duplicated and delayed callbacks, the BB's
// receiver gets them in another order than the instructions settled in, some twice — and every one of
// them, parsed, says what Status says.
func TestCallbacksDuplicatedAndOutOfOrderAgreeWithStatus(t *testing.T) {
	r := newRig(t, railsim.Options{Seed: 11, Faults: railsim.Faults{CallbackDuplicate: 0.3, CallbackReorder: 0.3,
		InsufficientFunds: 0.1}, CallbackWorkers: 1}, fastClient())
	var ins []rail.Instruction
	for i := range 60 {
		in := instruction(fmt.Sprintf("ooo-%02d", i), int64(100+i), "KES")
		ins = append(ins, in)
		if _, err := r.client.Submit(context.Background(), in); err != nil && !errors.Is(err, rail.ErrRejected) {
			t.Fatal(err) // no transport faults: every instruction is answered
		}
	}
	totals := r.sim.Totals()
	if totals.Callbacks.Duplicated == 0 || totals.Callbacks.Reordered == 0 {
		t.Fatalf("the simulator injected no duplicates or reordering: %+v", totals.Callbacks)
	}
	checkCallbacksAgree(t, r, ins)
	if inversions(r.cb.arrivals(), ins) == 0 {
		t.Fatal("the callbacks arrived in the order the instructions settled in")
	}
}

// checkCallbacksAgree waits for every callback, then checks each instruction got one, or two when the
// simulator duplicated it, all agreeing with Status.
func checkCallbacksAgree(t *testing.T, r *rig, ins []rail.Instruction) {
	t.Helper()
	checkCallbacks(t, r, nil, 0)
	total := 0
	for _, in := range ins {
		got := r.cb.results(in.ID)
		if len(got) < 1 || len(got) > 2 {
			t.Fatalf("%s: %d callbacks", in.ID, len(got))
		}
		total += len(got)
		status, err := r.client.Status(context.Background(), in.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, cb := range got {
			if cb.State != status.State {
				t.Fatalf("%s: callback %+v disagrees with status %+v", in.ID, cb, status)
			}
		}
	}
	if want := len(ins) + r.sim.Totals().Callbacks.Duplicated; total != want {
		t.Fatalf("%d callbacks, want %d", total, want)
	}
}

// inversions counts the first arrivals that came after an instruction submitted later.
func inversions(arrivals []string, ins []rail.Instruction) int {
	order := map[string]int{}
	for i, in := range ins {
		order[in.ID] = i
	}
	seen, n, latest := map[string]bool{}, 0, -1
	for _, id := range arrivals {
		if seen[id] {
			continue
		}
		seen[id] = true
		if order[id] < latest {
			n++
		}
		latest = max(latest, order[id])
	}
	return n
}
