package directory_test

import (
	"context"
	"testing"
)

func rightsBody(serviceID string, rights ...map[string]any) []map[string]any {
	return []map[string]any{{"memberClass": "GOV", "memberCode": "GOVSTACK", "applicationId": "registries",
		"serviceId": serviceID, "rights": rights}}
}

func TestRightsAllowAndDeny(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	portalRight := map[string]any{"memberClass": "GOV", "memberCode": "70000001", "applicationId": "portal"}
	e.expect(e.do("PATCH", "/api/v1/rights/allow", portal, rightsBody("registries", portalRight)), 403, "only IM admins and the service's provider")
	e.expect(e.do("PATCH", "/api/v1/rights/allow", admin, rightsBody("registries", portalRight)), 200, "1 right(s) allowed")
	if !e.allowed(portal, readRecord) || !e.allowed(portal, createRecord) {
		t.Fatal("whole-service grant not effective")
	}
	// The provider manages its own service: a single endpoint for another client.
	otherRead := map[string]any{"memberClass": "GOV", "memberCode": "70000002", "applicationId": "app", "endpoints": []string{readRecord}}
	e.expect(e.do("PATCH", "/api/v1/rights/allow", provider, rightsBody("registries", otherRead)), 200)
	if !e.allowed(other, readRecord) || e.allowed(other, createRecord) {
		t.Fatal("endpoint grant wrong")
	}
	var page struct {
		NextPageToken string
		AllowList     []struct {
			ServiceID string
			Rights    []map[string]any
		}
	}
	r := e.do("GET", "/api/v1/rights/allow?pageSize=1", admin, nil)
	e.expect(r, 200)
	r.json(t, &page)
	if page.NextPageToken == "" || len(page.AllowList) != 1 || len(page.AllowList[0].Rights) != 1 {
		t.Fatalf("page 1 = %s", r.body)
	}
	r = e.do("GET", "/api/v1/rights/allow?pageSize=1&nextPageToken="+page.NextPageToken, admin, nil)
	page.NextPageToken = ""
	r.json(t, &page)
	if page.NextPageToken != "" || len(page.AllowList) != 1 {
		t.Fatalf("page 2 = %s", r.body)
	}
	e.expect(e.do("GET", "/api/v1/rights/allow", provider, nil), 200, "70000002") // its own services
	e.expect(e.do("GET", "/api/v1/rights/allow?memberCode=GOVSTACK", portal, nil), 403)
	e.expect(e.do("GET", "/api/v1/rights/allow", portal, nil), 200, `"allowList":[]`)
	e.expect(e.do("GET", "/api/v1/rights/allow?pageSize=0", admin, nil), 400, "pageSize")
	e.expect(e.do("GET", "/api/v1/rights/allow?nextPageToken=zzz", admin, nil), 400, "nextPageToken")

	// Deny takes effect on the next check.
	e.expect(e.do("PATCH", "/api/v1/rights/deny", admin, rightsBody("registries", portalRight)), 200, "1 right(s) denied")
	if e.allowed(portal, readRecord) {
		t.Fatal("denied right still allowed")
	}
	e.expect(e.do("PATCH", "/api/v1/rights/allow", admin, rightsBody("nope", portalRight)), 404, "no service nope")
	e.expect(e.do("PATCH", "/api/v1/rights/allow", admin, rightsBody("registries",
		map[string]any{"memberClass": "GOV", "memberCode": "70000001", "applicationId": "portal", "endpoints": []string{"Read"}})), 400, "gRPC full method name")
	e.expect(e.do("PATCH", "/api/v1/rights/allow", admin, `[{"serviceId":"registries"}]`), 400, "rights list")
}

func TestGroupsViaTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(e.do("PUT", "/api/v1/groups/partners", admin, `{"description":"partners"}`), 204)
	e.expect(e.do("PUT", "/api/v1/groups/partners/members/GOVSTACK:GOV:70000001:portal", admin, nil), 204)
	e.expect(e.do("PATCH", "/api/v1/rights/allow", admin, rightsBody("registries", map[string]any{"group": "partners"})), 200)
	if !e.allowed(portal, readRecord) || e.allowed(other, readRecord) {
		t.Fatal("group grant wrong")
	}
	e.expect(e.do("DELETE", "/api/v1/groups/partners/members/GOVSTACK:GOV:70000001:portal", admin, nil), 204)
	if e.allowed(portal, readRecord) {
		t.Fatal("left the group, still allowed")
	}
	e.expect(e.do("PATCH", "/api/v1/clients/GOVSTACK:GOV:GOVSTACK:registries/services/registries", admin, `{"enabled":false}`), 204)
	svc, err := e.store.GetService(context.Background(), provider, "registries")
	if err != nil || svc.Enabled {
		t.Fatalf("service after disabling: %+v %v", svc, err)
	}
}

func TestDenyWithoutEndpointsRevokesEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	right := map[string]any{"memberClass": "GOV", "memberCode": "70000001", "applicationId": "portal", "endpoints": []string{readRecord}}
	e.expect(e.do("PATCH", "/api/v1/rights/allow", admin, rightsBody("registries", right)), 200)
	delete(right, "endpoints")
	e.expect(e.do("PATCH", "/api/v1/rights/allow", admin, rightsBody("registries", right)), 200)
	e.expect(e.do("PATCH", "/api/v1/rights/deny", admin, rightsBody("registries", right)), 200)
	if e.allowed(portal, readRecord) {
		t.Fatal("an endpoint grant survived denying the whole service")
	}
}

func TestRightsBatchIsAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := map[string]any{"memberClass": "GOV", "memberCode": "70000001", "applicationId": "portal"}
	bad := map[string]any{"memberClass": "GOV", "memberCode": "70000002", "applicationId": "app", "endpoints": []string{"/no.Such/Method"}}
	e.expect(e.do("PATCH", "/api/v1/rights/allow", admin, rightsBody("registries", good, bad)), 400, "has no endpoint")
	if e.allowed(portal, readRecord) {
		t.Fatal("the first right of a failed batch was applied")
	}
}
