package scheduling_test

import (
	"context"
	"testing"

	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	"github.com/govstackbb/marketplace/services/scheduling"
)

// TestSeedIsIdempotentAndMatchesRegistries seeds twice and checks the demo data: the registry ids of
// hospitals and doctors, their time zones and 40 hours a week each.
func TestSeedIsIdempotentAndMatchesRegistries(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, scheduling.Migrations()...)
	for range 2 {
		if err := scheduling.Seed(ctx, pool); err != nil {
			t.Fatal(err)
		}
	}
	var entities, resources, minutes int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM entity), (SELECT count(*) FROM resource),
(SELECT sum(end_minute - start_minute) FROM working_hours)`).Scan(&entities, &resources, &minutes); err != nil {
		t.Fatal(err)
	}
	if entities != 3 || resources != 6 || minutes != 6*5*8*60 {
		t.Errorf("seeded %d entities, %d resources, %d working minutes", entities, resources, minutes)
	}
	var tz, email string
	if err := pool.QueryRow(ctx, `SELECT e.time_zone, r.email FROM affiliation a JOIN entity e ON e.id = a.entity_id
JOIN resource r ON r.id = a.resource_id WHERE r.id = 'doc-mets'`).Scan(&tz, &email); err != nil || tz != "Europe/Tallinn" || email != "liis.mets@example.org" {
		t.Errorf("doc-mets: %s %s %v", tz, email, err)
	}
}
