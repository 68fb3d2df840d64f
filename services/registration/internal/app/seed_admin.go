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
	if password == "" {
		return errors.New("registration: the administrator password is empty")
	}
	hash, err := argon2id.CreateHash(password, argonParams)
	if err != nil {
		return err
	}
	return store.UpsertAdmin(ctx, domain.Account{ID: uuid.NewString(), Email: email, Name: "Administrator",
		Organisation: "GovStack", Roles: []string{usertoken.RoleAdmin, usertoken.RoleStaff}, PasswordHash: hash,
		Created: time.Now()})
}
