package registries_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/encoding/protojson"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries"
)

func TestDatabaseAPI(t *testing.T) {
	e := start(t)
	ctx := called()
	id := createPeople(t, e)
	if _, err := e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: "people", VersionNumber: "1.0",
		Write: write(t, map[string]any{"id": "P1", "firstName": "Ann"})}); err != nil {
		t.Fatal(err)
	}

	list, err := e.dbs.ListDatabases(ctx, &registriesv1.ListDatabasesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, db := range list.GetDatabases() {
		names = append(names, db.GetGroupName()+":"+db.GetName())
	}
	for _, want := range []string{"Test:people", "Government:public-sector-domains", "Government:companies",
		"Health:cities", "Health:hospitals", "Health:departments", "Health:doctors", "Population:citizens"} {
		if !slices.Contains(names, want) {
			t.Errorf("ListDatabases lacks %s: %v", want, names)
		}
	}

	got, err := e.dbs.GetDatabase(ctx, &registriesv1.GetDatabaseRequest{Id: int64(id)})
	db := got.GetDatabase()
	if err != nil || db.GetName() != "people" || db.GetRecordCount() != 1 || db.GetByUserName() != testClient ||
		db.GetSchema().GetFields()["type"].GetStringValue() != "object" {
		t.Fatalf("GetDatabase = %v, %v", got, err)
	}

	t.Run("modify refuses what stored records or JSON Schema reject", func(t *testing.T) {
		stricter := peopleSchema(t)
		stricter["required"] = []any{"id", "firstName", "lastName"}
		_, err := e.dbs.ModifyDatabase(ctx, &registriesv1.ModifyDatabaseRequest{Code: "people", Schema: obj(t, stricter)})
		wantViolation(t, err, "/lastName")
		broken := map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "strnig"}}}
		_, err = e.dbs.ModifyDatabase(ctx, &registriesv1.ModifyDatabaseRequest{Code: "people", Schema: obj(t, broken)})
		wantViolation(t, err, "schema")
		_, err = e.dbs.ModifyDatabase(ctx, &registriesv1.ModifyDatabaseRequest{Code: "people"})
		wantViolation(t, err, "schema")
		remote := map[string]any{"$ref": "https://example.org/evil.json"}
		_, err = e.dbs.ModifyDatabase(ctx, &registriesv1.ModifyDatabaseRequest{Code: "people", Schema: obj(t, remote)})
		wantViolation(t, err, "schema")
	})
	t.Run("modify replaces a compatible schema", func(t *testing.T) {
		looser := peopleSchema(t)
		looser["description"] = "people, v1 amended"
		var header metadata.MD
		resp, err := e.dbs.ModifyDatabase(ctx, &registriesv1.ModifyDatabaseRequest{Code: "people", Schema: obj(t, looser),
			Description: "amended"}, grpc.Header(&header))
		if err != nil || resp.GetCreated() || resp.GetDatabase().GetId() != id || resp.GetDatabase().GetDescription() != "amended" {
			t.Fatalf("ModifyDatabase = %v, %v", resp, err)
		}
		if resp.GetSchema().AsMap()["description"] != "people, v1 amended" {
			t.Errorf("response schema = %v, want the stored schema", resp.GetSchema())
		}
		if loc := header.Get("location"); len(loc) != 1 || loc[0] != fmt.Sprintf("/database/%d", id) {
			t.Errorf("location header = %v, want /database/%d", loc, id)
		}
	})
	t.Run("delete", func(t *testing.T) {
		resp, err := e.dbs.DeleteDatabase(ctx, &registriesv1.DeleteDatabaseRequest{Id: int64(id)})
		if err != nil || resp.GetResult() != "Success" {
			t.Fatalf("DeleteDatabase = %v, %v", resp, err)
		}
		_, err = e.dbs.GetDatabase(ctx, &registriesv1.GetDatabaseRequest{Id: int64(id)})
		wantCode(t, err, codes.NotFound)
		_, err = e.data.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: "people", VersionNumber: "1.0",
			Query: query(t, map[string]any{"id": "P1"})})
		wantCode(t, err, codes.NotFound)
	})
}

func TestRecordEventsArePublished(t *testing.T) {
	e := start(t)
	waitForStream(t, e.js)
	ctx := called()
	if _, err := e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: "cities", VersionNumber: "1.0",
		Write: write(t, map[string]any{"id": "city-narva", "name": "Narva", "country": "EE"})}); err != nil {
		t.Fatal(err)
	}
	msg := nextEvent(t, e, registries.EventRecordCreated)
	if got := msg.Headers().Get("ce-type"); got != "govstack.registries.v1.record.created" {
		t.Errorf("ce-type = %q", got)
	}
	if msg.Subject() != registries.EventRecordCreated || msg.Headers().Get("ce-subject") != "city-narva" {
		t.Errorf("subject %q, ce-subject %q", msg.Subject(), msg.Headers().Get("ce-subject"))
	}
	var payload registriesv1.RecordChanged
	if err := protojson.Unmarshal(msg.Data(), &payload); err != nil {
		t.Fatal(err)
	}
	if payload.GetRecordId() != "city-narva" || payload.GetRegistryName() != "cities" || payload.GetClientId() != testClient ||
		!slices.Equal(payload.GetChangedFields(), []string{"country", "id", "name"}) {
		t.Errorf("payload = %v", &payload)
	}
	// An update that changes the primary key says which key the record had, so consumers can follow it.
	if _, err := e.data.UpdateRecord(ctx, &registriesv1.UpdateRecordRequest{RegistryName: "cities", VersionNumber: "1.0",
		Query: query(t, map[string]any{"id": "city-narva"}), Write: write(t, map[string]any{"id": "narva"})}); err != nil {
		t.Fatal(err)
	}
	if err := protojson.Unmarshal(nextEvent(t, e, registries.EventRecordUpdated).Data(), &payload); err != nil {
		t.Fatal(err)
	}
	if payload.GetRecordId() != "narva" || payload.GetPreviousRecordId() != "city-narva" {
		t.Errorf("record.updated after a key change = %v", &payload)
	}
}

// nextEvent returns the first event of subject in the BB's stream.
func nextEvent(t *testing.T, e env, subject string) jetstream.Msg {
	t.Helper()
	cons, err := e.js.CreateOrUpdateConsumer(context.Background(), natsbus.StreamName(registries.Name), jetstream.ConsumerConfig{
		FilterSubject: subject, DeliverPolicy: jetstream.DeliverAllPolicy, AckPolicy: jetstream.AckExplicitPolicy,
	})
	if err != nil {
		t.Fatal(err)
	}
	var msg jetstream.Msg
	eventually(t, 10*time.Second, subject+" event", func() error {
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(200*time.Millisecond))
		if err != nil {
			return err
		}
		for m := range batch.Messages() {
			msg = m
		}
		if msg == nil {
			return errors.New("no message yet")
		}
		return batch.Error()
	})
	return msg
}

func TestPersonalDataUsage(t *testing.T) {
	e := start(t)
	ctx := called()
	const mari = "EE37801010001"
	if _, err := e.data.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: "citizens", VersionNumber: "1.0",
		Query: query(t, map[string]any{"personalCode": mari})}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.data.ListRecords(ctx, &registriesv1.ListRecordsRequest{RegistryName: "citizens", VersionNumber: "1.0"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.data.ReadRecordValue(as("EE/COM/12345678/clinic"), &registriesv1.ReadRecordValueRequest{
		RegistryName: "citizens", VersionNumber: "1.0", Id: mari, FieldExt: "email.json"}); err != nil {
		t.Fatal(err)
	}
	// Reads of a registry without personal data are not logged.
	if _, err := e.data.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: "cities", VersionNumber: "1.0",
		Query: query(t, map[string]any{"id": "city-tartu"})}); err != nil {
		t.Fatal(err)
	}

	for _, databaseID := range []string{"citizens", "citizens/1.0"} {
		resp, err := e.data.ListPersonalDataUsage(ctx, &registriesv1.ListPersonalDataUsageRequest{UserId: mari, DatabaseId: databaseID})
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, u := range resp.GetUsages() {
			ops = append(ops, u.GetOperation())
			if len(u.GetReferences()) != 1 || u.GetReferences()[0].GetReferenceId() != mari || u.GetDatabaseId() != "citizens/1.0" {
				t.Errorf("usage %v does not reference only %s", u, mari)
			}
		}
		slices.Sort(ops)
		if fmt.Sprint(ops) != "[list read readValue]" {
			t.Errorf("%s: operations %v, want list, read, readValue", databaseID, ops)
		}
		clinic := resp.GetUsages()[0] // newest first
		if clinic.GetReaderId() != "EE/COM/12345678/clinic" || clinic.GetReaderInstitutionId() != "12345678" ||
			clinic.GetReaderApplicationName() != "clinic" {
			t.Errorf("newest usage = %v", clinic)
		}
	}
	other, err := e.data.ListPersonalDataUsage(ctx, &registriesv1.ListPersonalDataUsageRequest{UserId: mari, DatabaseId: "cities"})
	if err != nil || len(other.GetUsages()) != 0 {
		t.Errorf("usages in cities = %v, %v", other, err)
	}
	_, err = e.data.ListPersonalDataUsage(ctx, &registriesv1.ListPersonalDataUsageRequest{DatabaseId: "citizens"})
	wantViolation(t, err, "userId")
	// A code is free text: one no registry has finds nothing; a bad name/version is a 400.
	none, err := e.data.ListPersonalDataUsage(ctx, &registriesv1.ListPersonalDataUsageRequest{UserId: mari, DatabaseId: "a b"})
	if err != nil || len(none.GetUsages()) != 0 {
		t.Errorf("usages in \"a b\" = %v, %v", none, err)
	}
	_, err = e.data.ListPersonalDataUsage(ctx, &registriesv1.ListPersonalDataUsageRequest{UserId: mari, DatabaseId: "a b/1.0"})
	wantViolation(t, err, "databaseId")
}

func TestSeedIsIdempotent(t *testing.T) {
	e := start(t) // seeds once
	count := func() (n int) {
		if err := e.pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM registry) * 1000 + (SELECT count(*) FROM record)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if err := registries.Seed(context.Background(), e.pool); err != nil {
		t.Fatal(err)
	}
	if after := count(); after != before || before != 8*1000+35 {
		t.Errorf("registries*1000+records: %d before, %d after a second seed, want 8035", before, after)
	}
	resp, err := e.data.ReadRecord(called(), &registriesv1.ReadRecordRequest{RegistryName: "companies", VersionNumber: "1.0",
		Query: query(t, map[string]any{"status": "dissolved"})})
	if err != nil || resp.GetContent().GetFields()["scheme"].GetStringValue() != "CompaniesHouse" {
		t.Errorf("dissolved company = %v, %v", resp, err)
	}
}
