package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
)

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
	also func(ctx context.Context, tx pgx.Tx, accountID string) error
}

// registered is what a registration did.
type registered struct {
	accepted  *registrationv1.Accepted
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
	a := n.account
	a.ID, a.Status, a.Created = uuid.NewString(), domain.StatusPendingActivation, now
	out := registered{accepted: s.accepted(a.Email, now)}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		created, existing, err := store.InsertAccount(ctx, tx, a)
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
		if out.fileID, err = s.recordAccountFile(ctx, tx, n, owner.ID, created); err != nil {
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
		return s.sendLink(ctx, tx, a, domain.PurposeActivate, EventAccountRegistered, now)
	})
	return out, err
}

func (s *Service) recordAccountFile(ctx context.Context, tx pgx.Tx, n newAccount, applicantID string, created bool) (string, error) {
	if n.serviceKey == "" {
		return "", nil
	}
	fileID, _, err := s.recordApplication(ctx, tx, NewApplication{ServiceKey: n.serviceKey, ApplicantID: applicantID,
		ApplicationName: n.appName, Data: n.appData, Status: domain.StatusPending})
	if err != nil || !created {
		return fileID, err
	}
	return fileID, store.SetAccountFile(ctx, tx, applicantID, fileID)
}

// sendExistingLink e-mails the owner of an existing account: a fresh activation link while it is pending,
// a password-reset link once it is active.
func (s *Service) sendExistingLink(ctx context.Context, tx pgx.Tx, owner domain.Account, now time.Time) error {
	purpose := domain.PurposeActivate
	if owner.Status == domain.StatusActive {
		purpose = domain.PurposeReset
	}
	return s.sendLink(ctx, tx, owner, purpose, EventAccountRegistrationRepeat, now)
}

// sendLink stores a new single-use token for a and writes event typ carrying its link.
func (s *Service) sendLink(ctx context.Context, tx pgx.Tx, a domain.Account, purpose, typ string, now time.Time) error {
	token := domain.NewSecret()
	ttl, page := s.opts.ActivationTTL, "/activate"
	if purpose == domain.PurposeReset {
		ttl, page = s.opts.ResetTTL, "/reset-password"
	}
	expires := now.Add(ttl)
	if err := store.InsertLinkToken(ctx, tx, token, a.ID, purpose, now, expires); err != nil {
		return err
	}
	ev := accountEvent(a, now)
	ev.Link, ev.LinkExpiresAt = s.opts.PublicURL+page+"?token="+token, timestamppb.New(expires)
	return outbox.Add(ctx, tx, outbox.Event{Type: typ, Source: eventSource, Subject: a.ID, Payload: ev})
}

func accountEvent(a domain.Account, now time.Time) *registrationv1.AccountEvent {
	return &registrationv1.AccountEvent{AccountId: a.ID, Email: a.Email, Name: a.Name, Roles: a.Roles,
		Organisation: a.Organisation, Language: "en", OccurredAt: timestamppb.New(now)}
}

// accepted is the answer to every registration: it depends only on the address asked for.
func (s *Service) accepted(email string, now time.Time) *registrationv1.Accepted {
	return &registrationv1.Accepted{
		Message: fmt.Sprintf("We've sent an e-mail to %s. Use the link to activate your account and set your password. "+
			"If it does not arrive within a few minutes, check your spam folder.", domain.MaskEmail(email)),
		LinkExpiresAt: timestamppb.New(now.Add(s.opts.ActivationTTL)),
	}
}

// GetMe returns the signed-in account.
func (s *Service) GetMe(ctx context.Context) (domain.Account, error) {
	c, err := requireSignedIn(ctx)
	if err != nil {
		return domain.Account{}, err
	}
	return store.AccountByID(ctx, s.pool, c.Subject)
}
