package railsim

import (
	"fmt"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// txn is one request the rail took: a disbursement or a reversal, under its X-CorrelationID.
type txn struct {
	kind          string // mmapi.TypeDisbursement or mmapi.TypeReversal
	correlationID string
	serverID      string // serverCorrelationId of its request state
	ref           string // transactionReference
	canon         string // what makes a repeated request the same request
	req           mmapi.Transaction
	orgRef        string // the instruction it pays (requestingOrganisationTransactionReference)
	minor         int64
	status        string
	err           *mmapi.Error // why it failed
	rejectStatus  int          // the HTTP status of a synchronous rejection; 0 when it was accepted
	willFail      *mmapi.Error // decided on acceptance: how it fails when it settles
	callbackURL   string
	created       time.Time
	modified      time.Time
	reversedBy    string // the correlation id of the reversal that returned its money
}

// ledger is everything the rail remembers. Sim.mu guards it.
type ledger struct {
	byCorrelation map[string]*txn
	byServer      map[string]*txn
	byRef         map[string]*txn
	paid          map[string]int // payments per instruction reference: above 1 is a double payment
	attempts      map[string]int // POSTs per correlation id
	answers       map[string][]int
	currencies    map[string]*CurrencyTotals
	faults        map[string]int
	instructions  int
	requests      int
	replays       int
	double        int
}

func newLedger() ledger {
	return ledger{byCorrelation: map[string]*txn{}, byServer: map[string]*txn{}, byRef: map[string]*txn{},
		paid: map[string]int{}, attempts: map[string]int{}, answers: map[string][]int{},
		currencies: map[string]*CurrencyTotals{}, faults: map[string]int{}}
}

func (l *ledger) currency(c string) *CurrencyTotals {
	t := l.currencies[c]
	if t == nil {
		t = &CurrencyTotals{}
		l.currencies[c] = t
	}
	return t
}

// nextAttempt counts a POST under cid and returns which sending it is (1 for the first).
func (s *Sim) nextAttempt(cid string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.led.requests++
	s.led.attempts[cid]++
	return s.led.attempts[cid]
}

// refuse is a synchronous answer other than 202: its status and error object.
type refuse struct {
	status int
	err    *mmapi.Error
}

// acceptDisbursement records a disbursement, or finds the one already under its correlation id. A new one
// to an unknown account is refused (and remembered, so a re-send is refused the same way); any other is
// pending and settles after SettleDelay.
func (s *Sim) acceptDisbursement(t *txn) (*txn, *refuse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, r := s.existing(t); old != nil || r != nil {
		return old, r
	}
	s.register(t)
	s.led.instructions++
	s.led.currency(t.req.Currency).Received++
	if s.accountUnknown(t.req.CreditParty[0].Value) {
		s.led.faults[faultUnknownAccount]++
		s.fail(t, mmapi.CategoryIdentification, mmapi.CodeIdentifierError, "the payee's account does not exist")
		t.rejectStatus = http.StatusNotFound
		return t, &refuse{http.StatusNotFound, t.err}
	}
	if s.roll(faultInsufficientFunds, t.correlationID, 0) < s.Faults().InsufficientFunds {
		s.led.faults[faultInsufficientFunds]++
		t.willFail = apiError(mmapi.CategoryBusinessRule, mmapi.CodeInsufficientFunds, "the payer's float does not cover the amount")
	}
	s.led.currency(t.req.Currency).PendingCount++
	if s.o.SettleDelay <= 0 {
		s.settleLocked(t)
	} else {
		time.AfterFunc(s.o.SettleDelay, func() { s.settle(t) })
	}
	return t, nil
}

// existing is the transaction already under t's correlation id, or a conflict when that one is a
// different request. A remembered rejection is answered again.
func (s *Sim) existing(t *txn) (*txn, *refuse) {
	old := s.led.byCorrelation[t.correlationID]
	if old == nil {
		return nil, nil
	}
	s.led.replays++
	if old.canon != t.canon {
		return nil, &refuse{http.StatusConflict, apiError(mmapi.CategoryBusinessRule, mmapi.CodeDuplicateRequest,
			"the X-CorrelationID was used for a different request")}
	}
	if old.rejectStatus != 0 {
		return old, &refuse{old.rejectStatus, old.err}
	}
	return old, nil
}

// register gives t its ids and remembers it.
func (s *Sim) register(t *txn) {
	t.serverID = s.uuid("server", t.correlationID)
	t.ref = fmt.Sprintf("MM%016X", splitmix(uint64(s.roll("ref", t.correlationID, 0)*(1<<53))))
	t.status = mmapi.StatusPending
	t.created = time.Now().UTC()
	t.modified = t.created
	s.led.byCorrelation[t.correlationID] = t
	s.led.byServer[t.serverID] = t
	s.led.byRef[t.ref] = t
}

// uuid is a UUID-shaped id fixed by the seed and the key.
func (s *Sim) uuid(kind, key string) string {
	a := splitmix(uint64(s.roll(kind, key, 0) * (1 << 53)))
	b := splitmix(a)
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(a>>32), uint16(a>>16), uint16(a)&0xfff, uint16(b>>48)&0xfff, b&0xffffffffffff)
}

func (s *Sim) settle(t *txn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleLocked(t)
}

// settleLocked pays a pending disbursement — once: a transaction leaves pending only here — or fails it,
// and sends its callback.
func (s *Sim) settleLocked(t *txn) {
	if t.status != mmapi.StatusPending {
		return
	}
	c := s.led.currency(t.req.Currency)
	c.PendingCount--
	if t.willFail != nil {
		s.fail(t, t.willFail.ErrorCategory, t.willFail.ErrorCode, t.willFail.ErrorDescription)
	} else {
		t.status = mmapi.StatusCompleted
		t.modified = time.Now().UTC()
		c.PaidCount++
		c.PaidMinor += t.minor
		s.led.paid[t.orgRef]++
		if s.led.paid[t.orgRef] > 1 {
			s.led.double++
		}
	}
	if t.callbackURL != "" {
		s.sendCallback(t)
	}
}

// fail marks t failed with the given error.
func (s *Sim) fail(t *txn, category, code, description string) {
	t.status = mmapi.StatusFailed
	t.modified = time.Now().UTC()
	t.err = apiError(category, code, description)
	t.err.ErrorDateTime = t.modified.Format(time.RFC3339Nano)
	t.err.ErrorParameters = []mmapi.Party{{Key: mmapi.ParamClientCorrelationID, Value: t.correlationID},
		{Key: mmapi.ParamOrganisationRef, Value: t.orgRef}, {Key: "serverCorrelationId", Value: t.serverID}}
	s.led.currency(t.req.Currency).FailedCount++
}

// acceptReversal records the reversal of a completed disbursement, which completes at once; or finds the
// one already under its correlation id. A refused reversal is not remembered: it may be asked again once
// the disbursement has settled.
func (s *Sim) acceptReversal(t *txn) (*txn, *refuse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, r := s.existing(t); old != nil || r != nil {
		return old, r
	}
	orig := s.led.byRef[t.req.OriginalTransactionReference]
	switch {
	case orig == nil || orig.kind != mmapi.TypeDisbursement:
		return nil, &refuse{http.StatusNotFound, apiError(mmapi.CategoryIdentification, mmapi.CodeNotFound, "no such transaction")}
	case t.orgRef != t.correlationID && t.orgRef != orig.orgRef:
		return nil, &refuse{http.StatusBadRequest, apiError(mmapi.CategoryValidation, mmapi.CodeFormatError,
			"the reversal names another instruction than the transaction it reverses")}
	case orig.status != mmapi.StatusCompleted || orig.reversedBy != "":
		return nil, &refuse{http.StatusBadRequest, apiError(mmapi.CategoryBusinessRule, mmapi.CodeNotReversible,
			"only a completed transaction not yet reversed can be reversed")}
	}
	s.register(t)
	t.orgRef, t.minor, t.req.Currency = orig.orgRef, orig.minor, orig.req.Currency
	t.status = mmapi.StatusCompleted
	orig.reversedBy = t.correlationID
	c := s.led.currency(orig.req.Currency)
	c.ReversedCount++
	c.ReversedMinor += orig.minor
	return t, nil
}

// answered records the HTTP status a POST under cid was answered with (0: none, the client gave up).
func (s *Sim) answered(cid string, status int) {
	s.mu.Lock()
	s.led.answers[cid] = append(s.led.answers[cid], status)
	s.mu.Unlock()
}

// Answers are the HTTP statuses every POST under the correlation id got, in order; 0 for one the client
// gave up on before it was answered. A test reads from them what the client could know.
func (s *Sim) Answers(correlationID string) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.led.answers[correlationID]...)
}

// PaidCount is how often the rail paid the instruction (by its requestingOrganisationTransactionReference).
func (s *Sim) PaidCount(instructionID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.led.paid[instructionID]
}
