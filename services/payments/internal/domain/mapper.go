package domain

import (
	"fmt"
	"time"
)

// Beneficiary maps a functional id to where it is paid (the identity-account mapper).
type Beneficiary struct {
	Tenant, Identity string
	Account          RailAccount
	Institution      string // who registered it; only they may change it
	Active           bool
	UpdatedAt        time.Time
}

// MapperFailure is one beneficiary a register or update request could not apply.
type MapperFailure struct {
	Identity, Modality, FSP, Reason string
}

// MapperRequest is the outcome of one register or update request, kept for its callback and poll twin.
type MapperRequest struct {
	Tenant, RequestID, Institution string
	Failed                         []MapperFailure
	CreatedAt                      time.Time
}

// MaxIdentityLength and MaxAddressLength are GovStack's bounds on a payee identity and a financial address.
const (
	MaxIdentityLength = 20
	MaxAddressLength  = 30
)

// CheckBeneficiary says what is wrong with a mapping to register, or "" when nothing is.
func CheckBeneficiary(b Beneficiary) string {
	switch {
	case b.Identity == "":
		return "payeeIdentity is required"
	case len(b.Identity) > MaxIdentityLength:
		return fmt.Sprintf("payeeIdentity is longer than %d characters", MaxIdentityLength)
	case !ValidModality(b.Account.Modality):
		return fmt.Sprintf("payment modality %q is not one of 00, 01, 02, 03, 04", clip(b.Account.Modality))
	case b.Account.FinancialAddress == "" && b.Account.Modality != ModalityVoucher:
		return "a financial address is required for this modality"
	case len(b.Account.FinancialAddress) > MaxAddressLength:
		return fmt.Sprintf("the financial address is longer than %d characters", MaxAddressLength)
	}
	return ""
}

// Validation is an account validation job (Bulk_ValidateAccount): addresses checked with their rails.
type Validation struct {
	ID, Tenant, Client, CorrelationID, CallbackURL string
	Done                                           bool
	Items                                          []ValidationItem
	CreatedAt                                      time.Time
}

// ValidationItem is one address of a validation job.
type ValidationItem struct {
	InstructionID string
	Account       RailAccount
	Status        string // PENDING, VALID, INVALID
	Reason        string
}
