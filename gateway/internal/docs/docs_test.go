package docs

import (
	"net/http/httptest"
	"strings"
	"testing"
)

const tiny = `{"openapi":"3.0.3","info":{"title":"Tiny <BB>","version":"1"},
"paths":{"/things/{id}":{"parameters":[{"$ref":"#/components/parameters/id"}],
"get":{"summary":"Get a thing.","operationId":"Things_Get",
"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/v1Thing"}}}}}},
"put":{"operationId":"Things_Put","requestBody":{"$ref":"#/components/requestBodies/thing"},
"responses":{"201":{"description":"ok"}}}}},
"components":{"parameters":{"id":{"name":"id","in":"path","required":true,"schema":{"type":"string"}}},
"requestBodies":{"thing":{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/v1Thing"}}}}},
"schemas":{"v1Thing":{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}},
"state":{"type":"string","enum":["booked","cancelled"]},
"attrs":{"type":"object","additionalProperties":{"type":"string"}}}}}}}`

func TestPage(t *testing.T) {
	d, err := New([]Spec{{BB: "tiny", JSON: []byte(`{"swagger":"2.0"}`), V3: []byte(tiny)}}, []Alias{{Old: "/old", Current: "/new"}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	d.Page().ServeHTTP(rec, httptest.NewRequest("GET", "/docs", nil))
	page := rec.Body.String()
	for _, want := range []string{"/things/{id}", "Get a thing.", `href="#def-tiny-v1Thing"`, "array of string",
		"map (object with any keys)", "Tiny &lt;BB&gt;", "/old", "/openapi/tiny.json", "/openapi/v3/tiny.json",
		"one of booked, cancelled", "<code>id</code> <span class=\"req\">required</span>", "(body)"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for name, get := range map[string]func(string) (h any, ok bool){
		"Spec":   func(n string) (any, bool) { return d.Spec(n) },
		"SpecV3": func(n string) (any, bool) { return d.SpecV3(n) },
	} {
		if h, ok := get("tiny"); !ok || h == nil {
			t.Errorf("%s(tiny) missing", name)
		}
		if _, ok := get("nope"); ok {
			t.Errorf("%s(nope) found", name)
		}
	}
}

func TestNewRefusesBrokenDocument(t *testing.T) {
	if _, err := New([]Spec{{BB: "bad", V3: []byte("{")}}, nil); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Errorf("New = %v, want an error naming the document", err)
	}
}
