package scheduling

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/events"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

// Seed stores the demo hospitals and doctors, matching the Digital Registries demo data (same ids), with
// working hours Mon–Fri 09:00–17:00 local and 20-minute slots. Idempotent: existing rows are left alone.
func Seed(ctx context.Context, pool *pgxpool.Pool) error {
	entities := seedEntities()
	for _, e := range entities {
		if _, err := e.Location(); err != nil {
			return fmt.Errorf("scheduling: seed %s: %w", e.ID, err)
		}
	}
	return store.New(pool, events.Encoder{}.Encode).Seed(ctx, entities, seedAffiliations())
}

func seedEntities() []domain.Entity {
	return []domain.Entity{
		{ID: "hosp-north-tallinn", Name: "North Tallinn Hospital", Category: "hospital", City: "Tallinn",
			TimeZone: "Europe/Tallinn", Email: "appointments@north-tallinn.example.org", Phone: "+372 600 0001"},
		{ID: "hosp-tartu-university", Name: "Tartu University Hospital", Category: "hospital", City: "Tartu",
			TimeZone: "Europe/Tallinn", Email: "appointments@tartu-university.example.org", Phone: "+372 600 0002"},
		{ID: "hosp-exampleville-general", Name: "Exampleville General Hospital", Category: "hospital", City: "Exampleville",
			TimeZone: "UTC", Email: "appointments@exampleville-general.example.org", Phone: "+1 555 0100"},
	}
}

// seedDoctor is a doctor's registry id, name, e-mail, specialty and hospital.
type seedDoctor struct{ id, name, email, specialty, entity string }

func seedAffiliations() []domain.Affiliation {
	doctors := []seedDoctor{
		{"doc-kask", "Dr. Anna Kask", "anna.kask@example.org", "cardiology", "hosp-north-tallinn"},
		{"doc-saar", "Dr. Peeter Saar", "peeter.saar@example.org", "neurology", "hosp-north-tallinn"},
		{"doc-mets", "Dr. Liis Mets", "liis.mets@example.org", "pediatrics", "hosp-tartu-university"},
		{"doc-rebane", "Dr. Jaan Rebane", "jaan.rebane@example.org", "cardiology", "hosp-tartu-university"},
		{"doc-okafor", "Dr. Grace Okafor", "grace.okafor@example.org", "general-practice", "hosp-exampleville-general"},
		{"doc-smith", "Dr. Alan Smith", "alan.smith@example.org", "general-practice", "hosp-exampleville-general"},
	}
	var week []domain.Hours
	for d := time.Monday; d <= time.Friday; d++ {
		week = append(week, domain.Hours{Weekday: d, StartMinute: 9 * 60, EndMinute: 17 * 60})
	}
	out := make([]domain.Affiliation, 0, len(doctors))
	for _, d := range doctors {
		out = append(out, domain.Affiliation{ID: d.id + "@" + d.entity,
			Resource: domain.Resource{ID: d.id, Name: d.name, Category: "doctor", Specialty: d.specialty, Email: d.email, SlotMinutes: 20},
			Entity:   domain.Entity{ID: d.entity}, Hours: week})
	}
	return out
}
