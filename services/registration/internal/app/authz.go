package app

// Who may see a person's applications, tasks and documents (issue 11: being an IM client is not being
// every citizen). One place, so the e-services reads cannot disagree:
//
//   - a signed-in applicant (citizen, buyer, supplier) sees their own files, tasks and documents only;
//   - a signed-in operator (staff, admin) sees them all;
//   - a call without a user token comes from an IM client. It sees anyone's only when the IM vouches that an
//     operator granted it the personal-data right on this service (imident.HasPersonalDataRight) — a trusted
//     back office; any other IM client is told to sign the person in.
//
// Public data — the catalogue of e-services, their e-forms, statistics — needs neither. Submitting an
// application and uploading a document create something new and stay open to IM clients, which answer for
// the applicant they name.

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/usertoken"
)

// caller is who is behind a call: a signed-in account, or (without a token) the IM client.
type caller struct {
	claims   usertoken.Claims
	signedIn bool
	// backOffice is an IM client without a token that holds the personal-data right.
	backOffice bool
}

func callerOf(ctx context.Context) caller {
	c, ok := usertoken.FromContext(ctx)
	return caller{claims: c, signedIn: ok, backOffice: !ok && imident.HasPersonalDataRight(ctx)}
}

// applicantOnly reports whether the caller is an applicant (citizen, buyer, supplier) and no operator: such a
// caller sees only their own files, tasks and documents.
func (c caller) applicantOnly() bool {
	return c.signedIn && !c.claims.HasRole(usertoken.RoleStaff, usertoken.RoleAdmin)
}

// mayRead reports whether the caller may see an object that belongs to owner (after requirePersonalData).
func (c caller) mayRead(owner string) bool {
	return !c.applicantOnly() || owner == c.claims.Subject
}

// requirePersonalData refuses an IM client that is neither signed in for a person nor a back office.
func (c caller) requirePersonalData(what string) error {
	if c.signedIn || c.backOffice {
		return nil
	}
	return apierr.Unauthenticated("SIGN_IN_REQUIRED", what+" hold personal data: call with the person's access token "+
		"(Authorization: Bearer, from POST /auth/token) or an operator's; a back-office system needs the IM's "+
		"personal-data right on this service")
}
