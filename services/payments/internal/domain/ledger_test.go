package domain

import (
	"testing"
	"time"
)

func TestTransferValidate(t *testing.T) {
	ok := Transfer{ID: "t", Kind: TransferPosted, DebitAccount: "a", CreditAccount: "b", Amount: 1, Currency: "EUR"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*Transfer){
		"no id":          func(t *Transfer) { t.ID = "" },
		"zero amount":    func(t *Transfer) { t.Amount = 0 },
		"negative":       func(t *Transfer) { t.Amount = -5 },
		"same account":   func(t *Transfer) { t.CreditAccount = "a" },
		"no account":     func(t *Transfer) { t.DebitAccount = "" },
		"bad currency":   func(t *Transfer) { t.Currency = "XAU" },
		"unknown kind":   func(t *Transfer) { t.Kind = "teleport" },
		"pending id":     func(t *Transfer) { t.PendingID = "p" },
		"posted expires": func(t *Transfer) { t.ExpiresAt = time.Now() },
		"post no pending": func(t *Transfer) {
			t.Kind = TransferPost
		},
	} {
		tr := ok
		mutate(&tr)
		if tr.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestResolve(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	p := Transfer{ID: "p", Tenant: "gov", Kind: TransferPending, DebitAccount: "a", CreditAccount: "b", Amount: 7,
		Currency: "EUR", ExpiresAt: now.Add(time.Minute)}
	r, err := Transfer{ID: "r", Kind: TransferPost, PendingID: "p"}.Resolve(p, now)
	if err != nil || r.Amount != 7 || r.DebitAccount != "a" || r.CreditAccount != "b" || r.Currency != "EUR" {
		t.Fatalf("post: %+v, %v", r, err)
	}
	if _, err := (Transfer{ID: "r", Kind: TransferPost, PendingID: "p"}).Resolve(p, now.Add(time.Minute)); err == nil {
		t.Error("posted an expired pending transfer")
	}
	if _, err := (Transfer{ID: "r", Kind: TransferVoid, PendingID: "p"}).Resolve(p, now.Add(time.Hour)); err != nil {
		t.Errorf("an expired pending transfer must still be voidable: %v", err)
	}
	p.Kind = TransferPosted
	if _, err := (Transfer{ID: "r", Kind: TransferVoid, PendingID: "p"}).Resolve(p, now); err == nil {
		t.Error("voided a posted transfer")
	}
}

// Deltas keep the double entry: summed over every account, debits equal credits, pending and posted.
func TestDeltasBalance(t *testing.T) {
	ts := []Transfer{
		{Kind: TransferPosted, DebitAccount: "a", CreditAccount: "b", Amount: 10, Currency: "EUR"},
		{Kind: TransferPending, DebitAccount: "b", CreditAccount: "c", Amount: 4, Currency: "EUR"},
		{Kind: TransferPost, DebitAccount: "b", CreditAccount: "c", Amount: 4, Currency: "EUR"},
		{Kind: TransferPending, DebitAccount: "a", CreditAccount: "c", Amount: 3, Currency: "EUR"},
		{Kind: TransferVoid, DebitAccount: "a", CreditAccount: "c", Amount: 3, Currency: "EUR"},
	}
	var dp, dpo, cp, cpo int64
	for _, d := range Deltas(ts) {
		dp, dpo, cp, cpo = dp+d.DebitsPending, dpo+d.DebitsPosted, cp+d.CreditsPending, cpo+d.CreditsPosted
		if d.Account == "b" && (d.CreditsPosted != 10 || d.DebitsPosted != 4 || d.DebitsPending != 0) {
			t.Errorf("b: %+v", d)
		}
	}
	if dp != cp || dpo != cpo || dp != 0 || dpo != 14 {
		t.Fatalf("debits %d/%d, credits %d/%d", dp, dpo, cp, cpo)
	}
}
