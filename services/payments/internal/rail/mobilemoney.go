package rail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// Payment modalities of the GovStack identity-account mapper (PaymentModality, two digits).
const (
	ModalityBankAccount   = "00"
	ModalityMobileMoney   = "01"
	ModalityVoucher       = "02"
	ModalityDigitalWallet = "03"
	ModalityProxy         = "04"
)

// identifierTypes maps the modalities a mobile money rail can pay onto its account identifier types.
// Vouchers and proxies are not accounts at the rail.
var identifierTypes = map[string]string{
	ModalityMobileMoney: mmapi.IdentifierMSISDN, "MSISDN": mmapi.IdentifierMSISDN, "MOBILE_MONEY": mmapi.IdentifierMSISDN,
	ModalityBankAccount: mmapi.IdentifierAccountID, "BANK_ACCOUNT": mmapi.IdentifierAccountID,
	ModalityDigitalWallet: mmapi.IdentifierWalletID, "WALLET": mmapi.IdentifierWalletID,
}

// MobileMoneyOptions configure a MobileMoney rail.
type MobileMoneyOptions struct {
	// Name identifies this rail (default "mobile-money").
	Name string
	// BaseURL is the API's root, e.g. https://mm.example/v1.2/mm or http://railsim:8095.
	BaseURL string
	// CallbackURL is where the rail sends results (the BB's callback endpoint); empty means polling only.
	CallbackURL string
	// Token is the bearer token the rail issued us. It is sent, never logged.
	Token string
	// PayerAccount is the disbursing organisation's account at the rail (the debit party).
	PayerAccount string
	// AttemptTimeout bounds one HTTP attempt (default 10s); the caller's context bounds them all.
	AttemptTimeout time.Duration
	// MaxAttempts is how often one call is tried (default 4).
	MaxAttempts int
	// BackoffBase and BackoffMax shape the waits between attempts: doubling from the base with jitter,
	// never more than the max, a Retry-After the rail sends honoured up to the max (default 100ms, 5s).
	BackoffBase, BackoffMax time.Duration
	// MaxResponseBytes bounds what is read of an answer (default 1 MiB).
	MaxResponseBytes int64
	// HTTPClient replaces the default client (time-outs, no redirects, a pool sized for concurrent use).
	HTTPClient *http.Client
	Logger     *slog.Logger
}

// MobileMoney is a rail speaking the GSMA Mobile Money API (v1.2): disbursements are asynchronous (202 and
// a request state, then a callback), every POST carries the instruction id as X-CorrelationID so a re-send
// is answered, not repeated, and the answer to a request whose response was lost is found through
// GET /responses/{X-CorrelationID}. The client keeps no state: any replica can poll what another sent.
//
// Where the API leaves a choice, this rail makes one (the simulator answers the same way):
//   - the instruction id travels as X-CorrelationID and as requestingOrganisationTransactionReference, so a
//     callback names its instruction in its body: the transaction object by that field, the error object by
//     an errorParameter (clientCorrelationId or requestingOrganisationTransactionReference);
//   - a reversal is asked for under ReversalID(instruction id) and is not called back: calling Reverse
//     again is its poll;
//   - any 5xx, 408, time-out or broken connection after a POST was sent is in doubt, a 429 or a failed
//     dial is not (nothing reached the rail); a 409 is ErrIDReused, never a failure.
type MobileMoney struct {
	o    MobileMoneyOptions
	base string
	http *http.Client
	log  *slog.Logger
}

var _ Rail = (*MobileMoney)(nil)

// NewMobileMoney checks the options and fills in the defaults.
func NewMobileMoney(o MobileMoneyOptions) (*MobileMoney, error) {
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("rail: base URL must be an absolute http(s) URL (got %.80q)", o.BaseURL)
	}
	if o.CallbackURL != "" {
		if cu, err := url.Parse(o.CallbackURL); err != nil || (cu.Scheme != "http" && cu.Scheme != "https") || cu.Host == "" {
			return nil, fmt.Errorf("rail: callback URL must be an absolute http(s) URL (got %.80q)", o.CallbackURL)
		}
	}
	o = withDefaults(o)
	return &MobileMoney{o: o, base: strings.TrimRight(o.BaseURL, "/"), http: o.HTTPClient, log: o.Logger}, nil
}

func withDefaults(o MobileMoneyOptions) MobileMoneyOptions {
	if o.Name == "" {
		o.Name = "mobile-money"
	}
	if o.PayerAccount == "" {
		o.PayerAccount = "govstack-payments"
	}
	if o.AttemptTimeout <= 0 {
		o.AttemptTimeout = 10 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 4
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 100 * time.Millisecond
	}
	if o.BackoffMax < o.BackoffBase {
		o.BackoffMax = max(5*time.Second, o.BackoffBase)
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = 1 << 20
	}
	if o.HTTPClient == nil {
		o.HTTPClient = defaultHTTPClient(o.AttemptTimeout)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Name identifies the rail.
func (c *MobileMoney) Name() string { return c.o.Name }

// ValidateAccount reads the account holder's name (GET /accounts/{type}/{id}/accountname).
func (c *MobileMoney) ValidateAccount(ctx context.Context, a Account) (string, error) {
	idType, err := identifierType(a)
	if err != nil {
		return "", err
	}
	ans, err := c.send(ctx, call{method: http.MethodGet,
		path:  mmapi.PathAccounts + idType + "/" + url.PathEscape(a.FinancialAddress) + mmapi.PathAccountName,
		route: mmapi.PathAccounts + idType + "/{identifier}" + mmapi.PathAccountName})
	if err != nil {
		return "", err
	}
	switch {
	case ans.status == http.StatusOK:
		var name mmapi.AccountName
		if err := decode(ans, &name); err != nil {
			return "", err
		}
		return cleanReason(name.HolderName()), nil
	case ans.status == http.StatusNotFound:
		return "", ErrUnknownAccount
	}
	if rej := rejection(ans); rej != nil && rej.unknownAccount() {
		return "", ErrUnknownAccount
	}
	return "", fmt.Errorf("%w: account name: HTTP %d", ErrProtocol, ans.status)
}

// Submit sends a disbursement (POST /transactions/type/disbursement) under X-CorrelationID = in.ID.
func (c *MobileMoney) Submit(ctx context.Context, in Instruction) (Result, error) {
	body, err := c.disbursement(in)
	if err != nil {
		return Result{}, err
	}
	ans, err := c.send(ctx, call{method: http.MethodPost, path: mmapi.PathDisbursement, route: mmapi.PathDisbursement,
		correlationID: in.ID, body: body, callback: c.o.CallbackURL != ""})
	if err != nil {
		c.log.WarnContext(ctx, "rail: submit not answered", "rail", c.o.Name, "instruction", in, "err", err)
		return Result{}, err
	}
	return c.accepted(ans)
}

// disbursement is the transaction object of an instruction.
func (c *MobileMoney) disbursement(in Instruction) ([]byte, error) {
	if !mmapi.ValidCorrelationID(in.ID) {
		return nil, fmt.Errorf("%w: id %.40q must be 1-128 letters, digits and - _ . : characters", ErrInvalidInstruction, in.ID)
	}
	idType, err := identifierType(in.Payee)
	if err != nil {
		return nil, err
	}
	amount, err := mmapi.FormatAmount(in.Amount, in.Currency)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInstruction, err)
	}
	t := mmapi.Transaction{
		Amount: amount, Currency: in.Currency, Type: mmapi.TypeDisbursement,
		DescriptionText: in.Reference,
		RequestingOrganisationTransactionReference: in.ID,
		DebitParty:  []mmapi.Party{{Key: mmapi.IdentifierAccountID, Value: c.o.PayerAccount}},
		CreditParty: []mmapi.Party{{Key: idType, Value: in.Payee.FinancialAddress}},
	}
	if in.Payee.FSP != "" {
		t.Metadata = []mmapi.Party{{Key: "payeeFsp", Value: in.Payee.FSP}}
	}
	return json.Marshal(t)
}

// identifierType is the rail's identifier type for the account's modality, after checking the address.
func identifierType(a Account) (string, error) {
	idType, ok := identifierTypes[strings.ToUpper(strings.TrimSpace(a.Modality))]
	if !ok {
		return "", fmt.Errorf("%w: modality %.20q is not paid on a mobile money rail", ErrInvalidInstruction, a.Modality)
	}
	addr := a.FinancialAddress
	if addr == "" || len(addr) > 64 || strings.ContainsFunc(addr, func(r rune) bool { return r <= ' ' || r > '~' || r == '/' }) {
		return "", fmt.Errorf("%w: financial address must be 1-64 printable characters", ErrInvalidInstruction)
	}
	return idType, nil
}

// Status reads the rail's answer to the instruction: GET /responses/{id} for where it is, then its request
// state, then (once completed) the transaction.
func (c *MobileMoney) Status(ctx context.Context, instructionID string) (Result, error) {
	if !mmapi.ValidCorrelationID(instructionID) {
		return Result{}, fmt.Errorf("%w: id %.40q", ErrInvalidInstruction, instructionID)
	}
	ans, err := c.get(ctx, mmapi.PathResponse, instructionID)
	if err != nil {
		return Result{}, err
	}
	if ans.status == http.StatusNotFound {
		return Result{}, ErrUnknownInstruction
	}
	var link mmapi.ResponseLink
	if err := c.decodeOK(ans, &link); err != nil {
		return Result{}, err
	}
	kind, ref, err := parseLink(link.Link)
	if err != nil {
		return Result{}, err
	}
	if kind == mmapi.PathTransaction {
		return c.transaction(ctx, instructionID, ref)
	}
	return c.requestState(ctx, instructionID, ref)
}

// requestState reads GET /requeststates/{id} and, once it completed, the transaction it made.
func (c *MobileMoney) requestState(ctx context.Context, instructionID, serverID string) (Result, error) {
	ans, err := c.get(ctx, mmapi.PathRequestState, serverID)
	if err != nil {
		return Result{}, err
	}
	var st mmapi.RequestState
	if err := c.decodeOK(ans, &st); err != nil {
		return Result{}, err
	}
	r, err := stateResult(st)
	if err != nil || r.State != StateSettled {
		var rej *RejectedError
		if errors.As(err, &rej) { // Status reports a failure as a result, not as an error
			return r, nil
		}
		return r, err
	}
	return c.transaction(ctx, instructionID, r.RailRef)
}

// transaction reads GET /transactions/{ref} and checks it is the instruction's.
func (c *MobileMoney) transaction(ctx context.Context, instructionID, ref string) (Result, error) {
	ans, err := c.get(ctx, mmapi.PathTransaction, ref)
	if err != nil {
		return Result{}, err
	}
	var t mmapi.Transaction
	if err := c.decodeOK(ans, &t); err != nil {
		return Result{}, err
	}
	if got := t.RequestingOrganisationTransactionReference; got != "" && got != instructionID {
		return Result{}, fmt.Errorf("%w: transaction %s belongs to another instruction", ErrProtocol, ref)
	}
	state, ok := transactionStates[t.TransactionStatus]
	if !ok {
		return Result{}, fmt.Errorf("%w: transaction status %.20q", ErrProtocol, t.TransactionStatus)
	}
	at, _ := parseTime(t.ModificationDate)
	r := Result{State: state, RailRef: ref, At: at}
	if state == StateFailed {
		r.Reason = "transaction failed"
	}
	return r, nil
}

// Reverse returns a settled instruction's money (POST /transactions/type/reversal) under an X-CorrelationID
// derived from the instruction id, so however often it is called the rail reverses once.
func (c *MobileMoney) Reverse(ctx context.Context, instructionID, reason string) (Result, error) {
	st, err := c.Status(ctx, instructionID)
	if err != nil {
		return Result{}, err
	}
	if st.State != StateSettled {
		return Result{}, fmt.Errorf("%w (it is %s)", ErrNotSettled, st.State)
	}
	body, err := json.Marshal(mmapi.Transaction{
		Type:                         mmapi.TypeReversal,
		OriginalTransactionReference: st.RailRef,
		RequestingOrganisationTransactionReference: instructionID,
		DescriptionText: cleanReason(reason),
	})
	if err != nil {
		return Result{}, err
	}
	ans, err := c.send(ctx, call{method: http.MethodPost, path: mmapi.PathReversal, route: mmapi.PathReversal,
		correlationID: ReversalID(instructionID), body: body})
	if err != nil {
		return Result{}, err
	}
	return c.accepted(ans)
}

// reversalSpace is the UUID namespace of reversal correlation ids.
var reversalSpace = uuid.MustParse("6f1c5b0e-3d7a-5e2b-9c41-0a8d2e7f4b13")

// ReversalID is the X-CorrelationID of an instruction's reversal: a UUID (v5) derived from the instruction
// id, so every replica and every retry asks for the same reversal.
func ReversalID(instructionID string) string {
	return uuid.NewSHA1(reversalSpace, []byte("reversal:"+instructionID)).String()
}
