package domain

import (
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// The account's life: registered (pending activation) → activated by the holder setting a password from
// the e-mailed link → active, where the password can be reset from a reset link. Registering again with an
// existing account's details changes nothing but e-mails its holder. Failed sign-ins lock the e-mail
// address, not the account (see SignInFailures).

// ReasonAccountState is the reason of a transition the account's state does not allow; the flows never
// ask for one, so it means a bug, not a caller's mistake.
const ReasonAccountState = "ACCOUNT_STATE"

func errAccountState(a Account, what string) error {
	return apierr.FailedPrecondition(ReasonAccountState, "account "+a.ID+" is "+stateName(a.Status)+": it cannot "+what)
}

func stateName(st string) string {
	if st == "" {
		return "not registered"
	}
	return st
}

// Register makes a a new account pending activation with id, created now. It raises AccountRegistered,
// which e-mails the activation link.
func (a *Account) Register(id string, now time.Time, activation Link) (AccountRegistered, error) {
	if a.Status != "" {
		return AccountRegistered{}, errAccountState(*a, "be registered again")
	}
	if activation.Purpose != PurposeActivate {
		return AccountRegistered{}, errAccountState(*a, "be registered with a "+activation.Purpose+" link")
	}
	a.ID, a.Status, a.Created = id, StatusPendingActivation, now
	return AccountRegistered{Account: *a, Link: activation, At: now}, nil
}

// RepeatLinkPurpose is the link the holder gets when someone registers with this account's details: a
// fresh activation link while it is pending, a password-reset link once it is active.
func (a Account) RepeatLinkPurpose() string {
	if a.Status == StatusActive {
		return PurposeReset
	}
	return PurposeActivate
}

// RegisterAgain is a registration with the details of this existing account: nothing changes, and the
// holder is e-mailed link (AccountRegistrationRepeated), so that whoever registered learns nothing.
func (a Account) RegisterAgain(now time.Time, link Link) (AccountRegistrationRepeated, error) {
	if a.Status == "" {
		return AccountRegistrationRepeated{}, errAccountState(a, "be registered again")
	}
	if link.Purpose != a.RepeatLinkPurpose() {
		return AccountRegistrationRepeated{}, errAccountState(a, "be sent a "+link.Purpose+" link")
	}
	return AccountRegistrationRepeated{Account: a, Link: link, At: now}, nil
}

// Activate sets the first password of a pending account and makes it active. It raises AccountActivated.
func (a *Account) Activate(passwordHash string, now time.Time) (AccountActivated, error) {
	if a.Status != StatusPendingActivation {
		return AccountActivated{}, errAccountState(*a, "be activated")
	}
	a.Status, a.PasswordHash = StatusActive, passwordHash
	if a.Activated == nil {
		a.Activated = &now
	}
	return AccountActivated{Account: *a, At: now}, nil
}

// ResetPassword replaces the password of an active account (it raises nothing: the holder asked for it).
func (a *Account) ResetPassword(passwordHash string) error {
	if a.Status != StatusActive {
		return errAccountState(*a, "have its password reset")
	}
	a.PasswordHash = passwordHash
	return nil
}

// SetPasswordFromLink is the use of an activation or reset link: a pending account is activated (whichever
// link it was), an active one gets the new password — also when a second activation link is used after
// the first.
func (a *Account) SetPasswordFromLink(passwordHash string, now time.Time) ([]Event, error) {
	if a.Status == StatusActive {
		return nil, a.ResetPassword(passwordHash)
	}
	ev, err := a.Activate(passwordHash, now)
	if err != nil {
		return nil, err
	}
	return []Event{ev}, nil
}

// MayResetPassword reports whether a reset link may be sent: only an active account has a password to reset.
func (a Account) MayResetPassword() bool { return a.Status == StatusActive }

// RequestPasswordReset e-mails the holder of an active account the reset link (PasswordResetRequested).
func (a Account) RequestPasswordReset(now time.Time, link Link) (PasswordResetRequested, error) {
	if !a.MayResetPassword() {
		return PasswordResetRequested{}, errAccountState(a, "have its password reset")
	}
	if link.Purpose != PurposeReset {
		return PasswordResetRequested{}, errAccountState(a, "be sent a "+link.Purpose+" link for a reset")
	}
	return PasswordResetRequested{Account: a, Link: link, At: now}, nil
}
