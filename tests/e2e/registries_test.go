package e2e

import (
	"strings"
	"testing"
)

const citizen = `{"personalCode":"EE49002020022","firstName":"Kati","lastName":"Karu","birthDate":"1990-02-02","email":"kati@example.org"}`

// TestRegistriesThroughGateway walks every Digital Registries endpoint through the gateway's REST API,
// in both the current and the older spelling where GovStack has two.
func TestRegistriesThroughGateway(t *testing.T) {
	s := startStack(t)

	t.Run("seeded registries are listed and searchable", func(t *testing.T) {
		r := s.do(t, "GET", "/data/public-sector-domains/1.0?query.domain=gov.uk", "", nil)
		expect(t, r, 200, `"domain":"gov.uk"`, `"count":1`)
		r = s.do(t, "GET", "/databases", "", nil)
		expect(t, r, 200, `"name":"companies"`, `"databases":[`)
		if _, ok := r.json(t).(map[string]any); !ok {
			t.Errorf("/databases is not GovStack's DatabasesSchema object: %s", r.body)
		}
	})

	t.Run("create then read a record", func(t *testing.T) {
		expect(t, s.do(t, "POST", "/data/citizens/1.0/create", `{"write":{"content":`+citizen+`}}`, nil), 200, `"firstName":"Kati"`)
		expect(t, s.do(t, "POST", "/data/citizens/1.0/read", `{"query":{"content":{"personalCode":"EE49002020022"}}}`, nil),
			200, `"lastName":"Karu"`)
		expect(t, s.do(t, "POST", "/data/citizens/1.0/create", `{"write":{"content":`+citizen+`}}`, nil), 409, `"code":"ALREADY_EXISTS"`)
	})

	t.Run("exists", func(t *testing.T) {
		expect(t, s.do(t, "POST", "/data/citizens/1.0/exists", `{"query":{"content":{"personalCode":"EE49002020022"}}}`, nil),
			200, `"status":true`)
		expect(t, s.do(t, "POST", "/data/citizens/1.0/exists", `{"query":{"content":{"personalCode":"nobody"}}}`, nil),
			200, `"status":false`)
	})

	t.Run("list with search, ordering and paging", func(t *testing.T) {
		r := s.do(t, "GET", "/data/citizens/1.0?search=kati&ordering=descending&filter=firstName&page=1&pageSize=1", "", nil)
		expect(t, r, 200, `"results":[`, `"Karu"`)
	})

	t.Run("update in both spellings", func(t *testing.T) {
		expect(t, s.do(t, "PUT", "/data/citizens/1.0/update",
			`{"query":{"content":{"personalCode":"EE49002020022"}},"write":{"content":{"lastName":"Kask"}}}`, nil), 200, `"Kask"`)
		for _, p := range []string{"updateEntries", "update-entries"} {
			expect(t, s.do(t, "PUT", "/data/citizens/1.0/"+p,
				`{"query":{"content":{"lastName":"Kask"}},"write":{"content":{"email":"`+p+`@example.org"}}}`, nil), 200, `"count":1`)
		}
		for _, p := range []string{"updateOrCreate", "update-or-create"} {
			expect(t, s.do(t, "POST", "/data/citizens/1.0/"+p,
				`{"query":{"content":{"personalCode":"EE49002020022"}},"write":{"content":{"firstName":"Katrin"}}}`, nil), 200, `"Katrin"`)
		}
		expect(t, s.do(t, "POST", "/data/citizens/1.0/update-or-create",
			`{"query":{"content":{"personalCode":"EE50101010011"}},"write":{"content":{"firstName":"Uus","lastName":"Isik","birthDate":"2001-01-01","email":"uus@example.org"}}}`, nil),
			200, `"created":true`)
	})

	t.Run("readValue in both spellings", func(t *testing.T) {
		for _, p := range []string{"readValue", "read-value"} {
			expect(t, s.do(t, "GET", "/data/citizens/1.0/EE49002020022/"+p+"/firstName.json", "", nil), 200, `"value":"Katrin"`)
		}
		expect(t, s.do(t, "GET", "/data/citizens/1.0/EE49002020022/readValue/shoeSize.json", "", nil), 404, `"code":"NOT_FOUND"`)
	})

	t.Run("my personal data usage in both spellings", func(t *testing.T) {
		for _, p := range []string{"/data/myPersonalDataUsage", "/data/MyPersonalDataUsage/1.0"} {
			r := s.do(t, "GET", p+"?userId=EE49002020022&databaseId=citizens", "", nil)
			expect(t, r, 200, `"readerId":"`+client+`"`, `"ReferenceID":"EE49002020022"`)
		}
	})

	t.Run("schema violation names the field", func(t *testing.T) {
		r := s.do(t, "POST", "/data/citizens/1.0/create", `{"write":{"content":{"personalCode":"X1","firstName":42}}}`, nil)
		expect(t, r, 400, `"code":"INVALID_ARGUMENT"`, `firstName`)
	})

	t.Run("identity header is required and checked", func(t *testing.T) {
		r := s.do(t, "GET", "/data/citizens/1.0", "", map[string]string{"Information-Mediator-Client": ""})
		expect(t, r, 400, "Information-Mediator-Client")
		r = s.do(t, "GET", "/data/citizens/1.0", "", map[string]string{"Information-Mediator-Client": "a/b/c"})
		expect(t, r, 400, "not four non-empty segments")
		for _, h := range []string{"X-GovStack-Client", "X-Road-Client"} {
			r = s.do(t, "GET", "/data/citizens/1.0", "", map[string]string{"Information-Mediator-Client": "", h: client})
			expect(t, r, 200, `"count"`)
		}
	})

	t.Run("delete then read is 404", func(t *testing.T) {
		r := s.do(t, "DELETE", "/data/citizens/1.0/EE49002020022/delete", "", nil)
		if r.code != 204 || r.body != "" {
			t.Fatalf("delete = %d %q, want 204 with no body", r.code, r.body)
		}
		expect(t, s.do(t, "POST", "/data/citizens/1.0/read", `{"query":{"content":{"personalCode":"EE49002020022"}}}`, nil), 404, `"code":"NOT_FOUND"`, `"detail":"no record found"`)
	})

	t.Run("database API", func(t *testing.T) {
		schema := `{"code":"pets","version":"1.0","description":"pets","schema":{"type":"object","properties":{"id":{"type":"string","primaryKey":true},"name":{"type":"string"}},"required":["name"]}}`
		r := s.do(t, "POST", "/database/modify", schema, nil)
		expect(t, r, 200, `"type":"object"`, `"primaryKey":true`) // GovStack answers the stored DatabaseSchema
		loc := r.header.Get("Location")
		if !strings.HasPrefix(loc, "/database/") {
			t.Fatalf("Location = %q, want /database/{id}", loc)
		}
		expect(t, s.do(t, "GET", loc, "", nil), 200, `"name":"pets"`, `"schema"`)
		expect(t, s.do(t, "DELETE", loc, "", nil), 200, `"Success"`)
		expect(t, s.do(t, "GET", loc, "", nil), 404, `"code":"NOT_FOUND"`)
	})

	t.Run("standalone listener serves the registries API at its root", func(t *testing.T) {
		r := doURL(t, s.standalone, "GET", "/data/public-sector-domains/1.0?query.domain=nhs.uk", "", nil)
		expect(t, r, 200, `"domain":"nhs.uk"`)
	})

	t.Run("docs and OpenAPI are served", func(t *testing.T) {
		expect(t, s.do(t, "GET", "/openapi/registries.json", "", nil), 200, `"swagger"`, `/data/{registryName}/{versionNumber}`)
		expect(t, s.do(t, "GET", "/docs", "", nil), 200, "Digital Registries")
	})
}

func expect(t *testing.T, r response, code int, contains ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("status %d, want %d: %s", r.code, code, r.body)
	}
	for _, c := range contains {
		if !strings.Contains(r.body, c) {
			t.Errorf("response does not contain %s: %s", c, r.body)
		}
	}
}
