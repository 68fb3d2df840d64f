package domain

import (
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// The ledger is double-entry: every transfer debits one account and credits another of the same tenant
// and currency by the same amount, so per currency the debits of all accounts always equal their credits.

// Account is a ledger account of one tenant in one currency. Its balance is four counters the store
// changes by conditional updates only.
type Account struct {
	ID       string
	Tenant   string
	Code     string // what the account is for, unique per tenant and currency: "funding:<payer>", "clearing:batch:<id>"
	Currency string
	// DebitsMustNotExceedCredits makes the account refuse a debit that would take its debits (pending and
	// posted) beyond its posted credits: the money a funding or budget account holds cannot be spent twice.
	DebitsMustNotExceedCredits bool
	// CreditsMustNotExceedDebits is the mirror rule, for an account that must never owe more than it got.
	CreditsMustNotExceedDebits bool
	Balance                    Balance
}

// Balance is an account's four counters, in minor units.
type Balance struct {
	DebitsPending, DebitsPosted, CreditsPending, CreditsPosted int64
}

// Available is what an account that holds money (credits in, debits out) can still spend: its posted
// credits less every debit, pending or posted.
func (b Balance) Available() int64 { return b.CreditsPosted - b.DebitsPosted - b.DebitsPending }

// TransferKind says what a transfer does to the counters.
type TransferKind string

const (
	// TransferPosted moves money at once: debits_posted and credits_posted.
	TransferPosted TransferKind = "posted"
	// TransferPending reserves money: debits_pending and credits_pending, until posted, voided or expired.
	TransferPending TransferKind = "pending"
	// TransferPost resolves a pending transfer by moving its amount from pending to posted.
	TransferPost TransferKind = "post"
	// TransferVoid resolves a pending transfer by releasing its amount.
	TransferVoid TransferKind = "void"
	// TransferExpire is a void written by the sweeper when the pending transfer's time ran out.
	TransferExpire TransferKind = "expire"
)

// Resolves reports whether k resolves a pending transfer (and so names one in PendingID).
func (k TransferKind) Resolves() bool {
	return k == TransferPost || k == TransferVoid || k == TransferExpire
}

// Transfer is one immutable ledger row. A resolving transfer (post, void, expire) names its pending
// transfer; the store fills in the pending transfer's accounts, currency and amount.
type Transfer struct {
	ID            string
	Tenant        string
	Kind          TransferKind
	DebitAccount  string
	CreditAccount string
	Amount        int64
	Currency      string
	PendingID     string    // for post, void and expire
	ExpiresAt     time.Time // for pending: when the sweeper voids it; zero = never
	Reference     string    // what the transfer is for: "batch:<id>", "instruction:<id>", "voucher:<serial>"
	CreatedAt     time.Time
}

// The ledger's error reasons.
const (
	ReasonInsufficientFunds      = "INSUFFICIENT_FUNDS"
	ReasonAccountNotFound        = "ACCOUNT_NOT_FOUND"
	ReasonCurrencyMismatch       = "CURRENCY_MISMATCH"
	ReasonPendingAlreadyResolved = "PENDING_ALREADY_RESOLVED"
	ReasonPendingExpired         = "PENDING_EXPIRED"
	ReasonNotPending             = "NOT_PENDING"
	ReasonTransferExists         = "TRANSFER_EXISTS"
	ReasonInvalidTransfer        = "INVALID_TRANSFER"
)

// Validate checks a transfer before the store applies it: a new transfer moves a positive amount between
// two different accounts; a resolving one names its pending transfer and nothing else.
func (t Transfer) Validate() error {
	bad := func(msg string) error { return apierr.Invalid(ReasonInvalidTransfer, "transfer "+t.ID+": "+msg) }
	switch {
	case t.ID == "":
		return bad("has no id")
	case t.Kind.Resolves():
		if t.PendingID == "" {
			return bad(string(t.Kind) + " names no pending transfer")
		}
		return nil
	case t.Kind != TransferPosted && t.Kind != TransferPending:
		return bad(fmt.Sprintf("unknown kind %q", t.Kind))
	case t.PendingID != "":
		return bad("only post, void and expire name a pending transfer")
	case t.Amount <= 0:
		return bad("amount must be positive")
	case t.DebitAccount == "" || t.CreditAccount == "":
		return bad("needs a debit and a credit account")
	case t.DebitAccount == t.CreditAccount:
		return bad("debits and credits the same account")
	case t.Kind == TransferPosted && !t.ExpiresAt.IsZero():
		return bad("only a pending transfer expires")
	}
	if _, ok := CurrencyScale(t.Currency); !ok {
		return bad(fmt.Sprintf("currency %q is not an ISO 4217 code", t.Currency))
	}
	return nil
}

// Resolve completes a resolving transfer r from its pending transfer p as of now: r takes p's accounts,
// currency and amount. It refuses a transfer that is not pending, and a post after p expired.
func (r Transfer) Resolve(p Transfer, now time.Time) (Transfer, error) {
	if p.Kind != TransferPending {
		return r, apierr.FailedPrecondition(ReasonNotPending,
			fmt.Sprintf("transfer %s is %s, not pending: only a pending transfer can be posted or voided", p.ID, p.Kind))
	}
	if r.Kind == TransferPost && !p.ExpiresAt.IsZero() && !now.Before(p.ExpiresAt) {
		return r, apierr.FailedPrecondition(ReasonPendingExpired,
			fmt.Sprintf("pending transfer %s expired at %s", p.ID, p.ExpiresAt.UTC().Format(time.RFC3339)))
	}
	r.Tenant, r.Currency, r.Amount = p.Tenant, p.Currency, p.Amount
	r.DebitAccount, r.CreditAccount = p.DebitAccount, p.CreditAccount
	return r, nil
}

// Delta is what transfers do to one account's counters.
type Delta struct {
	Account                                                    string
	Tenant, Currency                                           string
	DebitsPending, DebitsPosted, CreditsPending, CreditsPosted int64
}

// Deltas sums what transfers (resolving ones already completed by Resolve) do to each account, in the order
// the accounts first appear.
func Deltas(ts []Transfer) []Delta {
	idx := map[string]int{}
	var out []Delta
	at := func(account string, t Transfer) int {
		key := account + "\x00" + t.Currency
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, Delta{Account: account, Tenant: t.Tenant, Currency: t.Currency})
		}
		return i
	}
	for _, t := range ts {
		// Indices, not pointers: the second at may grow out and move the first account's Delta.
		di, ci := at(t.DebitAccount, t), at(t.CreditAccount, t)
		d, c := &out[di], &out[ci]
		switch t.Kind {
		case TransferPosted:
			d.DebitsPosted += t.Amount
			c.CreditsPosted += t.Amount
		case TransferPending:
			d.DebitsPending += t.Amount
			c.CreditsPending += t.Amount
		case TransferPost:
			d.DebitsPending -= t.Amount
			d.DebitsPosted += t.Amount
			c.CreditsPending -= t.Amount
			c.CreditsPosted += t.Amount
		case TransferVoid, TransferExpire:
			d.DebitsPending -= t.Amount
			c.CreditsPending -= t.Amount
		}
	}
	return out
}
