// Package app is the Registration use cases: the account flows (buyer, supplier, citizen, staff, domain
// access), sign-in and tokens, and the GovStack e-services engine (applications, tasks, documents,
// statistics) they run on. Each state change commits together with its outbox event.
package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// BB is the building block's name in event types and the database name.
const BB = "registration"

// eventSource is the CloudEvents source of every event of this BB.
const eventSource = "govstack/" + BB

// Options are the use cases' dependencies and settings (see registration.Config for their meaning).
type Options struct {
	Pool       *pgxpool.Pool
	Registries registriesv1.RegistriesServiceClient
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
	pool       *pgxpool.Pool
	registries registriesv1.RegistriesServiceClient
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

// New returns the use cases on a migrated pool.
func New(o Options) (*Service, error) {
	if o.Pool == nil || o.Registries == nil {
		return nil, errors.New("registration: a pool and a Registries client are required")
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
	s := &Service{pool: o.Pool, registries: o.Registries, log: o.Logger, now: o.Now, opts: o, forms: domain.NewFormValidator()}
	s.flows = s.accountFlows()
	auth, err := newAuthState(s)
	if err != nil {
		return nil, err
	}
	s.auth = auth
	return s, nil
}

func (s *Service) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgstore.InTx(ctx, s.pool, fn)
}
