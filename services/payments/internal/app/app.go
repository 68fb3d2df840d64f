// Package app holds the Payments use cases: the ledger's operator API, G2P bulk disbursement (hand-over,
// validation, authorisation with four eyes, payment through the rails, reconciliation, completion), the
// identity-account mapper, vouchers, bill payments and callbacks. The stores and rails it needs are declared
// here as ports; internal/store and the rail adapters implement them.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// BB is the building block's name.
const BB = "payments"

// Rail is a payment rail (mobile money, bank): the port package rail's rails are adapted to.
type Rail interface {
	Name() string
	// ValidateAccount checks that the rail can pay a; the error says why not.
	ValidateAccount(ctx context.Context, a domain.RailAccount) (holderName string, err error)
	// Submit gives the rail a payment, idempotently under in.ID. domain.ErrRailInDoubt (wrapped) means the
	// rail may or may not have it.
	Submit(ctx context.Context, in domain.RailInstruction) (domain.RailResult, error)
	Status(ctx context.Context, instructionID string) (domain.RailResult, error)
	Reverse(ctx context.Context, instructionID, reason string) (domain.RailResult, error)
	// ParseCallback reads the rail's asynchronous callback body.
	ParseCallback(body []byte) (instructionID string, r domain.RailResult, err error)
}

// Options tune the use cases.
type Options struct {
	// FourEyesAbove is the batch total (in the batch's currency, decimal) above which two approvers must
	// authorise; "" means one approver always suffices.
	FourEyesAbove string
	// ApproverRoles are the user-token roles that may authorise a batch.
	ApproverRoles []string
	// RailFor picks the rail of a payment modality ("00" bank, "01" mobile money, ...); the first rail when nil
	// or when it names none.
	RailFor func(modality string) string
	// RailRate is how many calls per second each rail is sent at most (validation and payment each); 0 is 200.
	RailRate float64
	// RailConcurrency is how many calls to one rail are in flight at once; 0 is 16.
	RailConcurrency int
	// MaxBatch bounds the instructions of one batch; 0 is 100,000.
	MaxBatch int
	// InDoubtRecheck is how long after a payment's last word the reconciliation asks its rail; 0 is 10 s.
	InDoubtRecheck time.Duration
	// CallbackAttempts bounds the delivery attempts of one callback; 0 is 12 (backoff 1 s doubling to 10 min).
	CallbackAttempts int
	// VoucherKey is the HMAC key voucher numbers are stored under.
	VoucherKey []byte
	// VoucherLifetime is how long a pre-activated voucher is valid; 0 is 90 days.
	VoucherLifetime time.Duration
	Logger          *slog.Logger
}

// Service runs the use cases.
type Service struct {
	store   Store
	rails   map[string]Rail
	first   string // the default rail
	opts    Options
	now     func() time.Time
	newID   func() string
	log     *slog.Logger
	limiter *railLimiters
	reports reports
	render  CallbackRenderer
	post    CallbackPoster
	vkey    voucherKey
}

// New returns a Service on store with rails; now is the clock (time.Now when nil).
func New(store Store, rails []Rail, now func() time.Time, o Options) *Service {
	if now == nil {
		now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.RailRate <= 0 {
		o.RailRate = 200
	}
	if o.RailConcurrency <= 0 {
		o.RailConcurrency = 16
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 100_000
	}
	if o.InDoubtRecheck <= 0 {
		o.InDoubtRecheck = 10 * time.Second
	}
	if o.CallbackAttempts <= 0 {
		o.CallbackAttempts = 12
	}
	if o.VoucherLifetime <= 0 {
		o.VoucherLifetime = 90 * 24 * time.Hour
	}
	s := &Service{store: store, rails: map[string]Rail{}, opts: o, now: func() time.Time { return now().UTC() },
		newID: func() string { return uuid.Must(uuid.NewV7()).String() }, log: o.Logger}
	for _, r := range rails {
		if s.first == "" {
			s.first = r.Name()
		}
		s.rails[r.Name()] = r
	}
	s.limiter = newRailLimiters(o.RailRate)
	return s
}

// railFor picks the rail of a modality.
func (s *Service) railFor(modality string) (Rail, error) {
	name := s.first
	if s.opts.RailFor != nil {
		if n := s.opts.RailFor(modality); n != "" {
			name = n
		}
	}
	r, ok := s.rails[name]
	if !ok {
		return nil, apierr.Unavailable("NO_RAIL", "no payment rail is configured for payment modality "+modality)
	}
	return r, nil
}

// Actor is who calls: the IM client (and its tenant) and, when a user token came with the call, the person.
type Actor struct {
	Client string // INSTANCE/CLASS/MEMBER/SUBSYSTEM
	Tenant string // the member, or member/Platform-TenantId
	User   *User
	// CorrelationID is the request's X-CorrelationID (or Idempotency-Key); CallbackURL its X-Callback-URL.
	CorrelationID, CallbackURL string
}

// User is a signed-in person (Registration's token).
type User struct {
	Subject, Name string
	Roles         []string
}

// who names the actor in the audit log.
func (a Actor) who() string {
	if a.User != nil {
		return a.User.Subject
	}
	return ""
}
