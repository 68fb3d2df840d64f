package rail

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// MaxCallbackBytes bounds a callback body: the BB's endpoint should refuse a larger one before reading it.
const MaxCallbackBytes = 64 << 10

// ErrBadCallback is wrapped by every error of ParseCallback.
var ErrBadCallback = errors.New("rail: unreadable callback")

// callbackBody is either shape a callback comes in: the transaction object of a completed or failed
// transaction, or the error object of a failed request (the two share no field name).
type callbackBody struct {
	mmapi.Transaction
	mmapi.Error
}

// ParseCallback reads the mobile money rail's asynchronous callback: the instruction it is about and what
// happened to it. Callbacks may be lost, repeated or arrive out of order, so a caller treats one as a hint
// to apply idempotently (a final state never changes) and keeps polling Status for those that never come.
// A callback about anything but a disbursement (a reversal, say) is an error: it must not settle a payment.
func ParseCallback(body []byte) (instructionID string, r Result, err error) {
	if len(body) > MaxCallbackBytes {
		return "", Result{}, fmt.Errorf("%w: %d bytes (at most %d)", ErrBadCallback, len(body), MaxCallbackBytes)
	}
	var cb callbackBody
	if err := json.Unmarshal(body, &cb); err != nil {
		return "", Result{}, fmt.Errorf("%w: not a JSON object", ErrBadCallback)
	}
	switch {
	case cb.ErrorCategory != "" || cb.ErrorCode != "":
		return errorCallback(&cb.Error)
	case cb.TransactionStatus != "" || cb.TransactionReference != "":
		return transactionCallback(&cb.Transaction)
	}
	return "", Result{}, fmt.Errorf("%w: neither a transaction nor an error object", ErrBadCallback)
}

func errorCallback(e *mmapi.Error) (string, Result, error) {
	id := e.Param(mmapi.ParamClientCorrelationID)
	if id == "" {
		id = e.Param(mmapi.ParamOrganisationRef)
	}
	if !mmapi.ValidCorrelationID(id) {
		return "", Result{}, fmt.Errorf("%w: the error names no valid instruction id", ErrBadCallback)
	}
	at, ok := parseTime(e.ErrorDateTime)
	if !ok {
		return "", Result{}, fmt.Errorf("%w: time %.40q is not RFC 3339", ErrBadCallback, e.ErrorDateTime)
	}
	rej := RejectedError{Category: e.ErrorCategory, Code: e.ErrorCode, Description: e.ErrorDescription}
	return id, Result{State: StateFailed, Reason: rej.Reason(), At: at}, nil
}

func transactionCallback(t *mmapi.Transaction) (string, Result, error) {
	if t.Type != "" && t.Type != mmapi.TypeDisbursement {
		return "", Result{}, fmt.Errorf("%w: a %.20q transaction, not a disbursement", ErrBadCallback, t.Type)
	}
	id := t.RequestingOrganisationTransactionReference
	if !mmapi.ValidCorrelationID(id) {
		return "", Result{}, fmt.Errorf("%w: the transaction names no valid instruction id", ErrBadCallback)
	}
	state, ok := transactionStates[t.TransactionStatus]
	if !ok {
		return "", Result{}, fmt.Errorf("%w: transaction status %.20q", ErrBadCallback, t.TransactionStatus)
	}
	if ref := t.TransactionReference; ref != "" && !mmapi.ValidCorrelationID(ref) {
		return "", Result{}, fmt.Errorf("%w: transaction reference %.40q", ErrBadCallback, ref)
	}
	stamp := t.ModificationDate
	if stamp == "" {
		stamp = t.CreationDate
	}
	at, ok := parseTime(stamp)
	if !ok {
		return "", Result{}, fmt.Errorf("%w: time %.40q is not RFC 3339", ErrBadCallback, stamp)
	}
	r := Result{State: state, RailRef: t.TransactionReference, At: at}
	if state == StateFailed {
		r.Reason = "transaction failed"
	}
	return id, r, nil
}

// transactionStates maps a transaction object's transactionStatus onto a State.
var transactionStates = map[string]State{
	mmapi.StatusCompleted: StateSettled,
	mmapi.StatusPending:   StatePending,
	mmapi.StatusFailed:    StateFailed,
}

// parseTime reads an RFC 3339 time the rail sends; empty is the zero time (the rail did not say).
func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
