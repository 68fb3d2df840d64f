package docs

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The subset of an OpenAPI 3 document the docs page shows. Fields the page does not render are not read.
type oas3 struct {
	Info struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Version     string `json:"version"`
	} `json:"info"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"` // method → operation; "parameters" → shared ones
	Components struct {
		Schemas       map[string]*schema     `json:"schemas"`
		Parameters    map[string]parameter   `json:"parameters"`
		RequestBodies map[string]requestBody `json:"requestBodies"`
	} `json:"components"`
}

type operation struct {
	Summary     string              `json:"summary"`
	Description string              `json:"description"`
	OperationID string              `json:"operationId"`
	Parameters  []parameter         `json:"parameters"`
	RequestBody *requestBody        `json:"requestBody"`
	Responses   map[string]response `json:"responses"`
}

type parameter struct {
	Ref         string  `json:"$ref"`
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Description string  `json:"description"`
	Required    bool    `json:"required"`
	Schema      *schema `json:"schema"`
}

type requestBody struct {
	Ref         string               `json:"$ref"`
	Description string               `json:"description"`
	Required    bool                 `json:"required"`
	Content     map[string]mediaType `json:"content"`
}

type mediaType struct {
	Schema *schema `json:"schema"`
}

type response struct {
	Description string               `json:"description"`
	Content     map[string]mediaType `json:"content"`
}

type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Format               string             `json:"format"`
	Title                string             `json:"title"`
	Description          string             `json:"description"`
	Enum                 []any              `json:"enum"`
	Properties           map[string]*schema `json:"properties"`
	Items                *schema            `json:"items"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
}

// methodOrder lists methods in the order readers expect: read, create, change, delete.
var methodOrder = []string{"get", "post", "put", "patch", "delete"}

// view builds the page model of one document.
func view(name string, raw []byte) (bbView, error) {
	var doc oas3
	if err := json.Unmarshal(raw, &doc); err != nil {
		return bbView{}, fmt.Errorf("docs: %s OpenAPI 3 document: %w", name, err)
	}
	v := bbView{BB: name, Title: doc.Info.Title, Description: doc.Info.Description, Version: doc.Info.Version,
		SpecURL: SpecPath(name), SpecV3URL: SpecV3Path(name)}
	for _, p := range sortedKeys(doc.Paths) {
		var shared []parameter
		if raw, ok := doc.Paths[p]["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				return bbView{}, fmt.Errorf("docs: %s %s parameters: %w", name, p, err)
			}
		}
		for _, m := range methodOrder {
			raw, ok := doc.Paths[p][m]
			if !ok {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				return bbView{}, fmt.Errorf("docs: %s %s %s: %w", name, m, p, err)
			}
			v.Ops = append(v.Ops, doc.opView(name, m, p, op, shared))
		}
	}
	for _, n := range sortedKeys(doc.Components.Schemas) {
		v.Defs = append(v.Defs, defOf(name, n, doc.Components.Schemas[n]))
	}
	return v, nil
}

func (doc oas3) opView(name, method, path string, op operation, shared []parameter) opView {
	ov := opView{Method: strings.ToUpper(method), Path: path, Summary: op.Summary, Description: op.Description,
		ID: op.OperationID, Anchor: "op-" + name + "-" + firstNonEmpty(op.OperationID, method+path)}
	for _, prm := range append(slices.Clone(shared), op.Parameters...) {
		if prm.Ref != "" {
			prm = doc.Components.Parameters[strings.TrimPrefix(prm.Ref, "#/components/parameters/")]
		}
		ov.Params = append(ov.Params, paramView{Name: prm.Name, In: prm.In, Description: prm.Description,
			Required: prm.Required, Type: typeOf(name, prm.Schema)})
	}
	if b := op.RequestBody; b != nil {
		if b.Ref != "" {
			rb := doc.Components.RequestBodies[strings.TrimPrefix(b.Ref, "#/components/requestBodies/")]
			b = &rb
		}
		ov.Params = append(ov.Params, paramView{Name: "(body)", In: "body", Description: b.Description,
			Required: b.Required, Type: typeOf(name, jsonSchema(b.Content))})
	}
	for _, status := range []string{"200", "201"} {
		if r, ok := op.Responses[status]; ok {
			ov.Response, ov.ResponseStatus = typeOf(name, jsonSchema(r.Content)), status
			break
		}
	}
	return ov
}

func jsonSchema(content map[string]mediaType) *schema {
	if mt, ok := content["application/json"]; ok {
		return mt.Schema
	}
	for _, k := range sortedKeys(content) {
		return content[k].Schema
	}
	return nil
}

func defOf(doc, name string, d *schema) defView {
	dv := defView{Name: name, Anchor: anchor(doc, name), Description: firstNonEmpty(d.Description, d.Title),
		Type: typeOf(doc, &schema{Type: d.Type, Format: d.Format, Items: d.Items, Enum: d.Enum,
			AdditionalProperties: d.AdditionalProperties})}
	for _, pn := range sortedKeys(d.Properties) {
		p := d.Properties[pn]
		dv.Props = append(dv.Props, propView{Name: pn, Description: firstNonEmpty(p.Description, p.Title),
			Type: typeOf(doc, p)})
	}
	return dv
}

// typeOf describes a schema in a few words, linking to the definition it refers to.
func typeOf(doc string, s *schema) typeView {
	switch {
	case s == nil:
		return typeView{}
	case s.Ref != "":
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		return typeView{Text: name, Anchor: anchor(doc, name)}
	case len(s.Enum) > 0:
		values := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			values[i] = fmt.Sprint(e)
		}
		return typeView{Text: "one of " + strings.Join(values, ", ")}
	case s.Type == "array":
		item := typeOf(doc, s.Items)
		return typeView{Text: "array of " + firstNonEmpty(item.Text, "any"), Anchor: item.Anchor}
	case s.Type == "object" && len(s.AdditionalProperties) > 0 && string(s.AdditionalProperties) != "false":
		return typeView{Text: "map (object with any keys)"}
	case s.Format != "":
		return typeView{Text: s.Type + " (" + s.Format + ")"}
	case s.Type == "":
		return typeView{Text: "any JSON"}
	default:
		return typeView{Text: s.Type}
	}
}

func anchor(doc, def string) string { return "def-" + doc + "-" + def }

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
