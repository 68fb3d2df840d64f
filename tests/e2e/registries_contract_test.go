package e2e

import (
	"strings"
	"testing"
)

// TestRegistriesFollowTheirOpenAPI drives the places where the Digital Registries BB used to deviate from
// its GovStack OpenAPI (issue 11 §3).
func TestRegistriesFollowTheirOpenAPI(t *testing.T) {
	s := startStack(t)
	schema := `{"code":"MCTS","name":"mother-child","version":"1.0","description":"Mother and child tracking",
	  "personIdField":"motherId","schema":{"type":"object","properties":{"id":{"type":"string","primaryKey":true},
	  "motherId":{"type":"string"},"child":{"type":"string"},"district":{"type":"string"}}}}`
	expect(t, s.do(t, "POST", "/database/modify", schema, nil), 200)
	for _, rec := range []string{
		`{"id":"c1","motherId":"EE47001010001","child":"Tallinn Anna","district":"Tartu"}`,
		`{"id":"c2","motherId":"EE47001010002","child":"Mari","district":"Tallinn"}`,
	} {
		expect(t, s.do(t, "POST", "/data/mother-child/1.0/create", `{"write":{"content":`+rec+`}}`, nil), 200)
	}

	t.Run("filter names the field search looks in", func(t *testing.T) {
		// "tallinn" is c1's child's name and c2's district: searched in district, only c2 matches.
		expect(t, s.do(t, "GET", "/data/mother-child/1.0?search=tallinn", "", nil), 200, `"count":2`)
		expect(t, s.do(t, "GET", "/data/mother-child/1.0?search=tallinn&filter=district", "", nil), 200, `"count":1`, `"id":"c2"`)
		expect(t, s.do(t, "GET", "/data/mother-child/1.0?search=tallinn&filter=shoeSize", "", nil), 400, `"field":"filter"`, "district")
	})

	t.Run("personal data usage by database code and the older spellings", func(t *testing.T) {
		expect(t, s.do(t, "POST", "/data/mother-child/1.0/read", `{"query":{"content":{"id":"c1"}}}`, nil), 200)
		for _, q := range []string{"userId=EE47001010001&databaseId=MCTS", "userID=EE47001010001&DatabaseID=MCTS",
			"userId=EE47001010001&databaseId=mother-child", "userID=EE47001010001&DatabaseID=mcts"} {
			for _, p := range []string{"/data/myPersonalDataUsage", "/data/MyPersonalDataUsage/1.0"} {
				expect(t, s.do(t, "GET", p+"?"+q, "", nil), 200, `"ReferenceID":"c1"`)
			}
		}
	})

	t.Run("database ids are any integer", func(t *testing.T) {
		expect(t, s.do(t, "GET", "/database/8438778473", "", nil), 404, `"code":"NOT_FOUND"`)
		expect(t, s.do(t, "DELETE", "/database/8438778473", "", nil), 404, `"code":"NOT_FOUND"`)
		expect(t, s.do(t, "GET", "/database/-5", "", nil), 404)
	})

	t.Run("an update may change the primary key", func(t *testing.T) {
		expect(t, s.do(t, "PUT", "/data/mother-child/1.0/update",
			`{"query":{"content":{"id":"c1"}},"write":{"content":{"id":"c1-renamed"}}}`, nil), 200, `"id":"c1-renamed"`)
		expect(t, s.do(t, "POST", "/data/mother-child/1.0/read", `{"query":{"content":{"id":"c1-renamed"}}}`, nil), 200, "Tallinn Anna")
		r := s.do(t, "PUT", "/data/mother-child/1.0/update", `{"query":{"content":{"id":"c2"}},"write":{"content":{"id":"c1-renamed"}}}`, nil)
		expect(t, r, 409, `"code":"ALREADY_EXISTS"`)
		if !strings.Contains(r.body, "primary key") {
			t.Errorf("the conflict does not say it is the key: %s", r.body)
		}
	})
}
