package gatewayapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is an answer of the gateway other than 2xx, or a failure to reach it: the gateway's error body
// ({"code", "message", "details"}) decoded. Pages read Reason and Violations; Message is for the log only.
type Error struct {
	Status int
	// Code is the gRPC code name the gateway gives (INVALID_ARGUMENT, NOT_FOUND, …).
	Code string
	// Reason is the ErrorInfo reason without the GOVSTACK_<BB>_ prefix, e.g. DOMAIN_NOT_APPROVED.
	Reason string
	// Violations are the BadRequest field violations, by the API's field names (citizen.nationalId, email).
	Violations []Violation
	Message    string
	RetryAfter string
	// Route is the method and path called (never its query), for the log.
	Route string
	cause error
}

// Violation is one field the API refused and why (the API's words, in English: pages show their own), and
// the code of the rule it broke when the API gives one (PASSWORD_TOO_SHORT).
type Violation struct{ Field, Description, Reason string }

func (e *Error) Error() string {
	s := fmt.Sprintf("gateway %s: %d %s", e.Route, e.Status, e.Code)
	if e.Reason != "" {
		s += " " + e.Reason
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.cause }

// Unavailable reports whether the call failed because the gateway or a BB behind it cannot answer now (a
// page says "try again later" and keeps what the person typed).
func (e *Error) Unavailable() bool {
	return e.Status == http.StatusServiceUnavailable || e.Status == http.StatusBadGateway ||
		e.Status == http.StatusGatewayTimeout || e.Status == http.StatusTooManyRequests && e.Reason == ""
}

// As returns err as an *Error when it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// ReasonOf is err's reason ("" when err is not an API error or has none).
func ReasonOf(err error) string {
	if e, ok := As(err); ok {
		return e.Reason
	}
	return ""
}

// StatusOf is err's HTTP status (0 when err is not an API error).
func StatusOf(err error) int {
	if e, ok := As(err); ok {
		return e.Status
	}
	return 0
}

// wireError is the gateway's error body.
type wireError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Details []json.RawMessage `json:"details"`
}

type wireDetail struct {
	Type        string `json:"type"`
	Field       string `json:"field"`
	Description string `json:"description"`
	Reason      string `json:"reason"`
}

// DecodeError reads the gateway's error body. A body that is not the gateway's (a proxy's HTML page, say)
// still gives an *Error with the status, and no reason.
func DecodeError(status int, body []byte) *Error {
	e := &Error{Status: status, Code: http.StatusText(status)}
	var w wireError
	if json.Unmarshal(body, &w) != nil {
		return e
	}
	if w.Code != "" {
		e.Code = w.Code
	}
	e.Message = w.Message
	for _, raw := range w.Details {
		var d wireDetail
		if json.Unmarshal(raw, &d) != nil {
			continue
		}
		switch d.Type {
		case "fieldViolation":
			e.Violations = append(e.Violations, Violation{Field: d.Field, Description: d.Description, Reason: d.Reason})
		case "errorInfo":
			e.Reason = shortReason(d.Reason)
		}
	}
	return e
}

// shortReason drops the GOVSTACK_<BB>_ prefix: GOVSTACK_REGISTRATION_DOMAIN_NOT_APPROVED → DOMAIN_NOT_APPROVED.
// The BB is known from the call.
func shortReason(r string) string {
	rest, ok := strings.CutPrefix(r, "GOVSTACK_")
	if !ok {
		return r
	}
	if _, after, ok := strings.Cut(rest, "_"); ok {
		return after
	}
	return r
}
