package rail

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// ErrIDReused: the rail holds a different instruction under this id. Not a failure of the instruction —
// the rail may well have paid the one it holds — so poll Status before deciding anything.
var ErrIDReused = errors.New("rail: the rail holds a different instruction under this id")

// accepted reads the rail's definite answer to a POST: a request state when it took the request, an error
// object when it refused it.
func (c *MobileMoney) accepted(ans answer) (Result, error) {
	switch {
	case ans.status >= 200 && ans.status < 300:
		var st mmapi.RequestState
		if ans.body == nil || json.Unmarshal(ans.body, &st) != nil {
			// The rail took it (2xx) and said nothing readable about it: it is pending until polled.
			return Result{State: StatePending}, nil
		}
		return stateResult(st)
	case ans.status == http.StatusConflict:
		return Result{}, ErrIDReused
	case ans.status == http.StatusUnauthorized || ans.status == http.StatusForbidden:
		return Result{}, fmt.Errorf("%w: the rail refused our credentials (HTTP %d)", ErrUnavailable, ans.status)
	case ans.status >= 400 && ans.status < 500:
		if rej := rejection(ans); rej != nil {
			return Result{State: StateFailed, Reason: rej.Reason()}, rej
		}
	}
	// A redirect or a 4xx without the API's error object is not the rail answering (a proxy, a wrong base
	// URL): whether the instruction got through is unknown.
	return Result{}, fmt.Errorf("%w: %w: HTTP %d without a request state or error object", ErrInDoubt, ErrProtocol, ans.status)
}

// stateResult reads a request state: pending, failed with its error, or completed with the transaction's
// reference. A failed state comes with its *RejectedError.
func stateResult(st mmapi.RequestState) (Result, error) {
	switch st.Status {
	case mmapi.StatusPending:
		return Result{State: StatePending}, nil
	case mmapi.StatusCompleted:
		if !mmapi.ValidCorrelationID(st.ObjectReference) {
			return Result{}, fmt.Errorf("%w: completed without a valid transaction reference", ErrProtocol)
		}
		return Result{State: StateSettled, RailRef: st.ObjectReference}, nil
	case mmapi.StatusFailed:
		rej := &RejectedError{Category: mmapi.CategoryInternal, Code: mmapi.CodeGenericError}
		if e := st.ErrorReference; e != nil {
			rej = &RejectedError{Category: e.ErrorCategory, Code: e.ErrorCode, Description: e.ErrorDescription}
		}
		return Result{State: StateFailed, Reason: rej.Reason()}, rej
	}
	return Result{}, fmt.Errorf("%w: request state %.20q", ErrProtocol, st.Status)
}

// rejection is the error object of a 4xx answer, or nil when there is none.
func rejection(ans answer) *RejectedError {
	var e mmapi.Error
	if ans.body == nil || json.Unmarshal(ans.body, &e) != nil || e.ErrorCategory == "" {
		return nil
	}
	return &RejectedError{Category: e.ErrorCategory, Code: e.ErrorCode, Description: e.ErrorDescription}
}

// decodeOK decodes a 200 answer of a GET into v.
func (c *MobileMoney) decodeOK(ans answer, v any) error {
	if ans.status != http.StatusOK {
		return fmt.Errorf("%w: HTTP %d", ErrProtocol, ans.status)
	}
	return decode(ans, v)
}

func decode(ans answer, v any) error {
	if ans.body == nil {
		return fmt.Errorf("%w: answer larger than the limit", ErrProtocol)
	}
	if err := json.Unmarshal(ans.body, v); err != nil {
		return fmt.Errorf("%w: not the API's JSON", ErrProtocol)
	}
	return nil
}

// parseLink reads the link of GET /responses: a request state or a transaction, by the id at its end. The
// link is never followed as given — only its id is used, on this rail's own base URL.
func parseLink(link string) (kind, id string, err error) {
	for _, kind := range []string{mmapi.PathRequestState, mmapi.PathTransaction} {
		if i := strings.LastIndex(link, kind); i >= 0 {
			id := link[i+len(kind):]
			if mmapi.ValidCorrelationID(id) {
				return kind, id, nil
			}
		}
	}
	return "", "", fmt.Errorf("%w: response link %.80q", ErrProtocol, link)
}
