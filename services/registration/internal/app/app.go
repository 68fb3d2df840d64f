// Package app is the Registration use cases: the account flows (buyer, supplier, citizen, staff, domain
// access), sign-in and tokens, and the GovStack e-services engine (applications, tasks, documents,
// statistics) they run on. The ports it needs — the Postgres store and Digital Registries — are declared in
// ports.go; every state change goes through a domain transition and commits with the events it raises.
package app

import (
	"errors"
	"log/slog"
	"time"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// BB is the building block's name in event types and the database name.
const BB = "registration"

// Options are the use cases' dependencies and settings (see registration.Config for their meaning).
type Options struct {
	Store      Store
	Registries Registries
	Logger     *slog.Logger
	Now        func() time.Time

	PublicURL        string
	TokenIssuer      string
	AccessTokenTTL   time.Duration
	RefreshTokenTTL  time.Duration
	KeyRotation      time.Duration
	ActivationTTL    time.Duration
	ResetTTL         time.Duration
	MaxDocumentBytes int64
	// Webmail are the personal webmail domains that cannot be put forward for domain access; the shipped
	// list when empty.
	Webmail domain.Webmail
}

// Service runs the use cases.
type Service struct {
	store      Store
	registries Registries
	log        *slog.Logger
	now        func() time.Time
	opts       Options
	// flows are the account services' hooks into the e-services engine, by service key.
	flows map[string]Flow
	// forms caches the compiled JSON Schema of each e-form (a version's schema never changes).
	forms *domain.FormValidator
	// auth is the sign-in state: signing keys, token verifier, lockout policy.
	auth *authState
}

// New returns the use cases on a store of a migrated database.
func New(o Options) (*Service, error) {
	if o.Store == nil || o.Registries == nil {
		return nil, errors.New("registration: a store and a Registries client are required")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Webmail.Len() == 0 {
		o.Webmail = domain.ShippedWebmail()
	}
	s := &Service{store: o.Store, registries: o.Registries, log: o.Logger, now: o.Now, opts: o, forms: domain.NewFormValidator()}
	s.flows = s.accountFlows()
	auth, err := newAuthState(s)
	if err != nil {
		return nil, err
	}
	s.auth = auth
	return s, nil
}
