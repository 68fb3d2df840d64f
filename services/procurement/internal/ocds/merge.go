package ocds

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// The OCDS merge (https://standard.open-contracting.org/1.1/en/schema/merging/), generic over JSON decoded
// by encoding/json into map[string]any and driven by the release schema's merge flags (see schema.go):
//   - releases are applied oldest first (by "date"; ties keep the given order);
//   - an object is merged field by field; a null field removes it;
//   - an array of objects whose schema has an "id" is merged by id (ids compare as strings, as ocdsmerge
//     does); any other array — and any array flagged wholeListMerge — replaces the previous one;
//   - fields flagged omitWhenMerged (the release's id, date and tag) are left out.
//
// Fields outside the schema (extensions) follow the same rules by shape: an array whose items are all
// objects with an "id" is merged by id, anything else replaces.

// Compile returns the compiled release of releases (all of one ocid): tag ["compiled"], id "<ocid>-<date>"
// and date of the newest release.
func Compile(releases []map[string]any) (map[string]any, error) {
	sorted, rules, err := prepare(releases)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, r := range sorted {
		mergeObject(out, r, rules)
	}
	last := sorted[len(sorted)-1]
	out["tag"] = []any{"compiled"}
	out["id"] = fmt.Sprintf("%v-%v", last["ocid"], last["date"])
	out["date"] = last["date"]
	return out, nil
}

// Versioned returns the versioned release of releases: every field holds its history, one entry per release
// that changed it ({releaseID, releaseDate, releaseTag, value}).
func Versioned(releases []map[string]any) (map[string]any, error) {
	sorted, rules, err := prepare(releases)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, r := range sorted {
		v := versioner{stamp: map[string]any{"releaseID": r["id"], "releaseDate": r["date"], "releaseTag": r["tag"]}}
		v.object(out, r, rules, false)
	}
	out["ocid"] = sorted[0]["ocid"]
	return out, nil
}

// prepare checks the releases belong to one contracting process and sorts them by date.
func prepare(releases []map[string]any) ([]map[string]any, *node, error) {
	if len(releases) == 0 {
		return nil, nil, errors.New("no releases to merge")
	}
	rules, err := releaseRules()
	if err != nil {
		return nil, nil, err
	}
	ocid := releases[0]["ocid"]
	for i, r := range releases {
		if r["ocid"] != ocid {
			return nil, nil, fmt.Errorf("/%d/ocid: %v differs from the first release's %v", i, r["ocid"], ocid)
		}
		if _, ok := r["date"].(string); !ok {
			return nil, nil, fmt.Errorf("/%d/date: a release needs a date to be merged", i)
		}
	}
	sorted := append([]map[string]any(nil), releases...)
	sort.SliceStable(sorted, func(i, j int) bool { return releaseTime(sorted[i]).Before(releaseTime(sorted[j])) })
	return sorted, rules, nil
}

func releaseTime(r map[string]any) time.Time {
	t, err := time.Parse(time.RFC3339Nano, r["date"].(string))
	if err != nil {
		return time.Time{} // unparseable dates sort first; Validate reports them
	}
	return t
}

func mergeObject(dst, src map[string]any, n *node) {
	for key, v := range src {
		child := n.prop(key)
		if child != nil && child.omit {
			continue
		}
		switch v := v.(type) {
		case nil:
			delete(dst, key)
		case map[string]any:
			prev, ok := dst[key].(map[string]any)
			if !ok {
				prev = map[string]any{}
			}
			mergeObject(prev, v, child)
			dst[key] = prev
		case []any:
			if mergesByID(v, child) {
				prev, _ := dst[key].([]any)
				dst[key] = mergeByID(prev, v, child.itemRules())
			} else {
				dst[key] = clone(v)
			}
		default:
			dst[key] = v
		}
	}
}

// mergeByID merges each item of src into the item of prev with the same id, appending new ids in order.
func mergeByID(prev, src []any, n *node) []any {
	return foldByID(prev, src, func(dst, item map[string]any) { mergeObject(dst, item, n) })
}

// foldByID folds each object of src into the object of prev with the same id (a new, empty one for an id
// prev lacks, appended in order) and returns the list. Both the compiled and versioned merges use it.
func foldByID(prev, src []any, fold func(dst, item map[string]any)) []any {
	if prev == nil {
		prev = []any{}
	}
	index := make(map[string]int, len(prev))
	for i, item := range prev {
		index[idKey(item.(map[string]any)["id"])] = i
	}
	for _, item := range src {
		obj := item.(map[string]any)
		k := idKey(obj["id"])
		i, ok := index[k]
		if !ok {
			i = len(prev)
			index[k] = i
			prev = append(prev, map[string]any{})
		}
		fold(prev[i].(map[string]any), obj)
	}
	return prev
}

// mergesByID tells whether the array value of a field is merged by identifier: the schema says so (or
// says nothing, for an extension field) and every item is an object carrying an id. An item without an
// id cannot be matched, so the whole list is replaced instead.
func mergesByID(items []any, n *node) bool {
	if n != nil && !n.idMerge {
		return false
	}
	if len(items) == 0 {
		return n != nil // an empty array merged by id adds nothing
	}
	for _, it := range items {
		obj, ok := it.(map[string]any)
		if !ok || obj["id"] == nil {
			return false
		}
	}
	return true
}

func (n *node) itemRules() *node {
	if n == nil {
		return nil
	}
	return n.items
}

// idKey compares ids as strings, so 1 and "1" are the same object (as in ocdsmerge).
func idKey(id any) string {
	switch v := id.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// clone deep-copies a JSON value so merged output never aliases a release.
func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = clone(e)
		}
		return out
	default:
		return v
	}
}
