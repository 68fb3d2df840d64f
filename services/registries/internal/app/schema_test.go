package app

import (
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

var schema = map[string]any{"type": "object", "required": []any{"id", "name"},
	"properties": map[string]any{
		"id":      map[string]any{"type": "string", "primaryKey": true, "triggers": []any{map[string]any{"x": 1.0}}},
		"name":    map[string]any{"type": "string", "minLength": 2},
		"a/b":     map[string]any{"type": "integer"},
		"address": map[string]any{"type": "object", "required": []any{"city"}, "properties": map[string]any{"city": map[string]any{"type": "string"}}},
	}}

func TestValidateNamesEachFailingField(t *testing.T) {
	sch, err := CompileSchema(schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(sch, map[string]any{"id": "1", "name": "Ann"}); err != nil {
		t.Fatalf("valid record refused: %v", err)
	}
	err = Validate(sch, map[string]any{"id": "1", "name": "A", "a/b": 1.5, "address": map[string]any{}})
	e, ok := apierr.As(err)
	if !ok || e.Kind != apierr.KindInvalidArgument || e.Reason != domain.ReasonSchemaViolation {
		t.Fatalf("Validate = %v", err)
	}
	got := map[string]string{}
	for _, v := range e.Violations {
		got[v.Field] = v.Description
	}
	for _, field := range []string{"/name", "/a~1b", "/address/city"} {
		if got[field] == "" {
			t.Errorf("no violation on %s: %+v", field, e.Violations)
		}
	}
	if len(got) != 3 {
		t.Errorf("violations %+v, want exactly 3 fields", e.Violations)
	}
}

func TestCompileSchemaRefusesInvalidSchemas(t *testing.T) {
	for name, doc := range map[string]map[string]any{
		"unknown type":   {"type": "object", "properties": map[string]any{"a": map[string]any{"type": "text"}}},
		"bad minLength":  {"type": "object", "properties": map[string]any{"a": map[string]any{"minLength": "two"}}},
		"remote ref":     {"$ref": "https://example.org/s.json"},
		"file ref":       {"$ref": "file:///etc/passwd"},
		"bad regex":      {"type": "object", "properties": map[string]any{"a": map[string]any{"pattern": "(("}}},
		"unknown draft ": {"$schema": "https://example.org/my-draft"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := CompileSchema(doc)
			if e, ok := apierr.As(err); !ok || e.Kind != apierr.KindInvalidArgument || len(e.Violations) != 1 {
				t.Fatalf("CompileSchema = %v, want a 400 naming the schema", err)
			}
		})
	}
}

func TestSchemaCacheRecompilesAfterModification(t *testing.T) {
	c := NewSchemaCache()
	r := domain.Registry{ID: 1, Schema: schema, ModifiedAt: time.Unix(100, 0)}
	first, err := c.For(r)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := c.For(r)
	if again != first {
		t.Error("unchanged registry was compiled again")
	}
	r.ModifiedAt = time.Unix(200, 0)
	r.Schema = map[string]any{"type": "object", "required": []any{"other"}}
	next, err := c.For(r)
	if err != nil || next == first {
		t.Fatalf("modified registry kept the old schema (%v)", err)
	}
	if Validate(next, map[string]any{"id": "1", "name": "Ann"}) == nil {
		t.Error("new schema not applied")
	}
}
