package domain

import (
	"strings"
	"testing"
	"time"
)

func TestNames(t *testing.T) {
	tests := []struct {
		name  string
		check func() error
		ok    bool
	}{
		{"registry ok", func() error { return ValidateRegistryName("public-sector_domains2") }, true},
		{"registry 64", func() error { return ValidateRegistryName(strings.Repeat("a", 64)) }, true},
		{"registry 65", func() error { return ValidateRegistryName(strings.Repeat("a", 65)) }, false},
		{"registry empty", func() error { return ValidateRegistryName("") }, false},
		{"registry dot", func() error { return ValidateRegistryName("a.b") }, false},
		{"registry slash", func() error { return ValidateRegistryName("a/b") }, false},
		{"version ok", func() error { return ValidateVersion("1.0.2-rc_1") }, true},
		{"version 33", func() error { return ValidateVersion(strings.Repeat("1", 33)) }, false},
		{"version space", func() error { return ValidateVersion("1 0") }, false},
		{"field space", func() error { return ValidateFieldName("f", "First name") }, true},
		{"field unicode", func() error { return ValidateFieldName("f", "sünniaeg") }, true},
		{"field empty", func() error { return ValidateFieldName("f", "") }, false},
		{"field control", func() error { return ValidateFieldName("f", "a\nb") }, false},
		{"field invalid utf8", func() error { return ValidateFieldName("f", "\xff") }, false},
		{"field long", func() error { return ValidateFieldName("f", strings.Repeat("x", 129)) }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.check()
			if tc.ok && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if !tc.ok {
				wantInvalid(t, err, "")
			}
		})
	}
}

func TestParseFieldExt(t *testing.T) {
	tests := []struct {
		in, field string
		errField  string
	}{
		{"firstName.json", "firstName", ""},
		{"First name.JSON", "First name", ""},
		{"address.city.json", "address.city", ""},
		{"firstName", "", "field_ext"},
		{"firstName.xml", "", "field_ext"},
		{".json", "", "field_ext"},
		{"", "", "field_ext"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			field, ext, err := ParseFieldExt(tc.in)
			if tc.errField != "" {
				wantInvalid(t, err, tc.errField)
				return
			}
			if err != nil || field != tc.field || ext != ExtJSON {
				t.Errorf("ParseFieldExt(%q) = %q, %q, %v", tc.in, field, ext, err)
			}
		})
	}
}

func TestNewRegistry(t *testing.T) {
	schema := map[string]any{"type": "object", "properties": map[string]any{
		"code": map[string]any{"type": "string", "primaryKey": true}, "pid": map[string]any{"type": "string"}}}
	r, err := NewRegistry(RegistryDraft{Code: "MCTS", Schema: schema, PersonIDField: "pid"}, "EE/GOV/1/x", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "MCTS" || r.Version != DefaultVersion || r.PrimaryKey != "code" || r.ModifiedBy != "EE/GOV/1/x" {
		t.Errorf("registry = %+v", r)
	}
	bad := []struct {
		d     RegistryDraft
		field string
	}{
		{RegistryDraft{Schema: schema}, "name"},
		{RegistryDraft{Name: "a b", Schema: schema}, "registryName"},
		{RegistryDraft{Name: "a", Version: "1 0", Schema: schema}, "versionNumber"},
		{RegistryDraft{Name: "a"}, "schema"},
		{RegistryDraft{Name: "a", Schema: map[string]any{"type": "array"}}, "schema.type"},
		{RegistryDraft{Name: "a", Schema: schema, PersonIDField: "nope"}, "personIdField"},
	}
	for _, b := range bad {
		_, err := NewRegistry(b.d, "", time.Now())
		wantInvalid(t, err, b.field)
	}
	if pk := PrimaryKeyOf(map[string]any{"properties": map[string]any{"x": map[string]any{}}}); pk != "id" {
		t.Errorf("default primary key = %q", pk)
	}
}

func TestParseDatabaseID(t *testing.T) {
	name, version, err := ParseDatabaseID("citizens/1.0")
	if err != nil || name != "citizens" || version != "1.0" {
		t.Errorf("got %q %q %v", name, version, err)
	}
	name, version, err = ParseDatabaseID("citizens")
	if err != nil || name != "citizens" || version != "" {
		t.Errorf("got %q %q %v", name, version, err)
	}
	// A code is free text: "MC 2" may be one.
	if name, _, err = ParseDatabaseID("MC 2"); err != nil || name != "MC 2" {
		t.Errorf("code: got %q %v", name, err)
	}
	for _, bad := range []string{"", "a b/1.0", "citizens/1 0", strings.Repeat("x", 201)} {
		_, _, err := ParseDatabaseID(bad)
		wantInvalid(t, err, "")
	}
}
