package registries_test

import (
	"context"
	"strings"
	"testing"
	"time"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries"
)

// TestSeedUpgradesAnEarlierSeed runs the seed on a database an earlier release seeded — no hospital-staff
// registry and the citizens schema without phone and address — while the BB serves: the seed adds the new
// registry, upgrades the seeded citizens schema (records with a phone are then accepted at once, without a
// restart), leaves a registry an operator changed through the API alone, and a further run changes nothing.
func TestSeedUpgradesAnEarlierSeed(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	// The previous release's state.
	exec(`DELETE FROM registry WHERE name = 'hospital-staff'`)
	exec(`UPDATE registry SET schema = schema #- '{properties,phone}' #- '{properties,address}',
		modified_at = now() - interval '1 day' WHERE name = 'citizens'`)
	// An operator's own change to a seeded registry.
	exec(`UPDATE registry SET schema = jsonb_set(schema, '{properties,note}', '{"type":"string"}'),
		modified_by = 'EE/GOV/70000001/ops' WHERE name = 'cities'`)

	citizen := func(code string, phone any) *registriesv1.CreateRecordRequest {
		return &registriesv1.CreateRecordRequest{RegistryName: "citizens", VersionNumber: "1.0", Write: write(t, map[string]any{
			"personalCode": code, "firstName": "Liis", "lastName": "Kuusk", "birthDate": "1990-01-01", "phone": phone})}
	}
	// The old schema does not know phone, so any value passes; this also puts the old schema in the cache.
	if _, err := e.data.CreateRecord(called(), citizen("EE49001010001", 5550000)); err != nil {
		t.Fatalf("a citizen under the old schema: %v", err)
	}

	if err := registries.Seed(ctx, e.pool); err != nil {
		t.Fatal(err)
	}
	var citizens, cities string
	var staff int
	if err := e.pool.QueryRow(ctx, `SELECT (SELECT schema::text FROM registry WHERE name = 'citizens'),
		(SELECT schema::text FROM registry WHERE name = 'cities'),
		(SELECT count(*) FROM record JOIN registry r ON r.id = registry_id WHERE r.name = 'hospital-staff')`).
		Scan(&citizens, &cities, &staff); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(citizens, `"phone"`) || !strings.Contains(citizens, `"address"`) {
		t.Errorf("citizens schema not upgraded: %s", citizens)
	}
	if !strings.Contains(cities, `"note"`) {
		t.Errorf("the operator's cities schema was overwritten: %s", cities)
	}
	if staff != 3 {
		t.Errorf("hospital-staff has %d records after the upgrade, want 3", staff)
	}
	// The running BB validates with the upgraded schema at once: phone is a string now.
	_, err := e.data.CreateRecord(called(), citizen("EE49001010002", 5550000))
	wantViolation(t, err, "/phone")
	if _, err := e.data.CreateRecord(called(), citizen("EE49001010003", "+3725550000")); err != nil {
		t.Fatalf("a citizen with a phone after the upgrade: %v", err)
	}
	got, err := e.data.ReadRecord(called(), &registriesv1.ReadRecordRequest{RegistryName: "hospital-staff", VersionNumber: "1.0",
		Query: query(t, map[string]any{"id": "hosp-north-tallinn/staff-kask"})})
	if err != nil || got.GetContent().GetFields()["role"].GetStringValue() != "doctor" {
		t.Fatalf("read hospital staff = %v, %v", got, err)
	}
	_, err = e.data.CreateRecord(called(), &registriesv1.CreateRecordRequest{RegistryName: "hospital-staff", VersionNumber: "1.0",
		Write: write(t, map[string]any{"id": "h/s", "staffId": "s", "hospitalId": "h", "name": "X", "email": "x@example.org", "role": "surgeon"})})
	wantViolation(t, err, "/role")

	var before, after time.Time
	_ = e.pool.QueryRow(ctx, `SELECT max(modified_at) FROM registry`).Scan(&before)
	if err := registries.Seed(ctx, e.pool); err != nil {
		t.Fatal(err)
	}
	_ = e.pool.QueryRow(ctx, `SELECT max(modified_at) FROM registry`).Scan(&after)
	if !after.Equal(before) {
		t.Errorf("a second seed modified a registry: modified_at %v -> %v", before, after)
	}
}
