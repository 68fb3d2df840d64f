package api

import (
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
)

// Accounts serves the account flows.
type Accounts struct {
	registrationv1.UnimplementedAccountServiceServer
	app *app.Service
}

// NewAccounts returns the handlers on a.
func NewAccounts(a *app.Service) *Accounts { return &Accounts{app: a} }

// Auth serves sign-in, refresh, password reset and the JWKS.
type Auth struct {
	registrationv1.UnimplementedAuthServiceServer
	app *app.Service
}

// NewAuth returns the handlers on a.
func NewAuth(a *app.Service) *Auth { return &Auth{app: a} }
