package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

func errNotVerified() error {
	// One violation, always on the national id: which detail did not match is not said (nor whether the id
	// exists), but a form still has a field to show the refusal next to.
	return apierr.Invalid(domain.ReasonCitizenNotVerified,
		"we could not match these details with the population register: check the national id, names and birth date",
		apierr.FieldViolation{Field: "citizen.nationalId", Description: "these details together do not match the population register"})
}

// RegisterCitizen registers a citizen found in the population register with the same name and birth date.
// With a staff or admin token it is registration on the citizen's behalf (registered_by is the caller).
func (s *Service) RegisterCitizen(ctx context.Context, c domain.Citizen) (Accepted, error) {
	reg, err := s.registerCitizen(ctx, c)
	return reg.accepted, err
}

func (s *Service) registerCitizen(ctx context.Context, c domain.Citizen) (registered, error) {
	c, err := domain.ValidateCitizen(c)
	if err != nil {
		return registered{}, err
	}
	rec, found, err := s.registries.ReadRecord(ctx, regCitizens, map[string]any{"personalCode": c.NationalID})
	if err != nil {
		return registered{}, err
	}
	if !found || !domain.SameName(str(rec, "firstName"), c.FirstName) || !domain.SameName(str(rec, "lastName"), c.LastName) ||
		str(rec, "birthDate") != c.BirthDate {
		return registered{}, errNotVerified()
	}
	// Only a person without an account gets their register record's contact details changed: otherwise
	// anyone knowing a person's name, birth date and id could redirect their e-mail.
	exists, err := s.store.AccountExists(ctx, AccountKeys{Email: c.Email, NationalID: c.NationalID})
	if err != nil {
		return registered{}, err
	}
	if !exists {
		if err := s.writeContact(ctx, c); err != nil {
			return registered{}, err
		}
	}
	a := domain.Account{Email: c.Email, Name: c.FirstName + " " + c.LastName, Roles: []string{usertoken.RoleCitizen},
		NationalID: c.NationalID}
	if claims, ok := usertoken.FromContext(ctx); ok && claims.HasRole(usertoken.RoleStaff, usertoken.RoleAdmin) {
		a.RegisteredBy = claims.Subject
	}
	return s.register(ctx, newAccount{account: a, serviceKey: domain.ServiceCitizenAccount, appName: "Citizen account",
		appData: map[string]any{"nationalId": c.NationalID, "firstName": c.FirstName, "lastName": c.LastName,
			"birthDate": c.BirthDate, "email": c.Email, "phone": c.Phone, "address": c.Address}})
}

// writeContact writes the contact details to the citizens registry; a registry whose schema lacks phone
// or address gets the e-mail only.
func (s *Service) writeContact(ctx context.Context, c domain.Citizen) error {
	q := map[string]any{"personalCode": c.NationalID}
	fields := map[string]any{"email": c.Email}
	if c.Phone != "" {
		fields["phone"] = c.Phone
	}
	if c.Address != "" {
		fields["address"] = c.Address
	}
	err := s.registries.UpdateRecord(ctx, regCitizens, q, fields)
	if apierr.KindOf(err) == apierr.KindInvalidArgument && len(fields) > 1 {
		err = s.registries.UpdateRecord(ctx, regCitizens, q, map[string]any{"email": c.Email})
	}
	if err != nil {
		// Even a refusal of the e-mail alone is no caller's mistake here: the citizen gave a valid one.
		return domain.ErrRegistryUnavailable(err)
	}
	return nil
}
