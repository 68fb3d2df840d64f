package domain

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// VoucherStatus is where a voucher is in its life; GovStack's status API numbers them 1 to 6.
type VoucherStatus string

const (
	VoucherPreActivated VoucherStatus = "PRE_ACTIVATED" // 1: created, funds reserved, not yet handed out
	VoucherActive       VoucherStatus = "ACTIVE"        // 2: handed out; redeemable
	VoucherRedeemed     VoucherStatus = "REDEEMED"      // 3: used once; paid
	VoucherSuspended    VoucherStatus = "SUSPENDED"     // 4: held (or blocked after wrong numbers); not redeemable
	VoucherCancelled    VoucherStatus = "CANCELLED"     // 5: funds released; never usable again
	VoucherExpired      VoucherStatus = "EXPIRED"       // 6: past its expiry; funds released
)

// Code is GovStack's number for the status.
func (s VoucherStatus) Code() int32 {
	return map[VoucherStatus]int32{VoucherPreActivated: 1, VoucherActive: 2, VoucherRedeemed: 3, VoucherSuspended: 4,
		VoucherCancelled: 5, VoucherExpired: 6}[s]
}

// Voucher is a single-use payment instrument worth Amount, funded by a reservation on its program's budget.
type Voucher struct {
	Serial                   string // for people: printed, logged, used in every API but redemption
	Tenant, Client           string
	InstructionID, GroupCode string
	PayeeIdentity, ProgramID string
	Narration                string
	Currency                 string
	Amount                   int64
	Status                   VoucherStatus
	NumberHash               []byte // HMAC-SHA256 of the number under the BB's voucher key; the number is never stored
	TransferID               string // the budget reservation (pending transfer)
	FailedAttempts           int
	AgentID                  string
	ExpiresAt, CreatedAt     time.Time
	RedeemedAt               time.Time
	RedemptionID             string
}

// The voucher errors' reasons; the 1.0 API maps them to its own statuses (456–464).
const (
	ReasonVoucherNotFound   = "VOUCHER_NOT_FOUND"
	ReasonVoucherNumber     = "INVALID_VOUCHER_NUMBER"
	ReasonVoucherUsed       = "VOUCHER_ALREADY_USED"
	ReasonVoucherExpired    = "VOUCHER_EXPIRED"
	ReasonVoucherCancelled  = "VOUCHER_ALREADY_CANCELLED"
	ReasonVoucherState      = "VOUCHER_STATE"
	ReasonVoucherBlocked    = "VOUCHER_BLOCKED"
	ReasonBudgetExhausted   = "BUDGET_EXHAUSTED"
	ReasonInvalidVoucherGrp = "INVALID_VOUCHER_GROUP"
)

// MaxWrongNumbers is how many wrong numbers a voucher takes before it is blocked (SUSPENDED): a number cannot
// be guessed by trying.
const MaxWrongNumbers = 5

// voucherDigits is the length of a voucher number: 16 random digits, 53 bits.
const voucherDigits = 16

// NewVoucherNumber draws a voucher number from crypto/rand.
func NewVoucherNumber() (string, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Exp(big.NewInt(10), big.NewInt(voucherDigits), nil))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", voucherDigits, n), nil
}

// HashVoucherNumber is the number's HMAC under key: what is stored and looked up.
func HashVoucherNumber(key []byte, number string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(number))
	return m.Sum(nil)
}

// Activate hands the voucher out (or lifts a suspension).
func (v *Voucher) Activate() error {
	switch v.Status {
	case VoucherPreActivated, VoucherSuspended:
		v.Status, v.FailedAttempts = VoucherActive, 0
		return nil
	case VoucherActive:
		return nil
	}
	return v.refuse("activated")
}

// Suspend holds an active voucher.
func (v *Voucher) Suspend() error {
	switch v.Status {
	case VoucherActive, VoucherPreActivated:
		v.Status = VoucherSuspended
		return nil
	case VoucherSuspended:
		return nil
	}
	return v.refuse("suspended")
}

// Cancel ends a voucher that was not used; its reservation is released.
func (v *Voucher) Cancel() error {
	switch v.Status {
	case VoucherPreActivated, VoucherActive, VoucherSuspended:
		v.Status = VoucherCancelled
		return nil
	case VoucherCancelled:
		return apierr.FailedPrecondition(ReasonVoucherCancelled, "voucher "+v.Serial+" is already cancelled")
	}
	return v.refuse("cancelled")
}

// Redeem uses the voucher once, if number is its number, it is active and has not expired by now. A wrong
// number counts against the voucher; at MaxWrongNumbers it is blocked. The caller saves the voucher even
// when Redeem refuses (the count of wrong numbers, a block).
func (v *Voucher) Redeem(key []byte, number, agent string, now time.Time) error {
	if !hmac.Equal(HashVoucherNumber(key, number), v.NumberHash) {
		v.FailedAttempts++
		if v.FailedAttempts >= MaxWrongNumbers && v.Status == VoucherActive {
			v.Status = VoucherSuspended
		}
		return apierr.Invalid(ReasonVoucherNumber, "the voucher number does not match voucher "+v.Serial)
	}
	switch {
	case v.Status == VoucherRedeemed:
		return apierr.FailedPrecondition(ReasonVoucherUsed, "voucher "+v.Serial+" was already redeemed")
	case v.Status == VoucherExpired || v.Status == VoucherActive && !now.Before(v.ExpiresAt):
		return apierr.FailedPrecondition(ReasonVoucherExpired, "voucher "+v.Serial+" expired at "+v.ExpiresAt.UTC().Format(time.RFC3339))
	case v.Status == VoucherSuspended && v.FailedAttempts >= MaxWrongNumbers:
		return apierr.FailedPrecondition(ReasonVoucherBlocked, "voucher "+v.Serial+" is blocked after too many wrong numbers")
	case v.Status != VoucherActive:
		return v.refuse("redeemed")
	}
	v.Status, v.AgentID, v.RedeemedAt = VoucherRedeemed, agent, now
	return nil
}

// Expire ends a voucher whose time ran out.
func (v *Voucher) Expire() bool {
	switch v.Status {
	case VoucherPreActivated, VoucherActive, VoucherSuspended:
		v.Status = VoucherExpired
		return true
	}
	return false
}

func (v *Voucher) refuse(what string) error {
	reason := ReasonVoucherState
	switch v.Status {
	case VoucherRedeemed:
		reason = ReasonVoucherUsed
	case VoucherExpired:
		reason = ReasonVoucherExpired
	case VoucherCancelled:
		reason = ReasonVoucherCancelled
	}
	return apierr.FailedPrecondition(reason, fmt.Sprintf("voucher %s is %s and cannot be %s", v.Serial, v.Status, what))
}

// VoucherEvent is raised as a voucher moves; it never carries the number.
type VoucherEvent struct {
	Voucher Voucher
	At      time.Time
}

func (e VoucherEvent) EventType() string {
	kind := map[VoucherStatus]string{VoucherPreActivated: "preactivated", VoucherActive: "activated",
		VoucherSuspended: "suspended", VoucherRedeemed: "redeemed", VoucherCancelled: "cancelled", VoucherExpired: "expired"}
	return "govstack.payments.v1.voucher." + kind[e.Voucher.Status]
}

// BudgetCode is the ledger code of a program's budget account.
func BudgetCode(program string) string { return "budget:" + program }

// VouchersOutstandingCode is the ledger code of what vouchers owe their holders once redeemed.
const VouchersOutstandingCode = "vouchers:outstanding"

// MerchantCode is the ledger code of what an agent or merchant is owed for redeemed vouchers.
func MerchantCode(agent string) string { return "merchant:" + agent }
