package registries_test

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
)

// peopleSchema is a GovStack-style schema: its own keywords (primaryKey, triggers) must be accepted.
func peopleSchema(t *testing.T) map[string]any {
	return map[string]any{"type": "object", "required": []any{"id", "firstName"},
		"properties": map[string]any{
			"id":        map[string]any{"type": "string", "primaryKey": true, "triggers": []any{}},
			"firstName": map[string]any{"type": "string", "minLength": 1},
			"lastName":  map[string]any{"type": "string"},
			"age":       map[string]any{"type": "integer", "minimum": 0},
			"city":      map[string]any{"type": "string"},
		}}
}

func createPeople(t *testing.T, e env) int32 {
	t.Helper()
	resp, err := e.dbs.ModifyDatabase(called(), &registriesv1.ModifyDatabaseRequest{GroupName: "Test", Code: "people",
		Version: "1.0", Schema: obj(t, peopleSchema(t))})
	if err != nil || !resp.GetCreated() || resp.GetDatabase().GetPrimaryKey() != "id" {
		t.Fatalf("ModifyDatabase = %v, %v", resp, err)
	}
	return resp.GetDatabase().GetId()
}

func TestDataAPI(t *testing.T) {
	e := start(t)
	createPeople(t, e)
	ctx := called()
	at := func(reg string) (string, string) { return reg, "1.0" }
	name, version := at("people")

	t.Run("create", func(t *testing.T) {
		resp, err := e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: name, VersionNumber: version,
			Write: write(t, map[string]any{"id": "P01", "firstName": "John", "lastName": "Smith", "age": 45})})
		if err != nil || resp.GetContent().GetFields()["firstName"].GetStringValue() != "John" {
			t.Fatalf("CreateRecord = %v, %v", resp, err)
		}
		_, err = e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: name, VersionNumber: version,
			Write: write(t, map[string]any{"id": "P01", "firstName": "Again"})})
		wantCode(t, err, codes.AlreadyExists)
		gen, err := e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: name, VersionNumber: version,
			Write: write(t, map[string]any{"firstName": "Nokey", "lastName": "Other"})})
		if err != nil || len(gen.GetContent().GetFields()["id"].GetStringValue()) != 36 {
			t.Fatalf("create without key = %v, %v", gen, err)
		}
	})
	t.Run("create refuses bad input", func(t *testing.T) {
		_, err := e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: name, VersionNumber: version,
			Write: write(t, map[string]any{"id": "P99", "firstName": 5, "age": -1})})
		wantViolation(t, err, "/firstName")
		wantViolation(t, err, "/age")
		_, err = e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: name, VersionNumber: version,
			Write: write(t, map[string]any{"id": "P99"})})
		wantViolation(t, err, "/firstName")
		_, err = e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: name, VersionNumber: version})
		wantViolation(t, err, "write.content")
		_, err = e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: "nope", VersionNumber: version,
			Write: write(t, map[string]any{"id": "x"})})
		wantCode(t, err, codes.NotFound)
		_, err = e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: "bad name!", VersionNumber: version,
			Write: write(t, map[string]any{"id": "x"})})
		wantViolation(t, err, "registryName")
	})
	for i := 2; i <= 12; i++ {
		last := "Smith"
		if i%3 == 0 {
			last = "Jones"
		}
		_, err := e.data.CreateRecord(ctx, &registriesv1.CreateRecordRequest{RegistryName: name, VersionNumber: version,
			Write: write(t, map[string]any{"id": fmt.Sprintf("P%02d", i), "firstName": fmt.Sprintf("Name%02d", i),
				"lastName": last, "age": 20 + i})})
		if err != nil {
			t.Fatal(err)
		}
	}

	t.Run("read and exists", func(t *testing.T) {
		resp, err := e.data.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"firstName": "John", "age": 45})})
		if err != nil || resp.GetContent().GetFields()["id"].GetStringValue() != "P01" {
			t.Fatalf("ReadRecord = %v, %v", resp, err)
		}
		_, err = e.data.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"firstName": "Nobody"})})
		wantCode(t, err, codes.NotFound)
		_, err = e.data.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: name, VersionNumber: version})
		wantViolation(t, err, "query.content")

		yes, err := e.data.RecordExists(ctx, &registriesv1.RecordExistsRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"lastName": "Jones"})})
		if err != nil || !yes.GetAnswer().GetStatus() {
			t.Fatalf("exists = %v, %v", yes, err)
		}
		no, err := e.data.RecordExists(ctx, &registriesv1.RecordExistsRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"lastName": "Nobody"})})
		if err != nil || no.GetAnswer().GetStatus() || no.GetAnswer().GetMessage() == "" {
			t.Fatalf("not exists = %v, %v", no, err)
		}
		_, err = e.data.RecordExists(ctx, &registriesv1.RecordExistsRequest{RegistryName: name, VersionNumber: version,
			Query: &registriesv1.RecordQuery{}})
		wantViolation(t, err, "query.content")
	})

	t.Run("list", func(t *testing.T) {
		// Smiths by age descending: P01 (45), P11, P10, P08, P07, P05, P04, P02; page 2 of 3 per page.
		resp, err := e.data.ListRecords(ctx, &registriesv1.ListRecordsRequest{RegistryName: name, VersionNumber: version,
			Query: map[string]string{"lastName": "Smith"}, Filter: "age", Ordering: "descending", Page: 2, PageSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range resp.GetResults() {
			got = append(got, r.GetFields()["id"].GetStringValue())
		}
		if resp.GetCount() != 8 || strings.Join(got, ",") != "P08,P07,P05" {
			t.Errorf("page = %v (count %d), want P08,P07,P05 (8)", got, resp.GetCount())
		}
		for _, link := range []struct{ got, want string }{{resp.GetNext(), "page=3"}, {resp.GetPrevious(), "page=1"}} {
			for _, want := range []string{"/data/people/1.0?", link.want, "pageSize=3", "query.lastName=Smith", "ordering=descending"} {
				if err := contains(link.got, want); err != nil {
					t.Error(err)
				}
			}
		}
		typed, err := e.data.ListRecords(ctx, &registriesv1.ListRecordsRequest{RegistryName: name, VersionNumber: version,
			Query: map[string]string{"age": "45"}})
		if err != nil || typed.GetCount() != 1 {
			t.Errorf("query.age=45 (integer field) = %v, %v", typed, err)
		}
		search, err := e.data.ListRecords(ctx, &registriesv1.ListRecordsRequest{RegistryName: name, VersionNumber: version,
			Search: `^.*"JOH?N"`, PageSize: 100})
		if err != nil || search.GetCount() != 1 || search.GetNext() != "" || search.GetPrevious() != "" {
			t.Errorf("search = %v, %v", search, err)
		}
		_, err = e.data.ListRecords(ctx, &registriesv1.ListRecordsRequest{RegistryName: name, VersionNumber: version, Search: "(("})
		wantViolation(t, err, "search")
		_, err = e.data.ListRecords(ctx, &registriesv1.ListRecordsRequest{RegistryName: name, VersionNumber: version,
			Query: map[string]string{"age": "old"}})
		wantViolation(t, err, "query.age")
	})

	t.Run("update", func(t *testing.T) {
		resp, err := e.data.UpdateRecord(ctx, &registriesv1.UpdateRecordRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"id": "P01"}), Write: write(t, map[string]any{"age": 31})})
		if err != nil || resp.GetContent().GetFields()["age"].GetNumberValue() != 31 ||
			resp.GetContent().GetFields()["firstName"].GetStringValue() != "John" {
			t.Fatalf("UpdateRecord = %v, %v", resp, err)
		}
		_, err = e.data.UpdateRecord(ctx, &registriesv1.UpdateRecordRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"lastName": "Smith"}), Write: write(t, map[string]any{"age": 1})})
		wantCode(t, err, codes.AlreadyExists) // 409: the query matches several
		_, err = e.data.UpdateRecord(ctx, &registriesv1.UpdateRecordRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"id": "P01"}), Write: write(t, map[string]any{"age": "old"})})
		wantViolation(t, err, "/age")
		_, err = e.data.UpdateRecord(ctx, &registriesv1.UpdateRecordRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"id": "P01"})})
		wantViolation(t, err, "write.content")
		_, err = e.data.UpdateRecord(ctx, &registriesv1.UpdateRecordRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"id": "nobody"}), Write: write(t, map[string]any{"age": 1})})
		wantCode(t, err, codes.NotFound)
	})

	t.Run("updateEntries is all or nothing", func(t *testing.T) {
		resp, err := e.data.UpdateEntries(ctx, &registriesv1.UpdateEntriesRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"lastName": "Jones"}), Write: write(t, map[string]any{"city": "Tallinn"})})
		if err != nil || resp.GetCount() != 4 {
			t.Fatalf("UpdateEntries = %v, %v", resp, err)
		}
		_, err = e.data.UpdateEntries(ctx, &registriesv1.UpdateEntriesRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"lastName": "Jones"}), Write: write(t, map[string]any{"city": "Tartu", "firstName": ""})})
		wantViolation(t, err, "/firstName")
		still, err := e.data.ListRecords(ctx, &registriesv1.ListRecordsRequest{RegistryName: name, VersionNumber: version,
			Query: map[string]string{"city": "Tallinn"}})
		if err != nil || still.GetCount() != 4 {
			t.Errorf("after a failed updateEntries %d records are in Tallinn (want 4): %v", still.GetCount(), err)
		}
	})

	t.Run("updateOrCreate", func(t *testing.T) {
		upd, err := e.data.UpdateOrCreateRecord(ctx, &registriesv1.UpdateOrCreateRecordRequest{RegistryName: name,
			VersionNumber: version, Query: query(t, map[string]any{"id": "P02"}), Write: write(t, map[string]any{"city": "Narva"})})
		if err != nil || upd.GetCreated() || upd.GetContent().GetFields()["city"].GetStringValue() != "Narva" {
			t.Fatalf("update branch = %v, %v", upd, err)
		}
		cre, err := e.data.UpdateOrCreateRecord(ctx, &registriesv1.UpdateOrCreateRecordRequest{RegistryName: name,
			VersionNumber: version, Query: query(t, map[string]any{"id": "P50"}), Write: write(t, map[string]any{"firstName": "New"})})
		f := cre.GetContent().GetFields()
		if err != nil || !cre.GetCreated() || f["id"].GetStringValue() != "P50" || f["firstName"].GetStringValue() != "New" {
			t.Fatalf("create branch = %v, %v", cre, err)
		}
	})

	t.Run("readValue", func(t *testing.T) {
		resp, err := e.data.ReadRecordValue(ctx, &registriesv1.ReadRecordValueRequest{RegistryName: name, VersionNumber: version,
			Id: "P01", FieldExt: "firstName.json"})
		if err != nil || resp.GetValue().GetStringValue() != "John" {
			t.Fatalf("ReadRecordValue = %v, %v", resp, err)
		}
		_, err = e.data.ReadRecordValue(ctx, &registriesv1.ReadRecordValueRequest{RegistryName: name, VersionNumber: version,
			Id: "P01", FieldExt: "city.json"})
		st := wantCode(t, err, codes.NotFound)
		if !strings.Contains(fmt.Sprint(st.Details()), "GOVSTACK_REGISTRIES_FIELD_NOT_FOUND") {
			t.Errorf("details %v lack FIELD_NOT_FOUND", st.Details())
		}
		_, err = e.data.ReadRecordValue(ctx, &registriesv1.ReadRecordValueRequest{RegistryName: name, VersionNumber: version,
			Id: "P01", FieldExt: "firstName.xml"})
		wantViolation(t, err, "field_ext")
		_, err = e.data.ReadRecordValue(ctx, &registriesv1.ReadRecordValueRequest{RegistryName: name, VersionNumber: version,
			Id: "P01", FieldExt: "firstName"})
		wantViolation(t, err, "field_ext")
	})

	t.Run("delete answers 204", func(t *testing.T) {
		var header metadata.MD
		_, err := e.data.DeleteRecord(ctx, &registriesv1.DeleteRecordRequest{RegistryName: name, VersionNumber: version, Id: "P01"},
			grpc.Header(&header))
		if err != nil {
			t.Fatal(err)
		}
		if got := header.Get("x-http-code"); len(got) != 1 || got[0] != "204" {
			t.Errorf("x-http-code = %v, want 204", got)
		}
		_, err = e.data.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: name, VersionNumber: version,
			Query: query(t, map[string]any{"id": "P01"})})
		wantCode(t, err, codes.NotFound)
		_, err = e.data.DeleteRecord(ctx, &registriesv1.DeleteRecordRequest{RegistryName: name, VersionNumber: version, Id: "P01"})
		wantCode(t, err, codes.NotFound)
	})
}

func TestIdentityIsRequired(t *testing.T) {
	e := start(t)
	req := &registriesv1.ReadRecordRequest{RegistryName: "cities", VersionNumber: "1.0",
		Query: query(t, map[string]any{"id": "city-tallinn"})}
	_, err := e.data.ReadRecord(t.Context(), req)
	wantCode(t, err, codes.InvalidArgument)
	_, err = e.data.ReadRecord(as("a/b/c"), req)
	st := wantCode(t, err, codes.InvalidArgument)
	if !strings.Contains(st.Message(), "not four non-empty segments") {
		t.Errorf("message %q does not explain the format", st.Message())
	}
	if _, err := e.data.ReadRecord(called(), req); err != nil {
		t.Errorf("with identity: %v", err)
	}
	// The database API does not require it.
	if _, err := e.dbs.ListDatabases(t.Context(), &registriesv1.ListDatabasesRequest{}); err != nil {
		t.Errorf("ListDatabases without identity: %v", err)
	}
}
