package gateway_test

import (
	"net/http"
	"reflect"
	"testing"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"google.golang.org/protobuf/proto"
)

// TestEndpoints drives every Digital Registries endpoint, in every spelling the gateway serves, and checks
// which RPC it reached with which fields, and what the client got back.
func TestEndpoints(t *testing.T) {
	h := newHarness(t, nil)
	const base = "/data/patients/1.0"
	type body = map[string]any
	tests := []struct {
		name, method, target, body string
		rpc                        string
		check                      func(t *testing.T, req proto.Message)
		status                     int
		resp                       func(t *testing.T, r response)
	}{
		{name: "list", method: "GET", rpc: "ListRecords",
			target: base + "?search=an&filter=name&ordering=desc&page=2&pageSize=5&query.firstName=Ada&query[lastName]=Lovelace",
			check: func(t *testing.T, m proto.Message) {
				r := m.(*registriesv1.ListRecordsRequest)
				want := map[string]string{"firstName": "Ada", "lastName": "Lovelace"}
				if r.RegistryName != "patients" || r.VersionNumber != "1.0" || r.Search != "an" || r.Filter != "name" ||
					r.Ordering != "desc" || r.Page != 2 || r.PageSize != 5 || !reflect.DeepEqual(r.Query, want) {
					t.Errorf("request = %v", r)
				}
			},
			resp: func(t *testing.T, r response) {
				b := decode[body](t, r.body)
				// EmitUnpopulated: zero values are present, not omitted.
				if b["count"] != float64(0) || b["next"] != "" || len(b["results"].([]any)) != 1 {
					t.Errorf("body = %s", r.body)
				}
			}},
		{name: "create", method: "POST", target: base + "/create", rpc: "CreateRecord",
			body: `{"write":{"content":{"name":"Ada","age":36}}}`,
			check: func(t *testing.T, m proto.Message) {
				r := m.(*registriesv1.CreateRecordRequest)
				c := r.GetWrite().GetContent().AsMap()
				if r.RegistryName != "patients" || r.VersionNumber != "1.0" || c["name"] != "Ada" || c["age"] != float64(36) {
					t.Errorf("request = %v", r)
				}
			},
			resp: func(t *testing.T, r response) {
				if b := decode[body](t, r.body); b["content"].(body)["name"] != "Ada" {
					t.Errorf("body = %s", r.body)
				}
			}},
		{name: "exists", method: "POST", target: base + "/exists", rpc: "RecordExists",
			body:  `{"query":{"content":{"ID":"1"}}}`,
			check: wantQueryID[*registriesv1.RecordExistsRequest]("1"),
			resp: func(t *testing.T, r response) {
				if b := decode[body](t, r.body); b["answer"].(body)["status"] != true {
					t.Errorf("body = %s", r.body)
				}
			}},
		{name: "read", method: "POST", target: base + "/read", rpc: "ReadRecord",
			body: `{"query":{"content":{"ID":"2"}}}`, check: wantQueryID[*registriesv1.ReadRecordRequest]("2")},
		{name: "update", method: "PUT", target: base + "/update", rpc: "UpdateRecord",
			body:  `{"query":{"content":{"ID":"3"}},"write":{"content":{"name":"B"}}}`,
			check: wantQueryID[*registriesv1.UpdateRecordRequest]("3")},
		{name: "updateEntries", method: "PUT", target: base + "/updateEntries", rpc: "UpdateEntries",
			body:  `{"query":{"content":{"ID":"4"}},"write":{"content":{"name":"B"}}}`,
			check: wantQueryID[*registriesv1.UpdateEntriesRequest]("4"), resp: wantCount2},
		{name: "update-entries", method: "PUT", target: base + "/update-entries", rpc: "UpdateEntries",
			body:  `{"query":{"content":{"ID":"5"}},"write":{"content":{"name":"B"}}}`,
			check: wantQueryID[*registriesv1.UpdateEntriesRequest]("5"), resp: wantCount2},
		{name: "updateOrCreate", method: "POST", target: base + "/updateOrCreate", rpc: "UpdateOrCreateRecord",
			body:  `{"query":{"content":{"ID":"6"}},"write":{"content":{"name":"C"}}}`,
			check: wantQueryID[*registriesv1.UpdateOrCreateRecordRequest]("6"), resp: wantCreated},
		{name: "update-or-create", method: "POST", target: base + "/update-or-create", rpc: "UpdateOrCreateRecord",
			body:  `{"query":{"content":{"ID":"7"}},"write":{"content":{"name":"C"}}}`,
			check: wantQueryID[*registriesv1.UpdateOrCreateRecordRequest]("7"), resp: wantCreated},
		{name: "delete", method: "DELETE", target: base + "/rec-1/delete", rpc: "DeleteRecord", status: http.StatusNoContent,
			check: func(t *testing.T, m proto.Message) {
				if r := m.(*registriesv1.DeleteRecordRequest); r.Id != "rec-1" || r.RegistryName != "patients" {
					t.Errorf("request = %v", r)
				}
			},
			resp: func(t *testing.T, r response) {
				if len(r.body) != 0 || r.header.Get("Content-Type") != "" || r.header.Get("Grpc-Metadata-X-Http-Code") != "" {
					t.Errorf("204 must be bare: headers %v body %q", r.header, r.body)
				}
			}},
		{name: "readValue", method: "GET", target: base + "/rec-1/readValue/first%20name.json", rpc: "ReadRecordValue",
			check: wantFieldExt("first name.json"), resp: wantValueAda},
		{name: "read-value", method: "GET", target: base + "/rec-1/read-value/firstName.json", rpc: "ReadRecordValue",
			check: wantFieldExt("firstName.json"), resp: wantValueAda},
		{name: "myPersonalDataUsage", method: "GET", target: "/data/myPersonalDataUsage?userId=p-1&databaseId=patients",
			rpc: "ListPersonalDataUsage", check: wantUsageQuery, resp: wantUsageArray},
		{name: "MyPersonalDataUsage/1.0", method: "GET", target: "/data/MyPersonalDataUsage/1.0?userId=p-1&databaseId=patients",
			rpc: "ListPersonalDataUsage", check: wantUsageQuery, resp: wantUsageArray},
		{name: "mypersonaldatausage/1.0", method: "GET", target: "/data/mypersonaldatausage/1.0?userId=p-1&databaseId=patients",
			rpc: "ListPersonalDataUsage", check: wantUsageQuery, resp: wantUsageArray},
		{name: "databases", method: "GET", target: "/databases", rpc: "ListDatabases",
			resp: func(t *testing.T, r response) {
				cat := decode[body](t, r.body)
				dbs, _ := cat["databases"].([]any)
				if cat["name"] != "Health" || len(dbs) != 1 {
					t.Errorf("body = %s, want the catalogue object with its databases", r.body)
				}
			}},
		{name: "database", method: "GET", target: "/database/7", rpc: "GetDatabase",
			check: func(t *testing.T, m proto.Message) {
				if r := m.(*registriesv1.GetDatabaseRequest); r.Id != 7 {
					t.Errorf("request = %v", r)
				}
			},
			resp: func(t *testing.T, r response) {
				if b := decode[body](t, r.body); b["id"] != float64(7) || b["isDraft"] != false {
					t.Errorf("body = %s, want the database itself with camelCase fields", r.body)
				}
			}},
		{name: "modify", method: "POST", target: "/database/modify", rpc: "ModifyDatabase",
			body: `{"groupName":"Health","code":"patients","version":"2.0","schema":{"type":"object"},"personIdField":"pid"}`,
			check: func(t *testing.T, m proto.Message) {
				r := m.(*registriesv1.ModifyDatabaseRequest)
				if r.GroupName != "Health" || r.Version != "2.0" || r.PersonIdField != "pid" || r.Schema.AsMap()["type"] != "object" {
					t.Errorf("request = %v", r)
				}
			},
			resp: func(t *testing.T, r response) {
				if got := decode[body](t, r.body); got["type"] != "object" || len(got) != 1 {
					t.Errorf("body = %s, want the stored schema alone", r.body)
				}
				if loc := r.header.Get("Location"); loc != "/database/8" {
					t.Errorf("Location = %q, want /database/8", loc)
				}
			}},
		{name: "delete database", method: "DELETE", target: "/database/7", rpc: "DeleteDatabase",
			check: func(t *testing.T, m proto.Message) {
				if r := m.(*registriesv1.DeleteDatabaseRequest); r.Id != 7 {
					t.Errorf("request = %v", r)
				}
			},
			resp: func(t *testing.T, r response) {
				if string(r.body) != `"Success"` {
					t.Errorf("body = %s, want \"Success\"", r.body)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.call(t, tc.method, tc.target, tc.body)
			want := tc.status
			if want == 0 {
				want = http.StatusOK
			}
			if r.status != want {
				t.Fatalf("status = %d, want %d; body %s", r.status, want, r.body)
			}
			c := h.fake.last(t)
			if c.method != tc.rpc {
				t.Fatalf("reached %s, want %s", c.method, tc.rpc)
			}
			if got := c.md.Get("x-govstack-client"); !reflect.DeepEqual(got, []string{client}) {
				t.Errorf("x-govstack-client metadata = %q, want [%q]", got, client)
			}
			if got := c.md.Get("x-request-id"); len(got) != 1 || got[0] != r.header.Get("X-Request-Id") {
				t.Errorf("x-request-id metadata = %q, response header %q", got, r.header.Get("X-Request-Id"))
			}
			if !c.hasDeadline {
				t.Error("the upstream call had no deadline")
			}
			if tc.check != nil {
				tc.check(t, c.req)
			}
			if tc.resp != nil {
				tc.resp(t, r)
			}
		})
	}
}

// queryRequest is every request with query.content.
type queryRequest interface {
	proto.Message
	GetQuery() *registriesv1.RecordQuery
	GetRegistryName() string
}

func wantQueryID[R queryRequest](id string) func(*testing.T, proto.Message) {
	return func(t *testing.T, m proto.Message) {
		t.Helper()
		r := m.(R)
		if r.GetRegistryName() != "patients" || r.GetQuery().GetContent().AsMap()["ID"] != id {
			t.Errorf("request = %v, want registry patients and query.content.ID %q", r, id)
		}
	}
}

func wantFieldExt(fieldExt string) func(*testing.T, proto.Message) {
	return func(t *testing.T, m proto.Message) {
		r := m.(*registriesv1.ReadRecordValueRequest)
		if r.Id != "rec-1" || r.FieldExt != fieldExt || r.VersionNumber != "1.0" {
			t.Errorf("request = %v, want id rec-1 and field_ext %q", r, fieldExt)
		}
	}
}

func wantUsageQuery(t *testing.T, m proto.Message) {
	if r := m.(*registriesv1.ListPersonalDataUsageRequest); r.UserId != "p-1" || r.DatabaseId != "patients" {
		t.Errorf("request = %v", r)
	}
}

func wantUsageArray(t *testing.T, r response) {
	usages := decode[[]map[string]any](t, r.body)
	if len(usages) != 2 || usages[0]["readerId"] != "reader-1" {
		t.Errorf("body = %s, want a JSON array of 2 usages", r.body)
	}
}

func wantValueAda(t *testing.T, r response) {
	if b := decode[map[string]any](t, r.body); b["value"] != "Ada" {
		t.Errorf("body = %s", r.body)
	}
}

func wantCount2(t *testing.T, r response) {
	if b := decode[map[string]any](t, r.body); b["count"] != float64(2) {
		t.Errorf("body = %s", r.body)
	}
}

func wantCreated(t *testing.T, r response) {
	if b := decode[map[string]any](t, r.body); b["created"] != true {
		t.Errorf("body = %s", r.body)
	}
}
