package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// Accepted is the answer to every registration: it depends only on the address asked for, so that it
// does not tell whether an account existed.
type Accepted struct {
	Message       string
	LinkExpiresAt time.Time
}

// newAccount is one registration: the account to create and the application file that records it.
type newAccount struct {
	account    domain.Account // email, name, organisation, roles, kind columns, registered_by
	serviceKey string         // the e-service the application file belongs to; "" records none (staff rows)
	appName    string
	appData    map[string]any
	// onExisting, when set, decides what an existing account means (an error rolls everything back);
	// nil is the anti-enumeration answer: the owner is e-mailed, the caller sees the same Accepted.
	onExisting func(existing domain.Account) error
	// also runs in the transaction after the account is created (e.g. an audit record).
	also func(ctx context.Context, tx Tx, accountID string) error
}

// registered is what a registration did.
type registered struct {
	accepted  Accepted
	fileID    string
	accountID string // the new account, or the existing one
	created   bool
}

// register creates an account pending activation with its activation token, application file and
// account.registered event in one transaction. When an account already exists for the e-mail (or company,
// person, staff number) it does the same amount of work but writes account.registration_attempted with a
// fresh link for the existing owner, and answers the same.
func (s *Service) register(ctx context.Context, n newAccount) (registered, error) {
	now := s.now()
	id := uuid.NewString()
	out := registered{accepted: s.accepted(n.account.Email, now)}
	err := s.store.InTx(ctx, func(tx Tx) error {
		a := n.account
		token, link := s.newLink(id, domain.PurposeActivate, now)
		ev, err := a.Register(id, now, link)
		if err != nil {
			return err
		}
		created, existing, err := tx.AddAccount(ctx, a)
		if err != nil {
			return err
		}
		owner := a
		if !created {
			if n.onExisting != nil {
				if err := n.onExisting(existing); err != nil {
					return err
				}
			}
			owner = existing
		}
		out.accountID, out.created = owner.ID, created
		if out.fileID, err = s.recordAccountFile(ctx, tx, n, owner, created); err != nil {
			return err
		}
		if !created {
			return s.sendExistingLink(ctx, tx, owner, now)
		}
		if n.also != nil {
			if err := n.also(ctx, tx, a.ID); err != nil {
				return err
			}
		}
		if err := tx.AddLinkToken(ctx, token); err != nil {
			return err
		}
		tx.Publish(ev)
		return nil
	})
	return out, err
}

// recordAccountFile records the registration's application file for the applicant (a new account gets
// it linked, so that activating the account approves it).
func (s *Service) recordAccountFile(ctx context.Context, tx Tx, n newAccount, applicant domain.Account, created bool) (string, error) {
	if n.serviceKey == "" {
		return "", nil
	}
	fileID, _, err := s.recordApplication(ctx, tx, NewApplication{ServiceKey: n.serviceKey, ApplicantID: applicant.ID,
		ApplicationName: n.appName, Data: n.appData, Status: domain.StatusPending})
	if err != nil || !created {
		return fileID, err
	}
	applicant.FileID = fileID
	_, err = tx.SaveAccount(ctx, applicant)
	return fileID, err
}

// sendExistingLink e-mails the owner of an existing account a fresh link (activation while it is pending,
// password reset once it is active).
func (s *Service) sendExistingLink(ctx context.Context, tx Tx, owner domain.Account, now time.Time) error {
	token, link := s.newLink(owner.ID, owner.RepeatLinkPurpose(), now)
	ev, err := owner.RegisterAgain(now, link)
	if err != nil {
		return err
	}
	if err := tx.AddLinkToken(ctx, token); err != nil {
		return err
	}
	tx.Publish(ev)
	return nil
}

// newLink makes a single-use token for accountID and the link that carries it.
func (s *Service) newLink(accountID, purpose string, now time.Time) (domain.LinkToken, domain.Link) {
	ttl, page := s.opts.ActivationTTL, "/activate"
	if purpose == domain.PurposeReset {
		ttl, page = s.opts.ResetTTL, "/reset-password"
	}
	t := domain.LinkToken{Token: domain.NewSecret(), AccountID: accountID, Purpose: purpose, Created: now, ExpiresAt: now.Add(ttl)}
	return t, domain.Link{Purpose: purpose, URL: s.opts.PublicURL + page + "?token=" + t.Token, ExpiresAt: t.ExpiresAt}
}

// accepted is the answer to every registration: it depends only on the address asked for.
func (s *Service) accepted(email string, now time.Time) Accepted {
	return Accepted{
		Message: fmt.Sprintf("We've sent an e-mail to %s. Use the link to activate your account and set your password. "+
			"If it does not arrive within a few minutes, check your spam folder.", domain.MaskEmail(email)),
		LinkExpiresAt: now.Add(s.opts.ActivationTTL),
	}
}

// GetMe returns the signed-in account.
func (s *Service) GetMe(ctx context.Context) (domain.Account, error) {
	c, err := requireSignedIn(ctx)
	if err != nil {
		return domain.Account{}, err
	}
	return s.store.Account(ctx, c.Subject)
}
