package directory_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const yamlSpec = "openapi: 3.0.3\ninfo: {title: Citizens registry, version: '1'}\npaths:\n  /citizens: {}\n"

// specServer serves the description a configuration's specUrl names, and a few that are not one.
func specServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/spec.yaml":
			w.Header().Set("Content-Type", "application/yaml")
			fmt.Fprint(w, yamlSpec)
		case "/page.html":
			fmt.Fprint(w, "<html>not a spec</html>")
		case "/huge.json":
			fmt.Fprint(w, `{"openapi":"3.0.3","paths":{},"x":"`+strings.Repeat("a", 5<<20)+`"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func confWith(service string) string {
	return `{"domain":"d","instance":"GOVSTACK","members":[{"name":"MinistryOfInterior","class":"GOV","code":"7003",
		"applications":[{"id":"CitizensRegistry","services":[` + service + `]}]}]}`
}

const mctsOpenAPI = "/r1/GOVSTACK/GOV/7003/CitizensRegistry/getOpenAPI?serviceCode=mcts"

// A service registered through the configuration API carries its OpenAPI description: fetched from specUrl,
// or given inline, and getOpenAPI serves it as given. Re-applying what GET shows keeps it.
func TestConfiguredServicesCarryTheirOpenAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := specServer(t)
	e.expect(e.do("PATCH", "/api/v1/config", admin, confWith(`{"id":"mcts","specUrl":"`+srv.URL+`/spec.yaml"}`)), 201)
	r := e.do("GET", mctsOpenAPI, portal, nil)
	e.expect(r, 200, "Citizens registry")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/yaml") || r.body != yamlSpec {
		t.Fatalf("getOpenAPI = %q %q, want the YAML as fetched", ct, r.body)
	}
	// GET /api/v1/config shows this IM's own URL; applying it again keeps the description.
	conf := e.do("GET", "/api/v1/config", admin, nil)
	e.expect(conf, 200, mctsOpenAPI)
	e.expect(e.do("PUT", "/api/v1/config", admin, conf.body), 201)
	e.expect(e.do("GET", mctsOpenAPI, portal, nil), 200, "Citizens registry")
	// Inline, as a JSON object (or a YAML string).
	e.expect(e.do("PATCH", "/api/v1/config", admin, confWith(`{"id":"mcts","openapi":{"openapi":"3.0.3","info":{"title":"Inline"},"paths":{}}}`)), 201)
	r = e.do("GET", mctsOpenAPI, portal, nil)
	e.expect(r, 200, `"title":"Inline"`)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q for a JSON description", ct)
	}
	e.expect(e.do("PATCH", "/api/v1/config", admin, confWith(`{"id":"mcts","openapi":`+jsonString(yamlSpec)+`}`)), 201)
	e.expect(e.do("GET", mctsOpenAPI, portal, nil), 200, "title: Citizens registry")
}

func jsonString(s string) string {
	return `"` + strings.NewReplacer("\n", `\n`, `"`, `\"`).Replace(s) + `"`
}

// A specUrl that gives no description is a 400 naming the field and saying why, and nothing is registered.
func TestConfiguredOpenAPIMistakes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := specServer(t)
	for service, want := range map[string]string{
		`{"id":"mcts","specUrl":"` + srv.URL + `/missing.json"}`: "answered 404",
		`{"id":"mcts","specUrl":"` + srv.URL + `/page.html"}`:    "not an OpenAPI description",
		`{"id":"mcts","specUrl":"` + srv.URL + `/huge.json"}`:    "larger than 4 MiB",
		`{"id":"mcts","specUrl":"ftp://example.org/x"}`:          "absolute http or https URL",
		`{"id":"mcts","specUrl":"http://127.0.0.1:1/x"}`:         "could not be fetched",
		`{"id":"mcts","openapi":{"info":{}}}`:                    `needs \"openapi\": \"3.x\"`,
		`{"id":"mcts","openapi":{"openapi":"3.0.0"}}`:            `no \"paths\"`,
	} {
		r := e.do("PATCH", "/api/v1/config", admin, confWith(service))
		e.expect(r, 400, want, `"field":"members[0].applications[0].services[0].`)
	}
	if ok, _ := e.store.SubsystemExists(t.Context(), client("GOVSTACK/GOV/7003/CitizensRegistry")); ok {
		t.Fatal("a configuration with a bad description was partly applied")
	}
}

// An admin or the provider itself uploads a service's description; nobody else may.
func TestUploadServiceOpenAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const path = "/api/v1/clients/GOVSTACK:GOV:GOVSTACK:registries/services/registries/openapi"
	e.expect(e.do("PUT", path, portal, yamlSpec), 403, "only IM admins and the provider")
	e.expect(e.do("PUT", path, provider, yamlSpec), 204)
	e.expect(e.do("GET", "/r1/GOVSTACK/GOV/GOVSTACK/registries/getOpenAPI?serviceCode=registries", portal, nil), 200, "Citizens registry")
	e.expect(e.do("PUT", path, admin, `{"openapi":"3.1.0","paths":{"/x":{}}}`), 204)
	e.expect(e.do("PUT", path, admin, "openapi: 3.1\npaths: {}\n"), 204)
	e.expect(e.do("PUT", path, admin, "swagger: 2.0\npaths: {}\n"), 204)
	e.expect(e.do("PUT", path, admin, "<html>"), 400, "not an OpenAPI description")
	e.expect(e.do("PUT", path, admin, "openapi: 3.0.0\npaths: {}\n\x00"), 400, "not UTF-8 text")
	e.expect(e.do("PUT", path, admin, strings.Repeat("a", 5<<20)), 413, "larger than 4 MiB")
	e.expect(e.do("PUT", "/api/v1/clients/GOVSTACK:GOV:GOVSTACK:registries/services/nope/openapi", admin, yamlSpec), 404, "no service nope")
	e.expect(e.do("PUT", path, client("GOVSTACK/GOV/GOVSTACK/registries"), nil), 400)
}
