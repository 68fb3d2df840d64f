package rail_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// TestInDoubtExactlyWhenNoAnswerWasDefinite mixes every transport fault at partial rates, so that some
// instructions get through on a retry and some never get a definite answer: Submit says ErrInDoubt for
// exactly the latter, and reconciliation settles each once.
func TestInDoubtExactlyWhenNoAnswerWasDefinite(t *testing.T) {
	co := fastClient()
	co.AttemptTimeout = 150 * time.Millisecond
	r := newRig(t, railsim.Options{Seed: 3, SettleDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond,
		Faults: railsim.Faults{ErrorBeforeAccept: 0.4, ErrorAfterAccept: 0.4, Timeout: 0.1, Delay: 0.3}}, co)
	var ins []rail.Instruction
	inDoubt, answered := 0, 0
	for i := range 80 {
		in := instruction(fmt.Sprintf("mix-%02d", i), 1000+int64(i), "KES")
		ins = append(ins, in)
		res, err := r.client.Submit(context.Background(), in)
		checkSubmit(t, r, in, res, err, expectIf(err, rail.ErrInDoubt))
		if errors.Is(err, rail.ErrInDoubt) {
			inDoubt++
		} else {
			answered++
		}
	}
	if inDoubt == 0 || answered == 0 {
		t.Fatalf("%d in doubt, %d answered: the mix did not produce both", inDoubt, answered)
	}
	if err := r.sim.SetFaults(railsim.Faults{}); err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		checkPaidOnce(t, r.sim, in, reconcile(t, r.client, in))
	}
}

// expectIf is want when err is want, else nil: the expectation checkSubmit checks the rest against.
func expectIf(err, want error) error {
	if errors.Is(err, want) {
		return want
	}
	return nil
}

// TestConcurrentResendsOfOneInstructionPayOnce: many replicas sending one instruction at once, through
// 5xx and time-outs, make the rail pay it once.
func TestConcurrentResendsOfOneInstructionPayOnce(t *testing.T) {
	co := fastClient()
	co.AttemptTimeout = 150 * time.Millisecond
	r := newRig(t, railsim.Options{Seed: 5, SettleDelay: 5 * time.Millisecond,
		Faults: railsim.Faults{ErrorAfterAccept: 0.5, Timeout: 0.2, ErrorBeforeAccept: 0.2}}, co)
	in := instruction("hot-1", 99999, "KES")
	var wg sync.WaitGroup
	for range 24 {
		wg.Go(func() { _, _ = r.client.Submit(context.Background(), in) })
	}
	wg.Wait()
	if err := r.sim.SetFaults(railsim.Faults{}); err != nil {
		t.Fatal(err)
	}
	final := reconcile(t, r.client, in)
	checkPaidOnce(t, r.sim, in, final)
	tot := r.sim.Totals()
	if tot.Requests < 24 || tot.Replays < 23 || tot.Currencies["KES"].PaidMinor != 99999 {
		t.Fatalf("totals %+v: want ≥24 requests, ≥23 replays, 999.99 KES paid", tot)
	}
}

func TestReverseReturnsTheMoneyOnce(t *testing.T) {
	r := newRig(t, railsim.Options{Seed: 1}, fastClient())
	ctx := context.Background()
	in := instruction("rev-1", 5000, "KES")
	if res, err := r.client.Submit(ctx, in); err != nil || res.State != rail.StateSettled {
		t.Fatalf("Submit = %+v, %v (the simulator settles at once)", res, err)
	}
	var wg sync.WaitGroup
	refs := make([]string, 8)
	for i := range refs {
		wg.Go(func() {
			res, err := r.client.Reverse(ctx, in.ID, "paid in error")
			if err != nil || res.State != rail.StateSettled {
				t.Errorf("Reverse = %+v, %v", res, err)
			}
			refs[i] = res.RailRef
		})
	}
	wg.Wait()
	for _, ref := range refs {
		if ref == "" || ref != refs[0] {
			t.Fatalf("reversal references %v: want one reversal", refs)
		}
	}
	kes := r.sim.Totals().Currencies["KES"]
	if kes.ReversedCount != 1 || kes.ReversedMinor != 5000 || kes.PaidMinor != 5000 {
		t.Fatalf("KES totals %+v: want 50.00 paid and reversed once", kes)
	}
	if st, err := r.client.Status(ctx, in.ID); err != nil || st.State != rail.StateSettled {
		t.Fatalf("Status of a reversed instruction = %+v, %v; want SETTLED", st, err)
	}
}

func TestReverseRefusesWhatHasNotSettled(t *testing.T) {
	r := newRig(t, railsim.Options{Seed: 1, SettleDelay: time.Hour, UnknownAccounts: []string{msisdn("rev-bad")}}, fastClient())
	ctx := context.Background()
	if _, err := r.client.Reverse(ctx, "never-sent", "x"); !errors.Is(err, rail.ErrUnknownInstruction) {
		t.Fatalf("Reverse of an unknown instruction = %v", err)
	}
	pending := instruction("rev-pending", 100, "KES")
	if res, err := r.client.Submit(ctx, pending); err != nil || res.State != rail.StatePending {
		t.Fatalf("Submit = %+v, %v", res, err)
	}
	if _, err := r.client.Reverse(ctx, pending.ID, "x"); !errors.Is(err, rail.ErrNotSettled) {
		t.Fatalf("Reverse of a pending instruction = %v", err)
	}
	failed := instruction("rev-bad", 100, "KES")
	if _, err := r.client.Submit(ctx, failed); !errors.Is(err, rail.ErrUnknownAccount) {
		t.Fatalf("Submit to an unknown account = %v", err)
	}
	if _, err := r.client.Reverse(ctx, failed.ID, "x"); !errors.Is(err, rail.ErrNotSettled) {
		t.Fatalf("Reverse of a failed instruction = %v", err)
	}
	if n := r.sim.Totals().Currencies["KES"].ReversedCount; n != 0 {
		t.Fatalf("%d reversals", n)
	}
}

func TestValidateAccount(t *testing.T) {
	r := newRig(t, railsim.Options{Seed: 1, UnknownAccounts: []string{"+254700000001"}}, fastClient())
	ctx := context.Background()
	name, err := r.client.ValidateAccount(ctx, rail.Account{Modality: rail.ModalityMobileMoney, FinancialAddress: "+254700000002"})
	again, _ := r.client.ValidateAccount(ctx, rail.Account{Modality: "msisdn", FinancialAddress: "+254700000002"})
	if err != nil || name == "" || name != again {
		t.Fatalf("ValidateAccount = %q, %v; then %q", name, err, again)
	}
	if _, err := r.client.ValidateAccount(ctx, rail.Account{Modality: "01", FinancialAddress: "+254700000001"}); !errors.Is(err, rail.ErrUnknownAccount) {
		t.Fatalf("an unknown account: %v", err)
	}
	for _, a := range []rail.Account{{Modality: rail.ModalityVoucher, FinancialAddress: "1"}, {Modality: "01"},
		{Modality: "01", FinancialAddress: "a/b"}, {Modality: "01", FinancialAddress: strings.Repeat("9", 65)}} {
		if _, err := r.client.ValidateAccount(ctx, a); !errors.Is(err, rail.ErrInvalidInstruction) {
			t.Fatalf("ValidateAccount(%v) = %v, want ErrInvalidInstruction", a, err)
		}
	}
	// The rail's view of an account is one: validation and payment agree on every account.
	if err := r.sim.SetFaults(railsim.Faults{UnknownAccount: 0.3}); err != nil {
		t.Fatal(err)
	}
	unknown := 0
	for i := range 40 {
		a := rail.Account{Modality: "01", FinancialAddress: fmt.Sprintf("+2547111%05d", i)}
		_, verr := r.client.ValidateAccount(ctx, a)
		_, serr := r.client.Submit(ctx, rail.Instruction{ID: fmt.Sprintf("va-%d", i), Payee: a, Amount: 100, Currency: "KES"})
		if errors.Is(verr, rail.ErrUnknownAccount) != errors.Is(serr, rail.ErrUnknownAccount) {
			t.Fatalf("account %d: validation %v, payment %v", i, verr, serr)
		}
		if verr != nil {
			unknown++
		}
	}
	if unknown == 0 || unknown == 40 {
		t.Fatalf("%d of 40 accounts unknown at a rate of 0.3", unknown)
	}
}

func TestSubmitRefusesWhatCannotBePaid(t *testing.T) {
	r := newRig(t, railsim.Options{}, fastClient())
	ok := instruction("ok-1", 100, "KES")
	for name, in := range map[string]rail.Instruction{
		"no id":           {Payee: ok.Payee, Amount: 100, Currency: "KES"},
		"an id with /":    {ID: "a/b", Payee: ok.Payee, Amount: 100, Currency: "KES"},
		"zero":            {ID: "z", Payee: ok.Payee, Amount: 0, Currency: "KES"},
		"negative":        {ID: "n", Payee: ok.Payee, Amount: -100, Currency: "KES"},
		"no currency":     {ID: "c", Payee: ok.Payee, Amount: 100},
		"a voucher":       {ID: "v", Payee: rail.Account{Modality: rail.ModalityVoucher, FinancialAddress: "1"}, Amount: 100, Currency: "KES"},
		"no payee number": {ID: "p", Payee: rail.Account{Modality: rail.ModalityMobileMoney}, Amount: 100, Currency: "KES"},
	} {
		if _, err := r.client.Submit(context.Background(), in); !errors.Is(err, rail.ErrInvalidInstruction) {
			t.Errorf("%s: Submit = %v, want ErrInvalidInstruction", name, err)
		}
	}
	if n := r.sim.Totals().Requests; n != 0 {
		t.Fatalf("%d requests reached the rail", n)
	}
}

// TestNoAccountNumberOrTokenInLogsOrErrors drives the client through retries, rejections and an
// unreachable rail with debug logging on, and looks for the payee's number and the token everywhere.
func TestNoAccountNumberOrTokenInLogsOrErrors(t *testing.T) {
	const token = "s3cr3t-t0ken-value"
	co := fastClient()
	co.Token, co.AttemptTimeout = token, 100*time.Millisecond
	r := newRig(t, railsim.Options{Seed: 2, Token: token, Faults: railsim.Faults{Timeout: 0.5, ErrorAfterAccept: 0.5}}, co)
	ctx := context.Background()
	in := instruction("log-1", 100, "KES")
	var errs []error
	_, err := r.client.Submit(ctx, in)
	errs = append(errs, err)
	_, err = r.client.ValidateAccount(ctx, in.Payee)
	errs = append(errs, err)
	r.sim.Close() // now unreachable: errors from the transport itself
	_, err = r.client.ValidateAccount(ctx, in.Payee)
	errs = append(errs, err)
	_, err = r.client.Submit(ctx, in)
	errs = append(errs, err)
	text := r.logs.String() + fmt.Sprint(errs) + fmt.Sprintf("%v %+v", in, in.Payee)
	digits := strings.TrimPrefix(in.Payee.FinancialAddress, "+")
	for _, secret := range []string{digits[:6], digits[len(digits)-7:], token} {
		if strings.Contains(text, secret) {
			t.Fatalf("%q appears in the logs or errors:\n%s", secret, text)
		}
	}
	if !strings.Contains(r.logs.String(), "attempt failed") {
		t.Fatalf("no retries were logged, so the test checked nothing:\n%s", r.logs.String())
	}
}
