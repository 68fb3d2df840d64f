package directory_test

import (
	"context"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
)

const r1 = "/r1/GOVSTACK/GOV/GOVSTACK/registries"

func TestRoutesCoexistWithTheBBRouting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if r := e.do("GET", r1+"/registries/data/x/1/read", portal, nil); r.header.Get("X-Routed") != "bb" {
		t.Fatalf("BB route not reached: %+v", r)
	}
	if r := e.do("GET", "/data/x/1/read", portal, nil); r.header.Get("X-Routed") != "rest" {
		t.Fatalf("REST mux not reached: %+v", r)
	}
	for _, prefix := range []string{r1, "/GOVSTACK/GOV/GOVSTACK/registries"} {
		e.expect(e.do("GET", prefix+"/listMethods", portal, nil), 200, `"serviceCode":"registries"`)
	}
}

func TestListClients(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var out struct {
		Member []struct {
			Name string
			ID   map[string]string
		}
	}
	r := e.do("GET", "/listClients", imident.Client{}, nil) // public
	e.expect(r, 200)
	r.json(t, &out)
	found := false
	for _, m := range out.Member {
		if m.ID["objectType"] == "APPLICATION" && m.ID["memberCode"] == "70000001" && m.ID["applicationCode"] == "portal" {
			found = m.Name == "Ministry of Interior" && m.ID["instanceId"] == "GOVSTACK" && m.ID["memberClass"] == "GOV"
		}
	}
	if !found || len(out.Member) < 6 {
		t.Fatalf("listClients = %s", r.body)
	}
	e.expect(e.do("GET", "/listClients?instanceId=NOPE", imident.Client{}, nil), 200, `{"member":[]}`)
}

func TestListAndAllowedMethods(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	must(t, e.store.Allow(context.Background(), registry.Subject{Client: portal},
		registry.ServiceRef{Provider: provider, Code: "registries"}, readRecord))
	type list struct {
		Member []struct {
			ServiceCode  string
			EndpointList struct {
				Member []struct{ Method, Path, Endpoint string }
			}
		}
	}
	var all, mine list
	e.do("GET", r1+"/listMethods", portal, nil).json(t, &all)
	if len(all.Member) != 1 || len(all.Member[0].EndpointList.Member) != 2 {
		t.Fatalf("listMethods = %+v", all)
	}
	e.do("GET", "/GOVSTACK/GOV/GOVSTACK/registries/allowedMethods", portal, nil).json(t, &mine)
	if len(mine.Member) != 1 || len(mine.Member[0].EndpointList.Member) != 1 ||
		mine.Member[0].EndpointList.Member[0].Endpoint != readRecord || mine.Member[0].EndpointList.Member[0].Method != "POST" {
		t.Fatalf("allowedMethods = %+v", mine)
	}
	e.expect(e.do("GET", r1+"/allowedMethods", other, nil), 200, `{"member":[]}`)
	e.expect(e.do("GET", r1+"/listMethods?serviceId=nope", other, nil), 200, `{"member":[]}`)
	e.expect(e.do("GET", r1+"/listMethods", imident.Client{}, nil), 401, "authenticated client")
	e.expect(e.do("GET", "/r1/GOVSTACK/GOV/NOBODY/x/listMethods", portal, nil), 404, "listClients")
}

func TestGetOpenAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do("GET", r1+"/getOpenAPI?serviceCode=registries", portal, nil)
	e.expect(r, 200, `"swagger":"2.0"`)
	if r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("content type %q", r.header.Get("Content-Type"))
	}
	e.expect(e.do("GET", "/GOVSTACK/GOV/GOVSTACK/registries/getOpenAPI?serviceCode=registries", portal, nil), 200)
	e.expect(e.do("GET", r1+"/getOpenAPI", portal, nil), 400, "serviceCode")
	e.expect(e.do("GET", r1+"/getOpenAPI?serviceCode=nope", portal, nil), 400, "no service nope")
	e.expect(e.do("GET", "/r1/X/Y/Z/W/getOpenAPI?serviceCode=registries", portal, nil), 400, "listMethods")
	e.expect(e.do("GET", r1+"/getOpenAPI?serviceCode=registries", imident.Client{}, nil), 401)
}
