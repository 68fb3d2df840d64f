// Package app holds the procurement use cases: what buyers, suppliers and the evaluation panel do, what
// the process's service tasks do, and what procurement does when the BBs' events arrive. The interfaces it
// needs from its store and from the other BBs are declared in ports.go.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/redflags"
	"github.com/govstackbb/marketplace/services/procurement/internal/seal"
)

// BB is the service's name: database govstack_procurement, stream GOVSTACK_PROCUREMENT.
const BB = "procurement"

// Unit runs fn as one unit of work: Store.InTx, or the inbox's transaction in a consumer.
type Unit func(ctx context.Context, fn func(Tx) error) error

// Deps are what the use cases run on.
type Deps struct {
	Store      Store
	Keys       *seal.Keyring
	Registries Registries
	Scheduling Scheduling
	Workflow   Workflow
	Payments   Payments
	Documents  Documents
	Calendar   domain.Calendar
	// OCIDPrefix is the publisher's OCDS prefix (ocds-xxxxxx).
	OCIDPrefix string
	// Releases reads the published OCDS releases; Publisher is what their packages say.
	Releases  Publications
	Publisher Publisher
	// Reports computes the management figures.
	Reports Reports
	// RedFlagRules are the integrity indicators' thresholds (zero fields: internal/redflags' defaults).
	RedFlagRules redflags.Rules
	Now          func() time.Time
	Logger       *slog.Logger
}

// Service is the procurement use cases.
type Service struct {
	Deps
	records *recordCache // the red flags' compiled records
}

// New returns the use cases on deps.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Publisher.BaseURL == "" {
		d.Publisher.BaseURL = "http://127.0.0.1:8080"
	}
	if d.Publisher.Name == "" {
		d.Publisher.Name = "GovStack eMarketplace"
	}
	if d.OCIDPrefix == "" {
		d.OCIDPrefix = "ocds-gvstck"
	}
	return &Service{Deps: d, records: &recordCache{}}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// inTx is the Unit of the API's calls.
func (s *Service) inTx(ctx context.Context, fn func(Tx) error) error { return s.Store.InTx(ctx, fn) }
