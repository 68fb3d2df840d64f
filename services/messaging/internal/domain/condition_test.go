package domain

import (
	"encoding/json"
	"testing"
)

func TestConditionMatchesProtojsonValues(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"kind":"appointment_reminder","approved":true,"count":3,"ratio":2.5,
		"nested":{"flag":false},"none":null,"list":[1]}`), &doc); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		pointer, want string
		match         bool
	}{
		{"/kind", "appointment_reminder", true},
		{"/kind", "other", false},
		{"/approved", "true", true},
		{"/approved", "false", false},
		{"/nested/flag", "false", true},
		{"/nested/flag", "true", false},
		{"/count", "3", true},
		{"/count", "3.0", false},
		{"/ratio", "2.5", true},
		{"/none", "null", true},
		{"/list", "[1]", false},
		// protojson omits default values: a missing field is false, 0 or "".
		{"/rejected", "false", true},
		{"/rejected", "0", true},
		{"/rejected", "", true},
		{"/rejected", "true", false},
		{"/rejected", "appointment_reminder", false},
	}
	for _, c := range cases {
		if got := ConditionMatches(doc, c.pointer, c.want); got != c.match {
			t.Errorf("%s = %q: %v, want %v", c.pointer, c.want, got, c.match)
		}
	}
}
