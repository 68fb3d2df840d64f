package railsim

import (
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// CurrencyTotals is what the rail did in one currency. Minor units are exact; the amounts are the same
// sums as the API writes them.
type CurrencyTotals struct {
	Received       int    `json:"received"` // distinct disbursements
	PaidCount      int    `json:"paidCount"`
	PaidMinor      int64  `json:"paidMinor"`
	PaidAmount     string `json:"paidAmount"`
	FailedCount    int    `json:"failedCount"`
	PendingCount   int    `json:"pendingCount"`
	ReversedCount  int    `json:"reversedCount"`
	ReversedMinor  int64  `json:"reversedMinor"`
	ReversedAmount string `json:"reversedAmount"`
}

// CallbackTotals count the callbacks and their faults.
type CallbackTotals struct {
	Sent        int `json:"sent"`
	Delivered   int `json:"delivered"` // answered 2xx by the receiver
	Failed      int `json:"failed"`
	Lost        int `json:"lost"`
	Duplicated  int `json:"duplicated"`
	Reordered   int `json:"reordered"`
	Outstanding int `json:"outstanding"` // queued or scheduled, not yet sent
}

// Totals is the rail's own account of what it did (GET /simulator/totals).
type Totals struct {
	Currencies   map[string]CurrencyTotals `json:"currencies"`
	Instructions int                       `json:"instructions"` // distinct disbursements received
	Requests     int                       `json:"requests"`     // POSTs of disbursements and reversals
	Replays      int                       `json:"replays"`      // POSTs under a correlation id already recorded
	// DoublePayments counts payments of an instruction reference that was already paid (a client that
	// re-sent an instruction under a new X-CorrelationID). It must stay 0.
	DoublePayments int            `json:"doublePayments"`
	Faults         map[string]int `json:"faults"` // injected, by kind
	Callbacks      CallbackTotals `json:"callbacks"`
}

// Totals reports the ledger's sums.
func (s *Sim) Totals() Totals {
	s.mu.Lock()
	t := Totals{Currencies: map[string]CurrencyTotals{}, Faults: map[string]int{},
		Instructions: s.led.instructions, Requests: s.led.requests, Replays: s.led.replays, DoublePayments: s.led.double}
	for c, v := range s.led.currencies {
		ct := *v
		ct.PaidAmount, ct.ReversedAmount = decimal(ct.PaidMinor, c), decimal(ct.ReversedMinor, c)
		t.Currencies[c] = ct
	}
	for k, v := range s.led.faults {
		t.Faults[k] = v
	}
	s.mu.Unlock()
	t.Callbacks = s.cb.totals()
	return t
}

// decimal writes a sum the way the API writes amounts ("0" for none).
func decimal(minor int64, currency string) string {
	if minor == 0 {
		return "0"
	}
	s, err := mmapi.FormatAmount(minor, currency)
	if err != nil {
		return ""
	}
	return s
}

// requestState is t's request state as the API shows it.
func (s *Sim) requestState(t *txn) mmapi.RequestState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := mmapi.RequestState{ServerCorrelationID: t.serverID, ClientCorrelationID: t.correlationID,
		Status: t.status, NotificationMethod: mmapi.NotifyPolling, PollLimit: 100}
	if t.callbackURL != "" {
		st.NotificationMethod = mmapi.NotifyCallback
	}
	switch t.status {
	case mmapi.StatusCompleted:
		st.ObjectReference = t.ref
	case mmapi.StatusFailed:
		st.ErrorReference = t.err
	}
	return st
}

// transactionLocked is t's transaction object as the API shows it. Sim.mu is held.
func (s *Sim) transactionLocked(t *txn) mmapi.Transaction {
	v := t.req
	v.RequestingOrganisationTransactionReference = t.orgRef
	v.TransactionStatus = t.status
	v.TransactionReference = t.ref
	v.CreationDate = t.created.Format(time.RFC3339Nano)
	v.ModificationDate = t.modified.Format(time.RFC3339Nano)
	if t.kind == mmapi.TypeReversal {
		v.Amount = decimal(t.minor, t.req.Currency)
	}
	return v
}
