// Package mmapi holds the wire shapes of the GSMA Mobile Money API (v1.2) that the Payments BB's mobile
// money rail speaks (package rail) and that its simulator answers (package railsim): one copy of the
// protocol, so the client and the simulator cannot drift apart on a field name.
//
// Only what a disbursement rail needs is here: the transaction object, the request state of an
// asynchronous request, the error object, the account name, the response link of a missed answer and the
// heartbeat. Readers are tolerant: unknown fields are ignored.
package mmapi

import (
	"strings"
	"unicode"
)

// Header names of the API.
const (
	// HeaderCorrelationID is the client's id of a request. The rail answers a repeated request under the
	// same id with the first answer, so a POST may be re-sent under it without being processed twice.
	HeaderCorrelationID = "X-CorrelationID"
	// HeaderCallbackURL asks the rail to send the final result of an asynchronous request to that URL.
	HeaderCallbackURL = "X-Callback-URL"
	// HeaderDate is the time the client sent the request (RFC 1123), which the API requires.
	HeaderDate = "X-Date"
)

// Paths of the API, relative to its base URL. {x} marks a path parameter.
const (
	PathDisbursement = "/transactions/type/disbursement"
	PathReversal     = "/transactions/type/reversal"
	PathRequestState = "/requeststates/" // + serverCorrelationId
	PathTransaction  = "/transactions/"  // + transactionReference
	PathResponse     = "/responses/"     // + clientCorrelationId (the X-CorrelationID of a request whose answer was missed)
	PathAccounts     = "/accounts/"      // + {identifierType}/{identifier}/accountname
	PathAccountName  = "/accountname"
	PathHeartbeat    = "/heartbeat"
)

// Transaction types the rail uses.
const (
	TypeDisbursement = "disbursement"
	TypeReversal     = "reversal"
)

// Request state and transaction statuses.
const (
	StatusPending   = "pending"
	StatusCompleted = "completed"
	StatusFailed    = "failed"
)

// Notification methods of a request state.
const (
	NotifyCallback = "callback"
	NotifyPolling  = "polling"
)

// Account identifier types (the {identifierType} of /accounts and the key of a party).
const (
	IdentifierMSISDN    = "msisdn"
	IdentifierAccountID = "accountid"
	IdentifierWalletID  = "walletid"
)

// Error categories and the codes the rail and its simulator use.
const (
	CategoryValidation     = "validation"
	CategoryIdentification = "identification"
	CategoryBusinessRule   = "businessRule"
	CategoryAuthorisation  = "authorisation"
	CategoryInternal       = "internal"
	CategoryUnavailable    = "serviceUnavailable"

	CodeIdentifierError   = "identifierError"   // the account does not exist at the rail
	CodeInsufficientFunds = "insufficientFunds" // the payer's float does not cover the amount
	CodeDuplicateRequest  = "duplicateRequest"  // the correlation id was used for a different request
	CodeFormatError       = "formatError"
	CodeGenericError      = "genericError"
	CodeNotReversible     = "transactionNotReversible"
	CodeNotFound          = "transactionNotFound"
)

// Error parameter keys by which an error callback names the request it answers.
const (
	ParamClientCorrelationID = "clientCorrelationId"
	ParamOrganisationRef     = "requestingOrganisationTransactionReference"
)

// Party is one identifier of a debit or credit party (and a metadata entry): {"key": "msisdn", "value": "+254..."}.
type Party struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Transaction is the transaction object: what a client POSTs, what GET /transactions/{ref} returns and what
// a successful callback carries.
type Transaction struct {
	Amount                                     string  `json:"amount,omitempty"`
	Currency                                   string  `json:"currency,omitempty"`
	Type                                       string  `json:"type,omitempty"`
	DescriptionText                            string  `json:"descriptionText,omitempty"`
	RequestDate                                string  `json:"requestDate,omitempty"`
	RequestingOrganisationTransactionReference string  `json:"requestingOrganisationTransactionReference,omitempty"`
	OriginalTransactionReference               string  `json:"originalTransactionReference,omitempty"`
	DebitParty                                 []Party `json:"debitParty,omitempty"`
	CreditParty                                []Party `json:"creditParty,omitempty"`
	Metadata                                   []Party `json:"metadata,omitempty"`
	TransactionStatus                          string  `json:"transactionStatus,omitempty"`
	TransactionReference                       string  `json:"transactionReference,omitempty"`
	CreationDate                               string  `json:"creationDate,omitempty"`
	ModificationDate                           string  `json:"modificationDate,omitempty"`
}

// RequestState is the answer to an asynchronous request (202) and to GET /requeststates/{id}.
type RequestState struct {
	ServerCorrelationID string `json:"serverCorrelationId"`
	ClientCorrelationID string `json:"clientCorrelationId,omitempty"`
	// ObjectReference is the transactionReference once the request has completed.
	ObjectReference    string `json:"objectReference,omitempty"`
	Status             string `json:"status"`
	NotificationMethod string `json:"notificationMethod,omitempty"`
	PollLimit          int    `json:"pollLimit,omitempty"`
	// ErrorReference says why a failed request failed.
	ErrorReference *Error `json:"errorReference,omitempty"`
}

// Error is the error object of a 4xx/5xx answer and of a failure callback.
type Error struct {
	ErrorCategory    string  `json:"errorCategory"`
	ErrorCode        string  `json:"errorCode"`
	ErrorDescription string  `json:"errorDescription,omitempty"`
	ErrorDateTime    string  `json:"errorDateTime,omitempty"`
	ErrorParameters  []Party `json:"errorParameters,omitempty"`
}

// Param returns the value of the error parameter key, or "".
func (e *Error) Param(key string) string {
	for _, p := range e.ErrorParameters {
		if p.Key == key {
			return p.Value
		}
	}
	return ""
}

// AccountName is the answer to GET /accounts/{type}/{id}/accountname.
type AccountName struct {
	Name struct {
		Title      string `json:"title,omitempty"`
		FirstName  string `json:"firstName,omitempty"`
		MiddleName string `json:"middleName,omitempty"`
		LastName   string `json:"lastName,omitempty"`
		FullName   string `json:"fullName,omitempty"`
	} `json:"name"`
	Lei string `json:"lei,omitempty"`
}

// HolderName is the full name, or the given names joined when the rail sends no full name.
func (a AccountName) HolderName() string {
	if n := strings.TrimSpace(a.Name.FullName); n != "" {
		return n
	}
	parts := []string{a.Name.FirstName, a.Name.MiddleName, a.Name.LastName}
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

// ResponseLink is the answer to GET /responses/{clientCorrelationId}: where the answer to a request whose
// response the client missed can be read (a request state or a transaction).
type ResponseLink struct {
	ClientCorrelationID string `json:"clientCorrelationId"`
	Link                string `json:"link"`
}

// Heartbeat is the answer to GET /heartbeat.
type Heartbeat struct {
	ServiceStatus string `json:"serviceStatus"` // available, unavailable, degraded
}

// MaxCorrelationIDLen bounds a correlation id (a UUID is 36 characters; instruction ids may be longer).
const MaxCorrelationIDLen = 128

// ValidCorrelationID reports whether id can travel as a correlation id, a path segment and a reference:
// 1 to 128 characters from letters, digits and - _ . :
func ValidCorrelationID(id string) bool {
	if id == "" || len(id) > MaxCorrelationIDLen {
		return false
	}
	for _, r := range id {
		if r > unicode.MaxASCII || !(isAlnum(r) || strings.ContainsRune("-_.:", r)) {
			return false
		}
	}
	return true
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
