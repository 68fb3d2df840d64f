package domain

import (
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"
)

// maxRecordIDLen bounds primary keys: they appear in URLs and event subjects.
const maxRecordIDLen = 256

// Record is one entry of a registry version. ID is the value of the registry's primary key field, as text;
// PersonID is the value of its person id field, empty when the registry holds no personal data.
type Record struct {
	ID        string
	Content   map[string]any
	PersonID  string
	CreatedAt time.Time
	UpdatedAt time.Time
	// PreviousID is the key the record was stored under when an update changed its primary key ("" when it
	// did not): the store renames the record, and the database's unique key refuses a key that is taken.
	PreviousID string
}

// NewRecord builds a record of r from content. When content has no primary key, newID supplies one and it is
// written into the content, so the stored record always carries its own key.
func NewRecord(r Registry, content map[string]any, newID func() string) (Record, error) {
	content = maps.Clone(content)
	if _, ok := content[r.PrimaryKey]; !ok {
		content[r.PrimaryKey] = newID()
	}
	id, err := RecordIDOf(content, r.PrimaryKey)
	if err != nil {
		return Record{}, err
	}
	return Record{ID: id, Content: content, PersonID: PersonIDOf(r, content)}, nil
}

// RecordIDOf returns the primary key of content as text. Keys are strings or whole numbers: anything else
// (objects, fractions, booleans) cannot be addressed in /{id}/delete and is refused.
func RecordIDOf(content map[string]any, pk string) (string, error) {
	id, ok := scalarText(content[pk])
	if !ok || id == "" || len(id) > maxRecordIDLen {
		return "", invalidField(ReasonInvalidPrimaryKey, "/"+pk,
			"the primary key must be a non-empty string (at most 256 bytes) or a whole number")
	}
	return id, nil
}

// PersonIDOf returns the value of r's person id field in content, or "" when there is none.
func PersonIDOf(r Registry, content map[string]any) string {
	if !r.HoldsPersonalData() {
		return ""
	}
	id, _ := scalarText(content[r.PersonIDField])
	return id
}

func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case float64:
		if v != math.Trunc(v) || math.IsInf(v, 0) {
			return "", false
		}
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

// Merge returns the record content after an update: write's top-level fields replace the existing ones,
// fields write does not mention stay. Nested objects are replaced whole, as GovStack's update describes.
func Merge(existing, write map[string]any) map[string]any {
	merged := maps.Clone(existing)
	if merged == nil {
		merged = map[string]any{}
	}
	maps.Copy(merged, write)
	return merged
}

// ChangedFields lists, sorted, the top-level fields whose value differs between before and after (fields
// added, removed or changed). It is what a record.updated event reports.
func ChangedFields(before, after map[string]any) []string {
	var changed []string
	for k, v := range after {
		if old, ok := before[k]; !ok || !reflect.DeepEqual(old, v) {
			changed = append(changed, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			changed = append(changed, k)
		}
	}
	slices.Sort(changed)
	return changed
}

// Update applies write to rec under registry r and recomputes its person id. A write may change the
// primary key (the GovStack spec has no rule against it): the record then carries its old key in
// PreviousID, and the store renames it — a key another record holds is refused there, as a conflict.
func Update(r Registry, rec Record, write map[string]any) (Record, error) {
	merged := Merge(rec.Content, write)
	id, err := RecordIDOf(merged, r.PrimaryKey)
	if err != nil {
		return Record{}, err
	}
	if id != rec.ID {
		if rec.PreviousID == "" {
			rec.PreviousID = rec.ID
		}
		rec.ID = id
	}
	rec.Content = merged
	rec.PersonID = PersonIDOf(r, merged)
	return rec, nil
}
