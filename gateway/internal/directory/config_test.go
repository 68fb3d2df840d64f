package directory_test

import (
	"context"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
)

func TestConfigurationAPINeedsAnAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, rt := range []struct{ method, path string }{
		{"GET", "/api/v1/config"}, {"PATCH", "/api/v1/config"}, {"PUT", "/api/v1/config"}, {"POST", "/api/v1/config"},
		{"GET", "/api/v1/status"}, {"POST", "/api/v1/clients/GOVSTACK:GOV:70000001:portal/apikeys"},
		{"PUT", "/api/v1/groups/g"},
	} {
		e.expect(e.do(rt.method, rt.path, imident.Client{}, nil), 401)
		e.expect(e.do(rt.method, rt.path, portal, nil), 403, "not an IM admin")
	}
	e.expect(e.do("GET", "/api/v1/status", admin, nil), 200, `"status":"UP"`, `"services":1`)
}

// specExample is GovStack_Configuration.yaml's shape: rights name members by name and without a class. Its
// specUrl is this IM's own getOpenAPI URL of the service, which registers no description (GET shows it so).
const specExample = `{"domain":"sample.govstack.net","instance":"GOVSTACK","members":[
 {"name":"LocalMunicipality","class":"GOV","code":"7001","applications":[{"id":"Registration"}]},
 {"name":"MinistryOfInterior","class":"GOV","code":"7003","applications":[{"id":"CitizensRegistry","services":[
   {"id":"mcts","specUrl":"/r1/GOVSTACK/GOV/7003/CitizensRegistry/getOpenAPI?serviceCode=mcts","serviceUrl":"grpc://10.0.0.5:9000","rights":[
     {"member":"LocalMunicipality","application":"Registration"},
     {"member":"70000001","memberClass":"GOV","application":"portal","endpoints":["/a.B/C"]},
     {"group":"all"}]}]}]}]}`

func TestConfigurationRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(e.do("PATCH", "/api/v1/config", admin, specExample), 201, "configuration applied", "3 right(s)")
	ctx := context.Background()
	mcts := registry.ServiceRef{Provider: client("GOVSTACK/GOV/7003/CitizensRegistry"), Code: "mcts"}
	// Registration by its member's name, everyone else through the group "all"; on any endpoint, as the
	// grants are on the whole service.
	for _, c := range []imident.Client{client("GOVSTACK/GOV/7001/Registration"), other} {
		d, err := e.store.Check(ctx, c, mcts.Provider, "mcts", "/a.B/D")
		must(t, err)
		if !d.Allowed {
			t.Fatalf("%s refused: %s", c, d.Reason)
		}
	}
	if r, err := e.store.ListRights(ctx, registry.RightsFilter{ServiceCode: "mcts"}, registry.Cursor{}, 10); err != nil || len(r) != 3 {
		t.Fatalf("rights of mcts: %+v %v", r, err)
	}
	var conf struct {
		Domain, Instance string
		Members          []struct {
			Code         string
			Applications []struct {
				ID       string
				Services []struct {
					ID, ServiceURL, SpecURL string
					Enabled                 bool
					Rights                  []map[string]any
				}
			}
		}
	}
	r := e.do("GET", "/api/v1/config", admin, nil)
	e.expect(r, 200)
	r.json(t, &conf)
	found := false
	for _, m := range conf.Members {
		for _, a := range m.Applications {
			for _, s := range a.Services {
				if s.ID == "mcts" {
					found = s.ServiceURL == "grpc://10.0.0.5:9000" && s.Enabled && len(s.Rights) == 3 &&
						strings.Contains(s.SpecURL, "getOpenAPI?serviceCode=mcts")
				}
			}
		}
	}
	if !found || conf.Domain != "govstack.local" || conf.Instance != "GOVSTACK" {
		t.Fatalf("GET config = %s", r.body)
	}
	// Re-applying is idempotent.
	e.expect(e.do("POST", "/api/v1/config", admin, specExample), 201)
}

func TestConfigurationPutReplaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(e.do("PATCH", "/api/v1/config", admin, specExample), 201)
	replacement := `{"domain":"d","instance":"GOVSTACK","members":[{"name":"MinistryOfInterior","class":"GOV","code":"7003",
		"applications":[{"id":"CitizensRegistry","services":[{"id":"other","rights":[{"member":"7001","application":"Registration"}]},
		{"id":"mcts","rights":[{"member":"7001","application":"Registration"}]}]}]}]}`
	e.expect(e.do("PUT", "/api/v1/config", admin, replacement), 201)
	ctx := context.Background()
	p := client("GOVSTACK/GOV/7003/CitizensRegistry")
	d, _ := e.store.Check(ctx, other, p, "mcts", "/a.B/C")
	if d.Allowed {
		t.Fatal("the grant to all survived PUT")
	}
	d, _ = e.store.Check(ctx, client("GOVSTACK/GOV/7001/Registration"), p, "mcts", "/a.B/C")
	if !d.Allowed {
		t.Fatalf("described right missing after PUT: %s", d.Reason)
	}
}

func TestConfigurationBadBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for body, want := range map[string]string{
		``:                 "empty",
		`{"domain":`:       "not valid JSON",
		`{"instance":"X"}`: "domain and instance are required",
		`{"domain":"d","instance":"GOVSTACK","members":[{"name":"n","class":"GOV","code":"1","applications":[{"id":"a","services":[{"id":"s","rights":[{"member":"ghost","application":"x"}]}]}]}]}`: "neither registered nor described",
		`{"domain":"d","instance":"GOVSTACK","members":[{"name":"n","class":"","code":"1"}]}`:                                                                                                        "invalid member identifier",
	} {
		e.expect(e.do("PATCH", "/api/v1/config", admin, body), 400, want)
	}
	// A mistake in a right is found before anything is registered.
	if ok, _ := e.store.SubsystemExists(context.Background(), client("GOVSTACK/GOV/1/a")); ok {
		t.Fatal("a rejected configuration was partly applied")
	}
}

func TestConfigurationIsAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := `{"domain":"d","instance":"GOVSTACK","members":[{"name":"n","class":"GOV","code":"9","applications":[{"id":"a","services":[
		{"id":"s","rights":[{"member":"70000001","application":"portal","endpoints":["/a.B/C"]}]},
		{"id":"t","rights":[{"member":"70000001","application":"nosuchapp"}]}]}]}]}`
	e.expect(e.do("PATCH", "/api/v1/config", admin, body), 404, "not registered")
	if ok, _ := e.store.SubsystemExists(context.Background(), client("GOVSTACK/GOV/9/a")); ok {
		t.Fatal("a failed configuration was partly applied")
	}
}
