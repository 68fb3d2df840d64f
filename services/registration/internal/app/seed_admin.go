package app

import (
	"context"
	"errors"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// AdminSeeder is where SeedAdmin writes the administrator (Store is one).
type AdminSeeder interface {
	UpsertAdmin(ctx context.Context, a domain.Account) error
}

// SeedAdmin creates or resets the active administrator account (roles admin and staff) with password.
func SeedAdmin(ctx context.Context, store AdminSeeder, email, password string) error {
	email, err := domain.NormalizeEmail("GOVSTACK_REGISTRATION_ADMIN_EMAIL", email)
	if err != nil {
		return err
	}
	return SeedAccount(ctx, store, domain.Account{Email: email, Name: "Administrator", Organisation: "GovStack",
		Roles: []string{usertoken.RoleAdmin, usertoken.RoleStaff}}, password)
}

// SeedAccount creates or resets the active account a (its e-mail, name, organisation, roles and a supplier's
// company) with password: the administrator, and govstack dev's demo buyers and suppliers, who sign in at
// once instead of following an activation link.
func SeedAccount(ctx context.Context, store AdminSeeder, a domain.Account, password string) error {
	email, err := domain.NormalizeEmail("email", a.Email)
	if err != nil {
		return err
	}
	if password == "" {
		return errors.New("registration: the password of " + email + " is empty")
	}
	hash, err := argon2id.CreateHash(password, argonParams)
	if err != nil {
		return err
	}
	a.ID, a.Email, a.PasswordHash, a.Created = uuid.NewString(), email, hash, time.Now()
	return store.UpsertAdmin(ctx, a)
}
