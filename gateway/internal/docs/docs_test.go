package docs

import (
	"net/http/httptest"
	"strings"
	"testing"
)

const tiny = `{"swagger":"2.0","info":{"title":"Tiny <BB>","version":"1"},
"paths":{"/things/{id}":{"get":{"summary":"Get a thing.","operationId":"Things_Get",
"parameters":[{"name":"id","in":"path","required":true,"type":"string"}],
"responses":{"200":{"schema":{"$ref":"#/definitions/v1Thing"}}}}}},
"definitions":{"v1Thing":{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}},
"attrs":{"type":"object","additionalProperties":{"type":"string"}}}}}}`

func TestPage(t *testing.T) {
	d, err := New([]Spec{{BB: "tiny", JSON: []byte(tiny)}}, []Alias{{Old: "/old", Current: "/new"}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	d.Page().ServeHTTP(rec, httptest.NewRequest("GET", "/docs", nil))
	page := rec.Body.String()
	for _, want := range []string{"/things/{id}", "Get a thing.", `href="#def-tiny-v1Thing"`, "array of string",
		"map (object with any keys)", "Tiny &lt;BB&gt;", "/old", "/openapi/tiny.json"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if h, ok := d.Spec("tiny"); !ok || h == nil {
		t.Error("Spec(tiny) missing")
	}
	if _, ok := d.Spec("nope"); ok {
		t.Error("Spec(nope) found")
	}
}

func TestNewRefusesBrokenDocument(t *testing.T) {
	if _, err := New([]Spec{{BB: "bad", JSON: []byte("{")}}, nil); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Errorf("New = %v, want an error naming the BB", err)
	}
}
