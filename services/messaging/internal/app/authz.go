package app

// Who may see and change the personal data the operator endpoints hold (issue 11: being an IM client is not
// being every citizen). The dead letters show recipients and their errors and the opt-out list shows
// addresses, so an apiKey alone is not enough for them:
//   - a staff or admin user token (usertoken.FromContext) sees and changes everything;
//   - an IM client without a user token does so only when the IM vouches that an operator granted it the
//     personal-data right on this service (imident.HasPersonalDataRight) — a back office;
//   - any other signed-in person manages only their own e-mail address on the opt-out list.
// The send API (sends, their status, callbacks) stays authorised by its apiKey: a key only sees the
// requests it sent itself. Templates hold no personal data and need the apiKey only.

import (
	"context"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// Reasons of the refusals below (ErrorInfo GOVSTACK_MESSAGING_<reason>).
const (
	ReasonSignInRequired   = "SIGN_IN_REQUIRED"
	ReasonPermissionDenied = "PERMISSION_DENIED"
)

// personalDataCaller is who a personal-data call acts for.
type personalDataCaller struct {
	everyone bool   // staff, admin, or an IM client with the personal-data right
	email    string // a signed-in person's own address (normalised; "" when the token has none)
}

// personalDataCallerOf classifies the call; ok is false for an IM client with neither a token nor the right.
func personalDataCallerOf(ctx context.Context) (personalDataCaller, bool) {
	c, signedIn := usertoken.FromContext(ctx)
	switch {
	case !signedIn:
		return personalDataCaller{everyone: true}, imident.HasPersonalDataRight(ctx)
	case c.HasRole(usertoken.RoleStaff, usertoken.RoleAdmin):
		return personalDataCaller{everyone: true}, true
	}
	own, _ := domain.NormalizeEmail(c.Email)
	return personalDataCaller{email: own}, true
}

// errSignInRequired tells an IM client without a token or the right what it needs to see what.
func errSignInRequired(what string) error {
	return apierr.Unauthenticated(ReasonSignInRequired, what+" are personal data: call with a staff or admin "+
		"access token (Authorization: Bearer, from POST /auth/token), or through an IM client that the IM operator "+
		"granted the personal-data right on the Messaging service")
}

// requireEveryone refuses a call that may not see everyone's data (what names it, e.g. "dead letters").
func requireEveryone(ctx context.Context, what string) error {
	c, ok := personalDataCallerOf(ctx)
	switch {
	case !ok:
		return errSignInRequired(what)
	case !c.everyone:
		return apierr.PermissionDenied(ReasonPermissionDenied, what+" are for staff and administrators: sign in with a staff or admin account")
	}
	return nil
}

// requireOwnOrEveryone refuses a change of the opt-out entry (c, addr) — addr normalised — by a caller who
// may neither change everyone's entries nor is the address's owner.
func requireOwnOrEveryone(caller personalDataCaller, c domain.Channel, addr string) error {
	// Mailbox names are compared without regard to case: Mari@… and mari@… are one person in practice.
	if caller.everyone || (c == domain.Email && caller.email != "" && strings.EqualFold(addr, caller.email)) {
		return nil
	}
	return apierr.PermissionDenied(ReasonPermissionDenied, "a signed-in person may put only their own e-mail address "+
		"on the opt-out list or take it off; other addresses and phone numbers need a staff or admin account")
}
