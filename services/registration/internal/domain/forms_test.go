package domain

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func TestFormValidatorNamesEachViolation(t *testing.T) {
	form := EForm{ID: "f1", Name: "Test", Schema: map[string]any{
		"type": "object", "required": []any{"email", "a/b"}, "additionalProperties": false,
		"properties": map[string]any{
			"email": map[string]any{"type": "string", "format": "email"},
			"a/b":   map[string]any{"type": "string"},
			"kids":  map[string]any{"type": "array", "items": map[string]any{"type": "string", "maxLength": 3}},
		}}}
	v := NewFormValidator()
	if err := v.Validate(form, map[string]any{"email": "a@example.org", "a/b": "x", "kids": []any{"Ann"}}); err != nil {
		t.Fatalf("valid data refused: %v", err)
	}
	err := v.Validate(form, map[string]any{"email": "nope", "kids": []any{"Ann", "Bartholomew"}, "extra": 1.0})
	e, ok := apierr.As(err)
	if !ok || e.Reason != "INVALID_FORM_DATA" {
		t.Fatalf("err = %v", err)
	}
	got := map[string]bool{}
	for _, fv := range e.Violations {
		got[fv.Field] = true
	}
	for _, want := range []string{"/formData/data/email", "/formData/data/a~1b", "/formData/data/kids/1", "/formData/data/extra"} {
		if !got[want] {
			t.Errorf("no violation on %s in %v", want, e.Violations)
		}
	}
	if len(e.Violations) != 4 {
		t.Errorf("violations = %v", e.Violations)
	}
}
