package domain

import (
	"strings"
	"testing"
	"time"
)

func TestFourEyesNeedTwoPeople(t *testing.T) {
	b := Batch{Status: BatchValidated, ApprovalsRequired: 2}
	if ready, err := b.Approve(Approval{Subject: "alice"}); ready || err != nil || b.Status != BatchAwaitingApproval {
		t.Fatalf("first approval: %v, %v, %s", ready, err, b.Status)
	}
	if _, err := b.Approve(Approval{Subject: "alice"}); err == nil || !strings.Contains(err.Error(), "four eyes") {
		t.Fatalf("the same approver twice: %v", err)
	}
	if ready, err := b.Approve(Approval{Subject: "bob"}); !ready || err != nil {
		t.Fatalf("second approver: %v, %v", ready, err)
	}
	for _, st := range []BatchStatus{BatchReceived, BatchAuthorized, BatchCompleted, BatchRejected} {
		b := Batch{Status: st, ApprovalsRequired: 1}
		if _, err := b.Approve(Approval{Subject: "x"}); err == nil {
			t.Errorf("approved a %s batch", st)
		}
	}
}

func TestInstructionOutcomes(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		from   InstructionStatus
		state  RailState
		to     InstructionStatus
		action LedgerAction
		fails  bool
	}{
		{InstructionSubmitting, RailSettled, InstructionCompleted, LedgerPost, false},
		{InstructionSubmitting, RailFailed, InstructionFailed, LedgerVoid, false},
		{InstructionSubmitting, RailPending, InstructionSubmitted, LedgerNone, false},
		{InstructionInDoubt, RailSettled, InstructionCompleted, LedgerPost, false},
		{InstructionSubmitted, RailFailed, InstructionFailed, LedgerVoid, false},
		{InstructionCompleted, RailSettled, InstructionCompleted, LedgerNone, false}, // a duplicate callback
		{InstructionCompleted, RailPending, InstructionCompleted, LedgerNone, false}, // a late, out-of-order one
		{InstructionFailed, RailSettled, InstructionFailed, LedgerNone, false},
		{InstructionCompleted, RailFailed, InstructionCompleted, LedgerNone, true}, // contradicts a settlement
	} {
		in := Instruction{ID: "i", Status: c.from}
		action, err := in.Apply(RailResult{State: c.state}, now)
		if in.Status != c.to || action != c.action || (err != nil) != c.fails {
			t.Errorf("%s + %s: %s, action %d, %v", c.from, c.state, in.Status, action, err)
		}
	}
	in := Instruction{Status: InstructionSubmitting}
	in.Doubt("time-out")
	if in.Status != InstructionInDoubt {
		t.Fatalf("doubt: %s", in.Status)
	}
	done := Instruction{Status: InstructionCompleted}
	done.Doubt("late time-out")
	if done.Status != InstructionCompleted {
		t.Fatalf("a settled payment became in doubt")
	}
}

func TestBatchInputChecksEveryInstruction(t *testing.T) {
	item := func(id, amount, currency, payer string) InstructionInput {
		return InstructionInput{ID: id, Amount: amount, Currency: currency, Credit: map[string]string{"msisdn": "1"},
			Debit: map[string]string{"payerIdentifier": payer}}
	}
	in, err := NewBatchInput([]InstructionInput{item("a", "1.5", "EUR", "P"), item("b", "2", "EUR", "P")}, 10)
	if err != nil || in.Currency != "EUR" || in.Payer != "P" || in.Instructions[0].Amount != 150 {
		t.Fatalf("%+v, %v", in, err)
	}
	for name, items := range map[string][]InstructionInput{
		"empty":          nil,
		"too many":       {item("a", "1", "EUR", "P"), item("b", "1", "EUR", "P"), item("c", "1", "EUR", "P")},
		"two currencies": {item("a", "1", "EUR", "P"), item("b", "1", "USD", "P")},
		"two payers":     {item("a", "1", "EUR", "P"), item("b", "1", "EUR", "Q")},
		"no id":          {item("", "1", "EUR", "P")},
		"long id":        {item("abcdefghijklmnopq", "1", "EUR", "P")},
		"bad amount":     {item("a", "1.001", "EUR", "P")},
		"no payee":       {{ID: "a", Amount: "1", Currency: "EUR"}},
		"duplicates":     {item("a", "1", "EUR", "P"), item("a", "1", "EUR", "P")},
	} {
		if _, err := NewBatchInput(items, 2); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzBatchInput: whatever instructions a caller sends, a checked batch has positive amounts, one currency
// and no repeated id.
func FuzzBatchInput(f *testing.F) {
	f.Add("a", "1.50", "EUR", "b", "2", "EUR")
	f.Add("a", "1", "JPY", "a", "1", "JPY")
	f.Fuzz(func(t *testing.T, id1, amount1, cur1, id2, amount2, cur2 string) {
		in, err := NewBatchInput([]InstructionInput{
			{ID: id1, Amount: amount1, Currency: cur1, Credit: map[string]string{"msisdn": "1"}},
			{ID: id2, Amount: amount2, Currency: cur2, Credit: map[string]string{"functionalId": "x"}}}, 10)
		if err != nil {
			return
		}
		if in.Instructions[0].ID == in.Instructions[1].ID || in.Instructions[0].Currency != in.Instructions[1].Currency {
			t.Fatalf("accepted %+v", in)
		}
		for _, i := range in.Instructions {
			if i.Amount <= 0 {
				t.Fatalf("amount %d", i.Amount)
			}
		}
	})
}

func FuzzCheckCallbackURL(f *testing.F) {
	for _, s := range []string{"https://a.example/cb", "ftp://x", "http://", "/relative", "http://[::1]:80/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if CheckCallbackURL(raw) == nil && !strings.HasPrefix(raw, "http://") && !strings.HasPrefix(raw, "https://") &&
			!strings.HasPrefix(strings.ToLower(raw), "http") {
			t.Fatalf("accepted %q", raw)
		}
	})
}
