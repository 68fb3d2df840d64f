// Package usertoken carries the signed-in user behind a call: the access tokens the Registration BB issues
// (JWT, EdDSA over Ed25519, keys published as a JWKS) are verified here, by the gateway and by every BB, and
// the verified claims travel in the context.
//
// Token format (what Registration signs and Verifier accepts): JOSE header alg "EdDSA", kid = the key's id in
// the JWKS; claims iss, sub (the account id), aud ["govstack"], iat, nbf, exp, jti, and the private claims
// email, name and roles (a list of "buyer", "supplier", "citizen", "staff", "admin"), and where the account
// has them national_id (a citizen), hospital_id (hospital staff), org (a buyer's organisation) and
// company_id (a supplier's company).
package usertoken

import (
	"context"
	"slices"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Audience is the aud every access token carries.
const Audience = "govstack"

// The roles an account can have.
const (
	RoleBuyer    = "buyer"
	RoleSupplier = "supplier"
	RoleCitizen  = "citizen"
	RoleStaff    = "staff"
	RoleAdmin    = "admin"
)

// Claims are a verified access token's contents.
type Claims struct {
	Subject string   // the account id
	Email   string   // the account's sign-in e-mail
	Name    string   // display name
	Roles   []string // RoleBuyer, RoleSupplier, ...
	// NationalID is the citizen's national id (claim national_id), present on citizens' tokens: a BB that
	// records a person by it (Scheduling's subscriber, for check-in) takes it from the token.
	NationalID string
	// HospitalID is the hospital (Scheduling entity, Digital Registries hospitals id) a staff member works
	// at (claim hospital_id), present on hospital staff's tokens: Scheduling lets only that hospital's staff
	// attach documents to its appointments.
	HospitalID string
	// Organisation is a buyer's organisation (claim org): the procurement service records a tender's buyer by it.
	Organisation string
	// CompanyID is a supplier's company id in the companies registry (claim company_id): the procurement
	// service takes the bidder from it, never from a request body.
	CompanyID string
	Issuer    string    // who signed it
	ID        string    // jti
	IssuedAt  time.Time // iat
	Expiry    time.Time // exp
}

// HasRole reports whether the claims carry any of roles.
func (c Claims) HasRole(roles ...string) bool {
	for _, r := range roles {
		if slices.Contains(c.Roles, r) {
			return true
		}
	}
	return false
}

type ctxKey struct{}

// NewContext returns ctx carrying c.
func NewContext(ctx context.Context, c Claims) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// FromContext returns the verified claims of the call, if it carried a valid access token.
func FromContext(ctx context.Context) (Claims, bool) {
	c, ok := ctx.Value(ctxKey{}).(Claims)
	return c, ok
}

// RequireRole returns the caller's claims when they carry one of roles; otherwise a gRPC Unauthenticated
// (no token) or PermissionDenied (a token without the role) error that says what is needed.
func RequireRole(ctx context.Context, roles ...string) (Claims, error) {
	c, ok := FromContext(ctx)
	if !ok {
		return Claims{}, status.Error(codes.Unauthenticated,
			"sign in first: send Authorization: Bearer <access token> (POST /auth/token)")
	}
	if len(roles) > 0 && !c.HasRole(roles...) {
		return Claims{}, status.Errorf(codes.PermissionDenied, "this needs one of the roles %v; the signed-in account has %v", roles, c.Roles)
	}
	return c, nil
}
