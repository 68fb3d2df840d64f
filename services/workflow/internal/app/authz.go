package app

// Who may do what. A call carrying a user token (the Registration BB's, verified by the interceptor) acts as
// that person: changing processes and operator actions need the admin role, and user tasks go by their
// assignee and candidates (domain.UserTask). A call without one comes from an IM client: the IM has already
// checked its right to the endpoint (deny by default), so it may do what the endpoint does — except user
// tasks, which are done by people.

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// requireAdmin refuses a signed-in person without the admin role.
func requireAdmin(ctx context.Context, what string) error {
	if a := actorOf(ctx); a.person != nil && !a.person.IsAdmin() {
		return apierr.PermissionDenied(domain.ReasonAdminOnly, what+" needs the admin role")
	}
	return nil
}

// requirePerson returns the signed-in person, or refuses a call without a user token.
func requirePerson(ctx context.Context) (domain.Person, error) {
	a := actorOf(ctx)
	if a.person == nil {
		return domain.Person{}, apierr.Unauthenticated(domain.ReasonSignInRequired,
			"user tasks are done by people: call with the person's access token (Authorization: Bearer, from POST /auth/token)")
	}
	return *a.person, nil
}
