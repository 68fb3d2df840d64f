package app

import (
	"context"
	"slices"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// Roles the procurement service reads from the Registration BB's token.
const (
	RoleBuyer    = "buyer"
	RoleSupplier = "supplier"
)

// Actor is who calls: the verified user token's claims (zero when the call carries none).
type Actor struct {
	ID, Email, Name, Org, CompanyID string
	Roles                           []string
}

// SignedIn reports whether the call carried a user token.
func (a Actor) SignedIn() bool { return a.ID != "" }

func (a Actor) has(role string) bool { return slices.Contains(a.Roles, role) }

// buyer checks a is a buyer with an organisation.
func (a Actor) buyer() error {
	if !a.SignedIn() {
		return apierr.Unauthenticated("SIGN_IN_REQUIRED", "sign in as a buyer: send Authorization: Bearer <access token>")
	}
	if !a.has(RoleBuyer) || a.Org == "" {
		return apierr.PermissionDenied("BUYER_REQUIRED", "this needs a buyer's account with an organisation")
	}
	return nil
}

// ofOrg checks a is a buyer of org.
func (a Actor) ofOrg(org string) error {
	if err := a.buyer(); err != nil {
		return err
	}
	if a.Org != org {
		return apierr.PermissionDenied("NOT_THE_BUYER", "this tender is another organisation's")
	}
	return nil
}

// supplier checks a is a supplier with a company.
func (a Actor) supplier() error {
	if !a.SignedIn() {
		return apierr.Unauthenticated("SIGN_IN_REQUIRED", "sign in as a supplier: send Authorization: Bearer <access token>")
	}
	if !a.has(RoleSupplier) || a.CompanyID == "" {
		return apierr.PermissionDenied("SUPPLIER_REQUIRED", "this needs a registered supplier's account (with a company)")
	}
	return nil
}

// buyersTender reads (lock: for update) a tender of the caller's organisation.
func (s *Service) buyersTender(ctx context.Context, tx Tx, a Actor, id string, lock bool) (domain.Tender, error) {
	t, err := tx.Tender(ctx, id, lock)
	if err != nil {
		return t, err
	}
	return t, a.ofOrg(t.BuyerOrg)
}
