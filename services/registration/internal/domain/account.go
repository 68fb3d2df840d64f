package domain

import (
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Account states.
const (
	StatusPendingActivation = "pending_activation"
	StatusActive            = "active"
)

// Single-use token purposes.
const (
	PurposeActivate = "activate"
	PurposeReset    = "reset"
)

// Reasons of the account flows' errors; on the wire they read GOVSTACK_REGISTRATION_<REASON>.
const (
	ReasonInvalidEmail          = "INVALID_EMAIL"
	ReasonInvalidField          = "INVALID_FIELD"
	ReasonDomainNotApproved     = "DOMAIN_NOT_APPROVED"
	ReasonDomainAlreadyApproved = "DOMAIN_ALREADY_APPROVED"
	ReasonWebmailDomain         = "WEBMAIL_DOMAIN"
	ReasonRegistryUnavailable   = "REGISTRY_UNAVAILABLE"
	ReasonInvalidCompanyID      = "INVALID_COMPANY_ID"
	ReasonCompanyNotFound       = "COMPANY_NOT_FOUND"
	ReasonCompanyDissolved      = "COMPANY_DISSOLVED"
	ReasonSupplierExists        = "SUPPLIER_EXISTS"
	ReasonDraftNotFound         = "DRAFT_NOT_FOUND"
	ReasonIncompleteDraft       = "INCOMPLETE_DRAFT"
	ReasonCitizenNotVerified    = "CITIZEN_NOT_VERIFIED"
	ReasonHospitalNotFound      = "HOSPITAL_NOT_FOUND"
	ReasonInvalidCSV            = "INVALID_CSV"
	ReasonTooManyRows           = "TOO_MANY_ROWS"
	ReasonDuplicateRow          = "DUPLICATE_ROW"
	ReasonAlreadyRegistered     = "ALREADY_REGISTERED"
	ReasonWeakPassword          = "WEAK_PASSWORD"
	ReasonInvalidToken          = "INVALID_TOKEN"
	ReasonInvalidCredentials    = "INVALID_CREDENTIALS"
	ReasonAccountLocked         = "ACCOUNT_LOCKED"
	ReasonInvalidRefreshToken   = "INVALID_REFRESH_TOKEN"
	ReasonAccountNotFound       = "ACCOUNT_NOT_FOUND"
)

// RegistryRetryAfter is the retry advice given when Digital Registries cannot be reached.
const RegistryRetryAfter = 30 * time.Second

// Account is a registered user.
type Account struct {
	ID           string
	Email        string
	Name         string
	Organisation string
	Roles        []string
	Status       string
	PasswordHash string
	Created      time.Time
	Activated    *time.Time
	CompanyID    string
	NationalID   string
	HospitalID   string
	StaffID      string
	RegisteredBy string
	FileID       string
}

// Active reports whether the account may sign in.
func (a Account) Active() bool { return a.Status == StatusActive && a.PasswordHash != "" }

// ErrInvalidToken is the answer for an unknown, used or expired activation or reset link.
func ErrInvalidToken() error {
	return apierr.Invalid(ReasonInvalidToken,
		"this link is unknown, already used or expired: ask for a new one (register again or POST /auth/password-reset)",
		apierr.FieldViolation{Field: "token", Description: "unknown, used or expired"})
}

// ErrRegistryUnavailable is the 503 given when Digital Registries (or the IM in front of it) fails; nothing
// was written.
func ErrRegistryUnavailable(cause error) error {
	return &apierr.Error{Kind: apierr.KindUnavailable, Reason: ReasonRegistryUnavailable,
		Message:    "the registry check is unavailable right now; nothing was saved, try again in 30 seconds",
		RetryAfter: RegistryRetryAfter, Err: cause}
}

// FieldError is a 400 naming one field.
func FieldError(reason, field, description string) error {
	return apierr.Invalid(reason, field+": "+description, apierr.FieldViolation{Field: field, Description: description})
}
