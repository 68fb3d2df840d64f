package docs

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The subset of a swagger 2.0 document the docs page shows. Fields the page does not render are not read.
type swagger struct {
	Info struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Version     string `json:"version"`
	} `json:"info"`
	Paths       map[string]map[string]operation `json:"paths"`
	Definitions map[string]*schema              `json:"definitions"`
}

type operation struct {
	Summary     string              `json:"summary"`
	Description string              `json:"description"`
	OperationID string              `json:"operationId"`
	Parameters  []parameter         `json:"parameters"`
	Responses   map[string]response `json:"responses"`
}

type parameter struct {
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Description string  `json:"description"`
	Required    bool    `json:"required"`
	Type        string  `json:"type"`
	Format      string  `json:"format"`
	Items       *schema `json:"items"`
	Schema      *schema `json:"schema"`
}

type response struct {
	Description string  `json:"description"`
	Schema      *schema `json:"schema"`
}

type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Format               string             `json:"format"`
	Title                string             `json:"title"`
	Description          string             `json:"description"`
	Properties           map[string]*schema `json:"properties"`
	Items                *schema            `json:"items"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
}

// methodOrder lists methods in the order readers expect: read, create, change, delete.
var methodOrder = []string{"get", "post", "put", "patch", "delete"}

// view builds the page model of one BB from its document.
func view(bb, specURL string, raw []byte) (bbView, error) {
	var doc swagger
	if err := json.Unmarshal(raw, &doc); err != nil {
		return bbView{}, fmt.Errorf("docs: %s OpenAPI document: %w", bb, err)
	}
	v := bbView{BB: bb, Title: doc.Info.Title, Description: doc.Info.Description, Version: doc.Info.Version,
		SpecURL: specURL}
	for _, p := range sortedKeys(doc.Paths) {
		for _, m := range methodOrder {
			op, ok := doc.Paths[p][m]
			if !ok {
				continue
			}
			ov := opView{Method: strings.ToUpper(m), Path: p, Summary: op.Summary, Description: op.Description,
				ID: op.OperationID, Anchor: "op-" + bb + "-" + op.OperationID}
			for _, prm := range op.Parameters {
				t := typeOf(bb, prm.Schema)
				if prm.Schema == nil {
					t = typeOf(bb, &schema{Type: prm.Type, Format: prm.Format, Items: prm.Items})
				}
				ov.Params = append(ov.Params, paramView{Name: prm.Name, In: prm.In, Description: prm.Description,
					Required: prm.Required, Type: t})
			}
			if r, ok := op.Responses["200"]; ok {
				ov.Response = typeOf(bb, r.Schema)
			}
			v.Ops = append(v.Ops, ov)
		}
	}
	for _, name := range sortedKeys(doc.Definitions) {
		d := doc.Definitions[name]
		dv := defView{Name: name, Anchor: anchor(bb, name), Description: firstNonEmpty(d.Description, d.Title),
			Type: typeOf(bb, &schema{Type: d.Type, Format: d.Format, Items: d.Items,
				AdditionalProperties: d.AdditionalProperties})}
		for _, pn := range sortedKeys(d.Properties) {
			p := d.Properties[pn]
			dv.Props = append(dv.Props, propView{Name: pn, Description: firstNonEmpty(p.Description, p.Title),
				Type: typeOf(bb, p)})
		}
		v.Defs = append(v.Defs, dv)
	}
	return v, nil
}

// typeOf describes a schema in a few words, linking to the definition it refers to.
func typeOf(bb string, s *schema) typeView {
	switch {
	case s == nil:
		return typeView{}
	case s.Ref != "":
		name := strings.TrimPrefix(s.Ref, "#/definitions/")
		return typeView{Text: name, Anchor: anchor(bb, name)}
	case s.Type == "array":
		item := typeOf(bb, s.Items)
		return typeView{Text: "array of " + firstNonEmpty(item.Text, "any"), Anchor: item.Anchor}
	case s.Type == "object" && len(s.AdditionalProperties) > 0:
		return typeView{Text: "map (object with any keys)"}
	case s.Format != "":
		return typeView{Text: s.Type + " (" + s.Format + ")"}
	case s.Type == "":
		return typeView{Text: "any JSON"}
	default:
		return typeView{Text: s.Type}
	}
}

func anchor(bb, def string) string { return "def-" + bb + "-" + def }

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
