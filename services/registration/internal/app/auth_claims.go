package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/usertoken"
)

// requireSignedIn returns the caller's claims (any role).
func requireSignedIn(ctx context.Context) (usertoken.Claims, error) {
	return usertoken.RequireRole(ctx)
}
