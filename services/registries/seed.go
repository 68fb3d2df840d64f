package registries

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/registries/internal/app"
	"github.com/govstackbb/marketplace/services/registries/internal/domain"
	"github.com/govstackbb/marketplace/services/registries/internal/store"
)

// seedAuthor is the modified-by of seeded registries, so they can be told from ones created through the API.
const seedAuthor = "seed"

// seedRegistry is one demo registry: its definition and its records.
type seedRegistry struct {
	draft   domain.RegistryDraft
	records []map[string]any
}

// Seed stores the demo registries other BBs look up (public-sector-domains, companies, cities, hospitals,
// departments, doctors, hospital-staff, citizens) unless they exist, and upgrades the definition of a registry
// an earlier seed created and nobody changed since (see store.SeedRegistry). It is idempotent: a second run
// changes nothing. Every record is checked against its registry's schema first, so broken demo data fails
// here, not in a demo.
func Seed(ctx context.Context, pool *pgxpool.Pool) error {
	st := store.New(pool)
	now := time.Now()
	for _, s := range seedData() {
		r, recs, err := prepareSeed(s, now)
		if err != nil {
			return fmt.Errorf("registries: seed %s: %w", s.draft.Name, err)
		}
		if err := st.SeedRegistry(ctx, r, recs); err != nil {
			return fmt.Errorf("registries: seed %s: %w", s.draft.Name, err)
		}
	}
	return nil
}

func prepareSeed(s seedRegistry, now time.Time) (domain.Registry, []domain.Record, error) {
	r, err := domain.NewRegistry(s.draft, seedAuthor, now)
	if err != nil {
		return domain.Registry{}, nil, err
	}
	sch, err := app.CompileSchema(r.Schema)
	if err != nil {
		return domain.Registry{}, nil, err
	}
	recs := make([]domain.Record, 0, len(s.records))
	for _, content := range s.records {
		rec, err := domain.NewRecord(r, content, uuid.NewString)
		if err != nil {
			return domain.Registry{}, nil, err
		}
		if err := app.Validate(sch, rec.Content); err != nil {
			return domain.Registry{}, nil, fmt.Errorf("record %s: %w", rec.ID, err)
		}
		recs = append(recs, rec)
	}
	return r, recs, nil
}
