package e2e

// What the malformed-request sweep reads of the OpenAPI documents the gateway serves: each operation, its
// parameters and the properties of its body.

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/gateway/openapi"
)

// operation is one method and path of an OpenAPI document with what the sweep needs of its parameters.
type operation struct {
	bb, method, path string
	invalidStatus    int // what the operation's spec answers invalid input with: 400, or Messaging's 405
	pathParams       []param
	queryParams      []param
	body             map[string]prop // top-level properties of the body; nil when there is no body
	bodyList         bool            // the body is a JSON list of objects
}

type param struct{ name, typ string }

type prop struct{ typ, format string } // typ "message" for an object with properties of its own

// mutation is one malformed request: what is changed, and the field it must be refused for ("" when the
// request may be accepted or refused for another reason, as long as it is not a 5xx).
type mutation struct {
	kind, field       string
	path, query, body string
	headers           map[string]string
}

func openAPIOperations(t *testing.T) []operation {
	t.Helper()
	specs, err := openapi.Specs()
	if err != nil {
		t.Fatal(err)
	}
	var ops []operation
	for _, spec := range specs {
		var doc oasDoc
		if err := json.Unmarshal(spec.V3, &doc); err != nil {
			t.Fatalf("%s: %v", spec.BB, err)
		}
		paths := make([]string, 0, len(doc.Paths))
		for p := range doc.Paths {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			var shared []oasParam
			if raw, ok := doc.Paths[p]["parameters"]; ok {
				if err := json.Unmarshal(raw, &shared); err != nil {
					t.Fatalf("%s %s: %v", spec.BB, p, err)
				}
			}
			for method, raw := range doc.Paths[p] {
				if method == "parameters" {
					continue
				}
				var op oasOp
				if err := json.Unmarshal(raw, &op); err != nil {
					t.Fatalf("%s %s %s: %v", spec.BB, method, p, err)
				}
				op.Parameters = append(append([]oasParam{}, shared...), op.Parameters...)
				ops = append(ops, doc.operation(spec.BB, strings.ToUpper(method), p, op))
			}
		}
	}
	return ops
}

// oasDoc is the part of an OpenAPI 3 document the sweep reads.
type oasDoc struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas    map[string]oasSchema `json:"schemas"`
		Parameters map[string]oasParam  `json:"parameters"`
	} `json:"components"`
}

type oasOp struct {
	Responses   map[string]json.RawMessage `json:"responses"`
	Parameters  []oasParam                 `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema *oasSchema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
}

type oasParam struct {
	Ref    string    `json:"$ref"`
	Name   string    `json:"name"`
	In     string    `json:"in"`
	Schema oasSchema `json:"schema"`
}

type oasSchema struct {
	Ref        string               `json:"$ref"`
	Type       string               `json:"type"`
	Format     string               `json:"format"`
	Enum       []string             `json:"enum"`
	Properties map[string]oasSchema `json:"properties"`
}

func (d oasDoc) resolve(s oasSchema) oasSchema {
	for range 10 {
		if s.Ref == "" {
			return s
		}
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

func (d oasDoc) operation(bb, method, path string, op oasOp) operation {
	o := operation{bb: bb, method: method, path: path, invalidStatus: 400}
	if _, has405 := op.Responses["405"]; has405 {
		if _, has400 := op.Responses["400"]; !has400 {
			o.invalidStatus = 405
		}
	}
	for _, p := range op.Parameters {
		if p.Ref != "" {
			p = d.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
		}
		switch p.In {
		case "path":
			o.pathParams = append(o.pathParams, param{p.Name, p.Schema.Type})
		case "query":
			o.queryParams = append(o.queryParams, param{p.Name, p.Schema.Type})
		}
	}
	if op.RequestBody == nil {
		return o
	}
	o.body = map[string]prop{}
	mt, ok := op.RequestBody.Content["application/json"]
	if !ok || mt.Schema == nil {
		return o
	}
	o.bodyList = d.resolve(*mt.Schema).Type == "array"
	for name, ps := range d.resolve(*mt.Schema).Properties {
		r := d.resolve(ps)
		pr := prop{typ: r.Type, format: r.Format}
		if len(r.Enum) > 0 {
			pr.typ = "enum"
		} else if r.Type == "object" && len(r.Properties) > 0 {
			pr.typ = "message"
		}
		o.body[name] = pr
	}
	return o
}
