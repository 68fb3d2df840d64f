package domain

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMerge(t *testing.T) {
	tests := []struct {
		name            string
		existing, write map[string]any
		want            map[string]any
	}{
		{"adds and replaces", map[string]any{"a": 1.0, "b": "x"}, map[string]any{"b": "y", "c": true},
			map[string]any{"a": 1.0, "b": "y", "c": true}},
		{"nested object replaced whole", map[string]any{"addr": map[string]any{"city": "T", "zip": "1"}},
			map[string]any{"addr": map[string]any{"city": "P"}}, map[string]any{"addr": map[string]any{"city": "P"}}},
		{"null is a value", map[string]any{"a": 1.0}, map[string]any{"a": nil}, map[string]any{"a": nil}},
		{"empty write", map[string]any{"a": 1.0}, map[string]any{}, map[string]any{"a": 1.0}},
		{"nil existing", nil, map[string]any{"a": 1.0}, map[string]any{"a": 1.0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := clone(tc.existing)
			got := Merge(tc.existing, tc.write)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Merge = %v, want %v", got, tc.want)
			}
			if !reflect.DeepEqual(tc.existing, before) {
				t.Errorf("Merge modified its input: %v", tc.existing)
			}
		})
	}
}

func clone(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestChangedFields(t *testing.T) {
	got := ChangedFields(map[string]any{"a": 1.0, "b": "x", "gone": true}, map[string]any{"a": 1.0, "b": "y", "new": 2.0})
	if want := []string{"b", "gone", "new"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ChangedFields = %v, want %v", got, want)
	}
}

func TestNewRecord(t *testing.T) {
	tests := []struct {
		name     string
		content  map[string]any
		wantID   string
		errField string
	}{
		{"string key", map[string]any{"personalCode": "EE1"}, "EE1", ""},
		{"whole number key", map[string]any{"personalCode": 12.0}, "12", ""},
		{"generated", map[string]any{"firstName": "A"}, "generated-1", ""},
		{"fraction", map[string]any{"personalCode": 1.5}, "", "/personalCode"},
		{"object", map[string]any{"personalCode": map[string]any{}}, "", "/personalCode"},
		{"empty", map[string]any{"personalCode": ""}, "", "/personalCode"},
		{"too long", map[string]any{"personalCode": strings.Repeat("x", 300)}, "", "/personalCode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := NewRecord(people, tc.content, func() string { return "generated-1" })
			if tc.errField != "" {
				wantInvalid(t, err, tc.errField)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.ID != tc.wantID || rec.PersonID != tc.wantID || rec.Content["personalCode"] == nil {
				t.Errorf("record = %+v, want id %s", rec, tc.wantID)
			}
			if _, had := tc.content["personalCode"]; !had && len(tc.content) != 1 {
				t.Error("NewRecord modified its input")
			}
		})
	}
}

func TestUpdateMayChangePrimaryKey(t *testing.T) {
	rec := Record{ID: "EE1", PersonID: "EE1", Content: map[string]any{"personalCode": "EE1", "age": 3.0}}
	got, err := Update(people, rec, map[string]any{"age": 4.0, "personalCode": "EE1"})
	if err != nil || got.Content["age"] != 4.0 || got.ID != "EE1" || got.PreviousID != "" {
		t.Fatalf("Update = %+v, %v", got, err)
	}
	// A new key: the record is renamed (the store refuses a key that is taken).
	got, err = Update(people, rec, map[string]any{"personalCode": "EE2"})
	if err != nil || got.ID != "EE2" || got.PreviousID != "EE1" || got.PersonID != "EE2" {
		t.Fatalf("rename = %+v, %v", got, err)
	}
	// Renamed twice in one write set: the stored key is still the first.
	got, err = Update(people, got, map[string]any{"personalCode": "EE3"})
	if err != nil || got.ID != "EE3" || got.PreviousID != "EE1" {
		t.Fatalf("second rename = %+v, %v", got, err)
	}
	_, err = Update(people, rec, map[string]any{"personalCode": map[string]any{"x": 1}})
	wantInvalid(t, err, "")
}

func TestUsagesOfGroupsByPerson(t *testing.T) {
	at := time.Now()
	reader := Reader{ID: "EE/GOV/1/app", Member: "1", Subsystem: "app"}
	recs := []Record{{ID: "r1", PersonID: "p1"}, {ID: "r2", PersonID: "p2"}, {ID: "r3", PersonID: "p1"}, {ID: "r4"}}
	got := UsagesOf(people, reader, OpList, at, recs)
	if len(got) != 2 {
		t.Fatalf("got %d usages, want 2: %+v", len(got), got)
	}
	if got[0].PersonID != "p1" || !reflect.DeepEqual(got[0].RecordIDs, []string{"r1", "r3"}) || got[0].Operation != OpList {
		t.Errorf("first usage = %+v", got[0])
	}
	if got[1].PersonID != "p2" || got[1].Reader != reader || got[1].RegistryName != "citizens" {
		t.Errorf("second usage = %+v", got[1])
	}
	if n := len(UsagesOf(Registry{}, reader, OpRead, at, recs)); n != 0 {
		t.Errorf("registry without personal data logged %d usages", n)
	}
}
