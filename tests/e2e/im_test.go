package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestInformationMediator drives the IM's own APIs through the running stack: the directory shows the BBs
// and their endpoints, /r1 routing reaches a BB, and a BB's event reaches a pull subscriber through pub/sub.
func TestInformationMediator(t *testing.T) {
	s := startStack(t)
	as := func(who string) map[string]string {
		return map[string]string{"Information-Mediator-Client": "", "X-GovStack-Client": who}
	}
	const room = "/r1/GOVSTACK/GOV/GOVSTACK/registries"
	const portal = "EE/GOV/70000001/portal"

	t.Run("directory", func(t *testing.T) {
		expect(t, s.do(t, "GET", "/listClients", "", nil), 200, `"applicationCode":"registries"`)
		expect(t, s.do(t, "GET", room+"/listMethods", "", as(portal)), 200,
			`/govstack.registries.v1.RegistriesService/ReadRecord`)
		expect(t, s.do(t, "GET", room+"/getOpenAPI?serviceCode=registries", "", as(portal)), 200, `"openapi": "3.0.3"`)
		expect(t, s.do(t, "GET", room+"/getOpenAPI", "", as(portal)), 400, `serviceCode`)
	})

	t.Run("r1 routing reaches the BB", func(t *testing.T) {
		expect(t, s.do(t, "GET", room+"/registries/data/cities/1.0", "", as(portal)), 200, `"results":[`)
		expect(t, s.do(t, "GET", room+"/nosuchservice/data/cities/1.0", "", as(portal)), 404, `no service nosuchservice`)
	})

	t.Run("a BB event reaches a pull subscriber", func(t *testing.T) {
		const event = "govstack.registries.v1.record.created"
		expect(t, s.do(t, "POST", room+"/api/v1/subs/"+event, `{"delivery":"PULL"}`, as(portal)), 200, `"delivery":"PULL"`)
		expect(t, s.do(t, "POST", "/data/cities/1.0/create",
			`{"write":{"content":{"id":"city-pubsub","name":"Pubsubville","country":"EE"}}}`, as(portal)), 200)
		deadline := time.Now().Add(20 * time.Second)
		for {
			r := s.do(t, "GET", room+"/pull/v1/"+event+"?wait=5", "", as(portal))
			if r.code == 200 && strings.Contains(r.body, `"recordId":"city-pubsub"`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the record.created event did not reach the pull subscription: %d %s", r.code, r.body)
			}
		}
	})
}
